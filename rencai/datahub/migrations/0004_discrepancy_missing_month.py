"""A discrepancy without a fact: a month the 社保 feed delivered without a talent who declares paying in the city
(its evidence is the load and the month). Every discrepancy names the feed that raised it (filled in from its fact
for those already raised) and the load.

Not atomic: on PostgreSQL the NOT NULL of ``feed`` cannot follow the backfill's UPDATE in one transaction (the
foreign key's deferred checks are still pending)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    Discrepancy = apps.get_model("datahub", "Discrepancy")
    Fact = apps.get_model("datahub", "Fact")
    facts = Fact.objects.filter(pk=OuterRef("fact_id"))
    Discrepancy.objects.filter(feed__isnull=True).update(feed_id=Subquery(facts.values("feed_id")[:1]),
                                                         load_id=Subquery(facts.values("load_id")[:1]))


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("datahub", "0003_verification"),
    ]

    operations = [
        migrations.AlterField(
            model_name="discrepancy",
            name="fact",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="discrepancies", to="datahub.fact", verbose_name="核验数据"),
        ),
        migrations.AddField(
            model_name="discrepancy",
            name="feed",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="discrepancies", to="datahub.feed", verbose_name="数据源"),
        ),
        migrations.AddField(
            model_name="discrepancy",
            name="load",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="datahub.load", verbose_name="发现批次"),
        ),
        migrations.AddField(
            model_name="discrepancy",
            name="period",
            field=models.DateField(blank=True, null=True, verbose_name="缺少记录的月份"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="discrepancy",
            name="feed",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="discrepancies",
                                    to="datahub.feed", verbose_name="数据源"),
        ),
        migrations.AddConstraint(
            model_name="discrepancy",
            constraint=models.UniqueConstraint(condition=models.Q(("fact__isnull", True)),
                                               fields=("talent", "feed", "field", "period"),
                                               name="discrepancy_once_per_missing_month"),
        ),
        migrations.AddConstraint(
            model_name="discrepancy",
            constraint=models.CheckConstraint(condition=models.Q(("fact__isnull", False),
                                                                 models.Q(("load__isnull", False),
                                                                          ("period__isnull", False)),
                                                                 _connector="OR"),
                                              name="discrepancy_has_evidence"),
        ),
    ]
