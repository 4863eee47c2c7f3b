"""人才对接 (issue 11): what the platform offers talent besides money — jobs (定向岗位 among them), 见习 positions,
揭榜挂帅 challenges, projects and technology results looking for partners — in one table, ``Opportunity``, so that
publication, approval, the public page and matching treat them alike; the applications talent make to them; the
急需紧缺人才需求目录 (``ShortageCatalog`` and its ``ShortageEntry`` rows); and the brokering of projects
(``Interest``, ``Meeting``).

An opportunity's status and an application's state change only through services' transition functions; the
database guards what must hold whatever the code does (one live application per talent and opportunity, money
never negative, an award within its challenge's funding is checked under a row lock in the service)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from rencai.organizations.enums import Industry
from rencai.talents.enums import Degree

from .enums import (
    ApplicationState,
    CatalogStatus,
    ChallengeField,
    DemandStatus,
    MeetingKind,
    MeetingOutcome,
    OpportunityKind,
    OpportunityStatus,
    Seeking,
    Urgency,
)


class Opportunity(models.Model):
    kind = models.CharField("类别", max_length=12, choices=OpportunityKind.choices)
    title = models.CharField("名称", max_length=120)
    description = models.TextField("详细说明")
    # The publisher: an employer (its HR) or, for a challenge or project the office publishes itself, none.
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="opportunities", verbose_name="发布单位")
    sponsor_name = models.CharField("发榜/推介方", max_length=200, blank=True,
                                    help_text="未关联用人单位时填写，如某区科技局")
    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                                 verbose_name="所在区县")
    industry = models.CharField("所属产业", max_length=20, choices=Industry.choices, blank=True,
                                help_text="所属产业链")
    # What a returnee filters on
    majors = models.CharField("专业要求", max_length=200, blank=True, help_text="多个专业用顿号或逗号分隔")
    degree_min = models.CharField("最低学历", max_length=16, choices=Degree.choices, blank=True)
    overseas_wanted = models.BooleanField("要求海外学习或工作经历", default=False)
    targeted_returnee = models.BooleanField("定向留学回国人员", default=False,
                                            help_text="003：“定向岗位”，仅面向归国人才")
    salary_min = models.DecimalField("月薪下限（元）", max_digits=10, decimal_places=2, null=True, blank=True)
    salary_max = models.DecimalField("月薪上限（元）", max_digits=10, decimal_places=2, null=True, blank=True)
    positions = models.PositiveIntegerField("招聘人数", default=1)
    closes_on = models.DateField("截止日期")
    # Challenges: the field and the reward or funding on offer; projects: the money sought.
    challenge_field = models.CharField("榜单领域", max_length=20, choices=ChallengeField.choices, blank=True)
    funding = models.DecimalField("榜单金额/资金需求（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    seeking = models.CharField("寻求", max_length=10, choices=Seeking.choices, blank=True)
    shortage_entry = models.ForeignKey("ShortageEntry", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="opportunities", verbose_name="对应急需紧缺目录岗位")

    status = models.CharField("状态", max_length=10, choices=OpportunityStatus.choices,
                              default=OpportunityStatus.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="填报人")
    created_at = models.DateTimeField("填报时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="审核人")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_reason = models.CharField("退回理由", max_length=200, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = verbose_name_plural = "对接机会"
        indexes = [models.Index(fields=["status", "kind", "closes_on"], name="opportunity_open"),
                   models.Index(fields=["district", "status"], name="opportunity_district")]
        constraints = [
            models.CheckConstraint(condition=Q(salary_min__gte=0), name="opportunity_salary_min_not_negative"),
            models.CheckConstraint(condition=Q(salary_max__gte=models.F("salary_min")) | Q(salary_min__isnull=True)
                                   | Q(salary_max__isnull=True), name="opportunity_salary_band_ordered"),
            models.CheckConstraint(condition=Q(funding__gte=0), name="opportunity_funding_not_negative"),
            models.CheckConstraint(condition=Q(positions__gte=1), name="opportunity_positions_positive"),
            models.CheckConstraint(condition=~Q(status=OpportunityStatus.PUBLISHED) | Q(published_at__isnull=False),
                                   name="opportunity_published_has_time"),
            models.CheckConstraint(condition=~Q(status=OpportunityStatus.RETURNED) | ~Q(review_reason=""),
                                   name="opportunity_returned_has_reason"),
            models.CheckConstraint(condition=Q(organization__isnull=False) | ~Q(sponsor_name=""),
                                   name="opportunity_has_publisher"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        return f"DJ{self.pk:07d}"

    @property
    def publisher_name(self) -> str:
        return self.organization.name if self.organization_id else self.sponsor_name


class Application(models.Model):
    """A talent's application to a job or internship, or their 揭榜 of a challenge, with their registry profile
    and the documents on file they chose to attach."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="applications",
                                    verbose_name="对接机会")
    talent = models.ForeignKey("talents.Talent", on_delete=models.PROTECT, related_name="opportunity_applications",
                               verbose_name="人才")
    state = models.CharField("状态", max_length=12, choices=ApplicationState.choices,
                             default=ApplicationState.RECEIVED, db_index=True)
    cover_note = models.TextField("求职说明/揭榜方案", blank=True)
    team = models.CharField("团队成员", max_length=500, blank=True, help_text="揭榜团队的其他成员，可不填")
    documents = models.ManyToManyField("documents.Document", blank=True, related_name="+",
                                       verbose_name="附带材料")
    award_amount = models.DecimalField("揭榜奖励/资助（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    # 见习: when the traineeship ended and whether the unit kept the trainee (003: "留用率较高的见习单位").
    internship_ended_on = models.DateField("见习结束日期", null=True, blank=True)
    retained = models.BooleanField("见习期满留用", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="申请人")
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "投递与揭榜"
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "talent"], condition=~Q(state=ApplicationState.WITHDRAWN),
                                    name="application_one_live_per_talent"),
            models.CheckConstraint(condition=Q(award_amount__gte=0), name="application_award_not_negative"),
            models.CheckConstraint(condition=Q(award_amount__isnull=True) | Q(state=ApplicationState.AWARDED),
                                   name="application_award_only_when_awarded"),
            models.CheckConstraint(condition=Q(retained__isnull=True) | Q(internship_ended_on__isnull=False),
                                   name="application_retention_after_end"),
        ]

    def __str__(self) -> str:
        return f"{self.talent_id} → {self.opportunity_id}"


