"""The registry's dated history (issue 10's foundation): what 人才地图's flows, sources and warnings are computed from.

- ``EmploymentSpell``: where a talent worked from when to when (organization, district, the organization's
  industry then). At most one open spell per talent (a partial unique constraint); a change of district or
  employer closes it and opens the next (services.history_record).
- ``Move``: a talent's change of district on a day — from nowhere (``from_district`` empty: first recorded in the
  registry, or from outside its regions) or to nowhere (``to_district`` empty: left the registry's regions).
- ``Origin``: where a talent came from (本市, another province, overseas with the country and university) and the
  channel that brought them; one per talent.

A spell's and a move's district are *facts of their day*, not a scope: lists of people derived from these rows
are scoped through the talent's current record like every other (accounts.permissions.scope_related), while the
flow aggregates count by these historical districts within the viewer's jurisdiction (selectors.py). The rule
against a region copied beside a talent (accounts/tests/test_derived_scope.py) allows exactly these fields.
Social insurance starting and stopping is not copied here: it is read from the data centre's monthly 社保 facts
(selectors.insurance_changes).
"""

from django.db import models

from rencai.organizations.enums import Industry

from .enums import PROVINCES, Channel, HistoryReason, OriginKind


class EmploymentSpell(models.Model):
    talent = models.ForeignKey("talents.Talent", on_delete=models.CASCADE, related_name="spells", verbose_name="人才")
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+", verbose_name="工作单位")
    # The district and the employer's industry of the spell's time, not the talent's current ones; the district
    # is indexed with the dates (Meta).
    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", db_index=False,
                                 verbose_name="所在区县", help_text="任职期间所在区县，不随人才此后的迁移而改变")
    industry = models.CharField("所属产业", max_length=20, choices=Industry.choices, blank=True,
                                help_text="任职期间单位所属产业")
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    reason = models.CharField("记录来源", max_length=14, choices=HistoryReason.choices)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["talent", "started_on", "id"]
        verbose_name = verbose_name_plural = "任职经历"
        constraints = [
            models.UniqueConstraint(fields=["talent"], condition=models.Q(ended_on__isnull=True),
                                    name="spell_one_open_per_talent"),
            models.CheckConstraint(condition=models.Q(ended_on__isnull=True)
                                   | models.Q(ended_on__gte=models.F("started_on")),
                                   name="spell_ends_after_start"),
        ]
        # The industry last, so that flows per industry (maps.flows_by_industry) are read from the index alone.
        indexes = [models.Index(fields=["district", "started_on", "industry"], name="spell_district_start_industry"),
                   models.Index(fields=["district", "ended_on", "industry"], name="spell_district_end_industry")]

    def __str__(self) -> str:
        return f"{self.talent_id} {self.district_id} {self.started_on}–{self.ended_on or ''}"


class Move(models.Model):
    talent = models.ForeignKey("talents.Talent", on_delete=models.CASCADE, related_name="moves", verbose_name="人才")
    # both districts are indexed with the day (Meta)
    from_district = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", db_index=False, verbose_name="迁出区县")
    to_district = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", db_index=False, verbose_name="迁入区县")
    on = models.DateField("日期")
    reason = models.CharField("记录来源", max_length=14, choices=HistoryReason.choices)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["talent", "on", "id"]
        verbose_name = verbose_name_plural = "人才流动"
        constraints = [
            models.CheckConstraint(condition=models.Q(from_district__isnull=False)
                                   | models.Q(to_district__isnull=False), name="move_has_a_district"),
            models.CheckConstraint(condition=~models.Q(from_district=models.F("to_district")),
                                   name="move_changes_district"),
        ]
        # The other side last, so that the monthly flows (selectors.flows_monthly) are read from the index alone:
        # a year of a city's moves from the heap was 100 ms a side at 1,000,000 talents.
        indexes = [models.Index(fields=["to_district", "on", "from_district"], name="move_to_on_from"),
                   models.Index(fields=["from_district", "on", "to_district"], name="move_from_on_to")]

    def __str__(self) -> str:
        return f"{self.talent_id} {self.from_district_id or '—'}→{self.to_district_id or '—'} {self.on}"


class Origin(models.Model):
    """Where a talent came from. ``inferred``: read from the registry (a returnee's degree country and school; a
    身份证's region code, as employment statistics read 生源地), refreshed when the record changes; set by staff
    (services.origin_set), it is kept as they set it."""

    talent = models.OneToOneField("talents.Talent", primary_key=True, on_delete=models.CASCADE,
                                  related_name="origin", verbose_name="人才")
    kind = models.CharField("来源", max_length=10, choices=OriginKind.choices, default=OriginKind.UNKNOWN)
    province_code = models.CharField("来源省份", max_length=6, blank=True, choices=sorted(PROVINCES.items()))
    country = models.CharField("国家/地区", max_length=50, blank=True, help_text="海外留学回国人员的学位授予国家/地区")
    university = models.CharField("毕业院校", max_length=100, blank=True)
    channel = models.CharField("引进渠道", max_length=20, choices=Channel.choices, default=Channel.UNKNOWN)
    inferred = models.BooleanField("据登记信息推断", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "人才来源"
        indexes = [models.Index(fields=["kind", "country"], name="origin_kind_country")]

    def __str__(self) -> str:
        return f"{self.talent_id} {self.get_kind_display()}"


class DistrictCount(models.Model):
    """Kept aggregate for 人才地图 (issue 10): how many talents of a district (their *current* district) have each
    value of a dimension the registry's own kept counts (talents.TalentCount) do not hold — their employer
    (``org``: the organization's id, empty for none or a rejected claim), skill level (``skill``), birth date
    (``birth``, ISO: ages in full years are read against any day), and where they came from (``kind``,
    ``channel``, ``province`` for the non-overseas, ``country`` and ``university`` for the overseas: the
    Origin's values). The database keeps it, by triggers on the talents and the origins tables (analytics.triggers)
    in the writer's transaction, whatever wrote them; the map, the drill-down and the 来源 page read these rows
    instead of grouping a million talents."""

    district = models.ForeignKey("regions.Region", on_delete=models.DO_NOTHING, db_constraint=False,
                                 related_name="+", verbose_name="所在区县")
    dimension = models.CharField("统计维度", max_length=12)
    value = models.CharField("取值", max_length=100, blank=True)
    n = models.BigIntegerField("人数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "区县人才分项统计"
        constraints = [models.UniqueConstraint(fields=["district", "dimension", "value"],
                                               name="district_count_unique_bucket")]
        indexes = [models.Index(fields=["dimension", "district"], name="district_count_dimension")]

    def __str__(self) -> str:
        return f"{self.district_id} {self.dimension}={self.value} {self.n}"


class Boundaries(models.Model):
    """A jurisdiction's district boundaries (GeoJSON), loaded by an administrator (boundaries.boundaries_load),
    checked on load: each feature is one district of the region, named by its code and name. One per region;
    a load that fails the check leaves the last good one in place. The project ships no map data (README)."""

    region = models.OneToOneField("regions.Region", on_delete=models.CASCADE, primary_key=True,
                                  related_name="+", verbose_name="管辖区域")
    geojson = models.JSONField("区县边界")
    districts = models.PositiveSmallIntegerField("区县数")
    provenance = models.CharField("数据来源说明", max_length=200)
    loaded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="载入人")
    loaded_at = models.DateTimeField("载入时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "区县边界"

    def __str__(self) -> str:
        return f"{self.region_id} {self.districts}"
