"""公示 of any subject: a notice names what it publishes by a generic reference (``subject_kind`` "app_label.model" and
``subject_id``, one notice per subject), so that a programme's awards are published through the same notices and
objections as 政策兑现's grants. The existing notices are 政策兑现's: their subject is their application, and they
were published on their first day. Reversed, the notices of other kinds are dropped (the old table has no place
for them)."""

import datetime as dt

from django.db import migrations, models
from django.db.models import F, Q
from django.utils import timezone

FULFILMENT = "fulfilment.application"


def fill(apps, schema_editor):
    PublicNotice = apps.get_model("fulfilment", "PublicNotice")
    PublicNotice.objects.update(subject_kind=FULFILMENT, subject_id=F("application_id"))
    for day in PublicNotice.objects.values_list("starts_on", flat=True).distinct().order_by():
        PublicNotice.objects.filter(starts_on=day).update(
            published_at=timezone.make_aware(dt.datetime.combine(day, dt.time.min)))


def unfill(apps, schema_editor):
    apps.get_model("fulfilment", "PublicNotice").objects.exclude(subject_kind=FULFILMENT).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("fulfilment", "0002_window_origin"),
    ]

    operations = [
        migrations.RenameField(model_name="publicnotice", old_name="policy_title", new_name="title"),
        migrations.AlterField(
            model_name="publicnotice", name="title",
            field=models.CharField(max_length=200, verbose_name="公示事项"),
        ),
        migrations.AlterField(
            model_name="publicnotice", name="application",
            field=models.OneToOneField(blank=True, null=True, on_delete=models.deletion.CASCADE,
                                       related_name="notice", to="fulfilment.application"),
        ),
        migrations.AddField(
            model_name="publicnotice", name="subject_kind",
            field=models.CharField(default="", max_length=60, verbose_name="事项类型"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="publicnotice", name="subject_id",
            field=models.BigIntegerField(null=True, verbose_name="事项编号"),
        ),
        migrations.AddField(
            model_name="publicnotice", name="published_at",
            field=models.DateTimeField(null=True, verbose_name="发布时间"),
        ),
        migrations.RunPython(fill, unfill),
        migrations.AlterField(
            model_name="publicnotice", name="subject_id",
            field=models.BigIntegerField(verbose_name="事项编号"),
        ),
        migrations.AlterField(
            model_name="publicnotice", name="published_at",
            field=models.DateTimeField(verbose_name="发布时间"),
        ),
        migrations.AddConstraint(
            model_name="publicnotice",
            constraint=models.UniqueConstraint(fields=("subject_kind", "subject_id"),
                                               name="fulfilment_one_notice_per_subject"),
        ),
        migrations.AddConstraint(
            model_name="publicnotice",
            constraint=models.CheckConstraint(
                condition=Q(subject_kind=FULFILMENT, application__isnull=False, application=F("subject_id"))
                | (~Q(subject_kind=FULFILMENT) & Q(application__isnull=True)),
                name="fulfilment_notice_application_is_its_subject"),
        ),
    ]