class ApplicationStep(models.Model):
    """One move of an application: who moved it from which state to which, when, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps",
                                    verbose_name="申请")
    from_state = models.CharField("原状态", max_length=12, choices=ApplicationState.choices, blank=True)
    to_state = models.CharField("新状态", max_length=12, choices=ApplicationState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name="操作人")
    note = models.CharField("说明", max_length=300, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "投递进度"

    def __str__(self) -> str:
        return f"{self.application_id} {self.from_state}→{self.to_state}"


class ShortageCatalog(models.Model):
    """急需紧缺人才需求目录 of one industry chain and year (004: "围绕…20条产业链发展需求…编制《沈阳市急需紧缺人才
    需求目录》"). 004 names the 20 chains only as "5+3+7+5"; the registry's key industries stand for them."""

    year = models.PositiveSmallIntegerField("年度")
    industry = models.CharField("所属产业", max_length=20, choices=Industry.choices, help_text="所属产业链")
    status = models.CharField("状态", max_length=10, choices=CatalogStatus.choices, default=CatalogStatus.DRAFT)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name="发布人")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        ordering = ["-year", "industry"]
        verbose_name = verbose_name_plural = "急需紧缺人才需求目录"
        constraints = [
            models.UniqueConstraint(fields=["year", "industry"], name="shortage_catalog_one_per_chain_year"),
            models.CheckConstraint(condition=~Q(status=CatalogStatus.PUBLISHED) | Q(published_at__isnull=False),
                                   name="shortage_catalog_published_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_industry_display()}"


class ShortageEntry(models.Model):
    """A position or skill in short supply: entered by staff, or an employer's demand entry that staff accept."""

    catalog = models.ForeignKey(ShortageCatalog, on_delete=models.PROTECT, related_name="entries",
                                verbose_name="目录")
    position = models.CharField("岗位名称", max_length=100)
    skills = models.CharField("技能和专业要求", max_length=300, blank=True)
    degree_min = models.CharField("最低学历", max_length=16, choices=Degree.choices, blank=True)
    headcount = models.PositiveIntegerField("需求人数", default=1)
    urgency = models.CharField("紧缺程度", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="shortage_demands", verbose_name="需求单位")
    demand_status = models.CharField("采纳状态", max_length=10, choices=DemandStatus.choices,
                                     default=DemandStatus.ACCEPTED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="填报人")
    created_at = models.DateTimeField("填报时间", auto_now_add=True)

    class Meta:
        ordering = ["catalog", "-urgency", "position", "id"]
        verbose_name = verbose_name_plural = "急需紧缺岗位"
        constraints = [models.CheckConstraint(condition=Q(headcount__gte=1), name="shortage_entry_headcount_positive")]

    def __str__(self) -> str:
        return self.position


class Interest(models.Model):
    """An enterprise's interest in a project or a technology result (意向), what staff broker a meeting from."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="interests",
                                    verbose_name="对接机会")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name="意向单位")
    note = models.CharField("合作意向", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="填报人")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "合作意向"
        constraints = [models.UniqueConstraint(fields=["opportunity", "organization"],
                                               name="interest_one_per_organization")]

    def __str__(self) -> str:
        return f"{self.organization_id} → {self.opportunity_id}"


class Meeting(models.Model):
    """A roadshow or matchmaking meeting staff brokered for a project or result, and how it came out."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="meetings",
                                    verbose_name="对接机会")
    kind = models.CharField("形式", max_length=12, choices=MeetingKind.choices)
    held_on = models.DateField("日期")
    place = models.CharField("地点", max_length=200, blank=True)
    organizations = models.ManyToManyField("organizations.Organization", blank=True, related_name="+",
                                           verbose_name="参加单位")
    outcome = models.CharField("结果", max_length=10, choices=MeetingOutcome.choices, default=MeetingOutcome.PENDING)
    outcome_note = models.CharField("结果说明", max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="记录人")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = verbose_name_plural = "路演与对接"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"
