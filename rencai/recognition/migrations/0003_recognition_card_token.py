"""The talent card's verification token: random per card (it was the serial, signed), existing cards get one."""

import secrets

from django.db import migrations, models

import rencai.recognition.models


def fill_tokens(apps, schema_editor):
    Recognition = apps.get_model("recognition", "Recognition")
    for pk in Recognition.objects.filter(card_token__isnull=True).values_list("pk", flat=True).iterator():
        Recognition.objects.filter(pk=pk).update(card_token=secrets.token_urlsafe(32))


class Migration(migrations.Migration):
    dependencies = [
        ("recognition", "0002_example_standard"),
    ]

    operations = [
        migrations.AddField(
            model_name="recognition",
            name="card_token",
            field=models.CharField(editable=False, max_length=64, null=True, verbose_name="人才卡核验码"),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="recognition",
            name="card_token",
            field=models.CharField(default=rencai.recognition.models.new_card_token, editable=False, max_length=64,
                                   unique=True, verbose_name="人才卡核验码"),
        ),
    ]
