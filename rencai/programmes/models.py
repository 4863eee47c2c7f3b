"""项目申报: calls (申报通知) for the catalog's programmes, applications by a person, a team or an employer,
expert review (rencai.reviews), awards within the call's places and money, 公示, grants paid in stages through
payments, and milestones (中期检查, 结题验收).

Money is integer fen (``*_fen``). No model keeps a copy of a talent's district: lists are scoped through the
talent's, or the organization's, current record (selectors)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from rencai.payments.models import Payee, fen_to_yuan

from .enums import (
    Action,
    AwardStatus,
    MemberStatus,
    Milestone,
    ReportStatus,
    StageStatus,
    StageTrigger,
    Status,
    Subject,
)


class Call(models.Model):
    """A call for one programme and year: its window, tiers (places and money), the money of the whole call, the
    budget line it draws on (the programme's line of ``budget_year``), the materials it asks for, whether the
    employer must endorse, the review plan (sheet, panel size, days, 答辩) and how a grant is paid (stages)."""

    policy = models.CharField("项目", max_length=80, db_index=True)
    policy_title = models.CharField("项目名称", max_length=200)
    subject = models.CharField("申报主体", max_length=12, choices=Subject.choices)
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("通知标题", max_length=200)
    body = models.TextField("通知正文", blank=True)
    opens_on = models.DateField("申报开始日期")
    closes_on = models.DateField("申报截止日期")
    money_fen = models.BigIntegerField("本批资金总额（分）")
    budget_year = models.PositiveSmallIntegerField("预算年度")
    materials = models.JSONField("所需材料", default=list, blank=True)
    endorsement_required = models.BooleanField("须单位推荐", default=False)
    sheet = models.ForeignKey("reviews.Sheet", on_delete=models.PROTECT, related_name="+", verbose_name="评分表")
    panel_size = models.PositiveSmallIntegerField("评审专家人数", default=3)
    review_days = models.PositiveSmallIntegerField("评审期限（工作日）", default=10)
    defence = models.BooleanField("答辩", default=False)
    defence_weight = models.DecimalField("答辩成绩权重", max_digits=3, decimal_places=2, default=Decimal("0"))
    stages = models.JSONField("拨付安排", default=list)
    payee = models.CharField("收款方", max_length=10, choices=Payee.choices, default=Payee.TALENT)
    midterm_months = models.PositiveSmallIntegerField("中期检查（立项后月数）", null=True, blank=True)
    final_months = models.PositiveSmallIntegerField("结题验收（立项后月数）", default=24)
    notice_days = models.PositiveSmallIntegerField("公示期（工作日）", default=5)
    published = models.BooleanField("已发布", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="发布人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    ranked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name="确定排名人")
    ranked_at = models.DateTimeField("确定排名时间", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="立项审批人")
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)

    class Meta:
        ordering = ["-year", "-opens_on", "id"]
        verbose_name = verbose_name_plural = "申报通知"
        constraints = [
            models.UniqueConstraint(fields=["policy", "year"], name="programme_one_call_per_year"),
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="programme_call_window"),
            models.CheckConstraint(condition=Q(money_fen__gt=0), name="programme_call_money_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def money(self) -> Decimal:
        return fen_to_yuan(self.money_fen)


class Tier(models.Model):
    """A tier of a call: its places — ``places`` the target the call announces ("10名左右"), ``places_max`` the
    most the call allows to be awarded (the call's own decision, since "左右" sets no number) — and the money of
    one place. ``value`` is what the engine reads for the tier (``award_tier``, ``team.level``), if it does."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="tiers")
    position = models.PositiveSmallIntegerField("顺序", default=0)
    label = models.CharField("档次", max_length=60)
    value = models.CharField("测算档次", max_length=40, blank=True)
    places = models.PositiveSmallIntegerField("计划名额")
    places_max = models.PositiveSmallIntegerField("名额上限")
    amount_fen = models.BigIntegerField("每项资助（分）")

    class Meta:
        ordering = ["call", "position", "id"]
        verbose_name = verbose_name_plural = "申报档次"
        constraints = [
            models.UniqueConstraint(fields=["call", "label"], name="programme_tier_unique_label"),
            models.CheckConstraint(condition=Q(places_max__gte=F("places"), places__gt=0),
                                   name="programme_tier_places"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="programme_tier_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def amount(self) -> Decimal:
        return fen_to_yuan(self.amount_fen)


class Application(models.Model):
    """One application to a call: by a talent (``talent``), by a team (``talent`` its lead, members in
    ``members``), or by an employer (``organization``; for a person it brought in, ``talent`` that person).
    ``snapshot`` is the engine's explanation at submission, frozen."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name="申报通知")
    subject = models.CharField("申报主体", max_length=12, choices=Subject.choices)
    talent = models.ForeignKey("talents.Talent", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="programme_applications", verbose_name="人才")
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="programme_applications", verbose_name="单位")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="申请人")
    project_title = models.CharField("项目名称", max_length=200)
    summary = models.TextField("项目简介", blank=True)
    tier = models.ForeignKey(Tier, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name="档次")
    team_name = models.CharField("团队名称", max_length=120, blank=True)
    team_kind = models.CharField("团队类型", max_length=12, blank=True)
    team_introduced = models.BooleanField("引进团队", null=True, blank=True)
    added_members = models.PositiveSmallIntegerField("随同引进并经认定的增加成员人数", null=True, blank=True)
    # 急需紧缺人才奖励 declared by an employer: the position of a published 急需紧缺人才需求目录 (the employer's
    # industry chain, the call's year or the year before) the talent was introduced for (004: "按《沈阳市急需紧缺
    # 人才需求目录》引进的各类人才"); checked on submission (opportunities.shortage).
    shortage_entry = models.ForeignKey("opportunities.ShortageEntry", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="programme_applications",
                                       verbose_name="对应急需紧缺目录岗位")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    snapshot = models.JSONField("提交时的计算结果（冻结）", default=dict, blank=True)
    documents = models.JSONField("所附材料", default=dict, blank=True)
    endorsed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="推荐人")
    endorsed_at = models.DateTimeField("单位推荐时间", null=True, blank=True)
    problems = models.JSONField("补正意见", default=dict, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    review_total = models.DecimalField("评审得分", max_digits=7, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField("排名", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "项目申报"
        constraints = [
            # One application per call and person (as applicant, team lead or the person an employer declares),
            # and per call and employer applying for itself.
            models.UniqueConstraint(fields=["call", "talent"], condition=Q(talent__isnull=False),
                                    name="programme_one_application_per_talent"),
            models.UniqueConstraint(fields=["call", "organization"], condition=Q(talent__isnull=True),
                                    name="programme_one_application_per_organization"),
            models.CheckConstraint(condition=Q(talent__isnull=False) | Q(organization__isnull=False),
                                   name="programme_application_has_applicant"),
        ]
        indexes = [models.Index(fields=["call", "status"], name="programme_call_status")]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"XM{self.pk:07d}" if self.pk else "（新申报）"

    @property
    def applicant_name(self) -> str:
        if self.subject == Subject.TEAM:
            return self.team_name or (self.talent.name if self.talent_id else "")
        if self.subject == Subject.ORGANIZATION:
            return self.organization.name if self.organization_id else ""
        return self.talent.name if self.talent_id else ""


class TeamMember(models.Model):
    """A member of a team application, a talent in the registry, who confirms on their own page."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="members")
    talent = models.ForeignKey("talents.Talent", on_delete=models.PROTECT, related_name="programme_memberships",
                               verbose_name="人才")
    duty = models.CharField("分工", max_length=60, blank=True)
    status = models.CharField("确认情况", max_length=10, choices=MemberStatus.choices, default=MemberStatus.INVITED)
    answered_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        ordering = ["application", "id"]
        verbose_name = verbose_name_plural = "团队成员"
        constraints = [models.UniqueConstraint(fields=["application", "talent"], name="programme_member_once")]

    def __str__(self) -> str:
        return f"{self.talent} · {self.get_status_display()}"


class ApplicationEvent(models.Model):
    """The application's timeline: who, when, from which status to which, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=12, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=12, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name="操作人")
    at = models.DateTimeField("时间")
    reason = models.TextField("说明", blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "项目申报记录"

    def __str__(self) -> str:
        return self.get_action_display()


class Award(models.Model):
    """An application chosen from the ranking (择优) with its tier and amount: proposed by staff, approved by a
    leader (the amount committed on the budget line), published (公示), then granted and paid in stages."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="awards")
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="awards", verbose_name="档次")
    amount_fen = models.BigIntegerField("资助金额（分）")
    status = models.CharField("状态", max_length=10, choices=AwardStatus.choices, default=AwardStatus.PROPOSED,
                              db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="提出人")
    proposed_at = models.DateTimeField("提出时间")
    granted_at = models.DateTimeField("立项时间", null=True, blank=True)
    reason = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        ordering = ["call", "application__rank", "id"]
        verbose_name = verbose_name_plural = "立项"
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0), name="programme_award_positive")]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"LX{self.pk:07d}" if self.pk else "（拟立项）"

    @property
    def amount(self) -> Decimal:
        return fen_to_yuan(self.amount_fen)


