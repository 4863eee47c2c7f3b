# Issue 14, item 11: employment counts only once confirmed by the employer or by staff.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

CHOICES = [("claimed", "待单位确认"), ("confirmed", "已确认"), ("rejected", "单位不予确认")]


def self_claims_stay_claims(apps, schema_editor):
    """A self-registered record's employment was only ever the talent's word: it waits for the employer."""
    Talent = apps.get_model("talents", "Talent")
    Talent.objects.filter(source="self", organization__isnull=False).update(employment_status="claimed")


class Migration(migrations.Migration):

    dependencies = [
        ("talents", "0002_talentchange"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Records already in the registry were registered by staff, imported or generated for the demo:
        # they start confirmed. New rows default to a claim.
        migrations.AddField(
            model_name="talent",
            name="employment_status",
            field=models.CharField(choices=CHOICES, default="confirmed", max_length=10, verbose_name="任职确认"),
        ),
        migrations.RunPython(self_claims_stay_claims, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="talent",
            name="employment_status",
            field=models.CharField(choices=CHOICES, default="claimed", max_length=10, verbose_name="任职确认"),
        ),
        migrations.AddField(
            model_name="talent",
            name="employment_confirmed_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="任职确认人"),
        ),
        migrations.AddField(
            model_name="talent",
            name="employment_confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="任职确认时间"),
        ),
        migrations.AddIndex(
            model_name="talent",
            index=models.Index(fields=["organization", "employment_status"], name="talent_employment"),
        ),
    ]