class GrantStage(models.Model):
    """One stage of an award's money (e.g. 50% on award, 50% on acceptance), paid through payments as a one-time
    entitlement whose ``grant_reference`` is this stage's ``reference``."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField("顺序")
    trigger = models.CharField("拨付条件", max_length=10, choices=StageTrigger.choices)
    amount_fen = models.BigIntegerField("金额（分）")
    status = models.CharField("状态", max_length=10, choices=StageStatus.choices, default=StageStatus.WAITING)
    month = models.DateField("所属月份", null=True, blank=True)

    class Meta:
        ordering = ["award", "position"]
        verbose_name = verbose_name_plural = "分期拨付"
        constraints = [
            models.UniqueConstraint(fields=["award", "position"], name="programme_stage_once"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="programme_stage_positive"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.award.number}-{self.position}"

    @property
    def amount(self) -> Decimal:
        return fen_to_yuan(self.amount_fen)


class Report(models.Model):
    """A milestone of a grant (中期检查, 结题验收): the grantee's report, staff's decision."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="reports")
    milestone = models.CharField("节点", max_length=10, choices=Milestone.choices)
    due_on = models.DateField("提交期限")
    text = models.TextField("进展情况", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DUE)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="审核人")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    reason = models.CharField("审核意见", max_length=500, blank=True)

    class Meta:
        ordering = ["award", "due_on"]
        verbose_name = verbose_name_plural = "中期检查和验收"
        constraints = [models.UniqueConstraint(fields=["award", "milestone"], name="programme_report_once")]

    def __str__(self) -> str:
        return self.get_milestone_display()
