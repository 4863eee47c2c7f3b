"""政策兑现: applications for policies, 免申即享 offers, 精准推送 invitations, approval routes across
departments (steps with statutory and promised deadlines), and 公示 with objections.

No model here keeps a copy of the talent's district: every list is scoped through the talent's current record
(``accounts.permissions.scope_related``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .enums import Action, Level, ObjectionStatus, OfferStatus, Origin, Status, StepDecision


class PolicySetting(models.Model):
    """How the office fulfils one policy: 免申即享 or not (who decided, when, why), the approval route across
    departments, the materials it asks for, 公示 and who is paid. Created from the shipped defaults
    (routes.yaml) the first time a policy is used; administrators edit it."""

    policy = models.CharField("政策编号", max_length=80, unique=True)
    no_application = models.BooleanField("免申即享", default=False)
    example = models.BooleanField("演示示例（非正式决定）", default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="决定人")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    route = models.JSONField("审批路线", default=list)
    documents = models.JSONField("所需材料", default=list, blank=True)
    public_notice_days = models.PositiveSmallIntegerField("公示期（工作日，0为不公示）", default=0)
    employer_may_apply = models.BooleanField("单位可代为申请", default=False)
    payee = models.CharField("收款方", max_length=10, default="talent",
                             choices=[("talent", "人才本人账户"), ("employer", "用人单位账户")])
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["policy"]
        verbose_name = verbose_name_plural = "政策兑现设置"

    def __str__(self) -> str:
        return self.policy


class Application(models.Model):
    """One talent's application for one policy. One record per (talent, policy): withdrawing and
    resubmitting reuses it, and the same form posted twice finds it (the unique constraint is the guard).
    ``snapshot`` is the engine's whole explanation at submission, frozen: later registry or catalog edits
    never change what was decided."""

    talent = models.ForeignKey("talents.Talent", on_delete=models.PROTECT, related_name="fulfilment_applications",
                               verbose_name="人才")
    policy = models.CharField("政策编号", max_length=80, db_index=True)
    policy_title = models.CharField("政策名称", max_length=200)
    origin = models.CharField("来源", max_length=12, choices=Origin.choices, default=Origin.APPLICATION)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="申请人")
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+", verbose_name="代为申请单位")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.REVIEWING,
                              db_index=True)
    current_step = models.ForeignKey("ApplicationStep", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name="当前环节")
    snapshot = models.JSONField("提交时的计算结果（冻结）", default=dict)
    monthly_fen = models.BigIntegerField("每月金额（分）", null=True, blank=True)
    months = models.PositiveIntegerField("月数", null=True, blank=True)
    one_time_fen = models.BigIntegerField("一次性金额（分）", null=True, blank=True)
    total_fen = models.BigIntegerField("合计（分）", null=True, blank=True)
    exclusive_group = models.CharField("不可兼得组", max_length=80, blank=True)
    form = models.JSONField("申请表", default=dict, blank=True)
    documents = models.JSONField("所附材料", default=dict, blank=True)
    submitted_at = models.DateTimeField("提交时间")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    budget_reference = models.CharField("预算占用编号", max_length=60, blank=True)
    entitlement_id = models.BigIntegerField("待遇编号", null=True, blank=True)
    reject_reason = models.TextField("未通过原因", blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = verbose_name_plural = "政策兑现申请"
        constraints = [
            models.UniqueConstraint(fields=["talent", "policy"], name="fulfilment_one_application_per_policy"),
            models.CheckConstraint(condition=Q(monthly_fen__isnull=True) | Q(monthly_fen__gte=0),
                                   name="fulfilment_monthly_not_negative"),
            models.CheckConstraint(condition=Q(one_time_fen__isnull=True) | Q(one_time_fen__gte=0),
                                   name="fulfilment_one_time_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "policy"], name="fulfilment_status_policy")]

    def __str__(self) -> str:
        return f"SQ{self.pk:07d}" if self.pk else "（新申请）"

    @property
    def number(self) -> str:
        return str(self)


class ApplicationStep(models.Model):
    """One step of the approval route, as it was when the application was submitted (the route is copied:
    later edits of the route do not move applications under way). Deadlines are working days."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    round = models.PositiveSmallIntegerField("提交轮次", default=1)
    position = models.PositiveSmallIntegerField("顺序")
    key = models.CharField("环节", max_length=40)
    title = models.CharField("环节名称", max_length=60)
    department = models.CharField("承办部门", max_length=60)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    statutory_days = models.PositiveSmallIntegerField("法定时限（工作日）")
    promised_days = models.PositiveSmallIntegerField("承诺时限（工作日）")
    started_on = models.DateField("开始日期", null=True, blank=True)
    promised_due = models.DateField("承诺办结日", null=True, blank=True)
    statutory_due = models.DateField("法定办结日", null=True, blank=True, db_index=True)
    decision = models.CharField("结果", max_length=10, choices=StepDecision.choices, default=StepDecision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="办理人")
    decided_at = models.DateTimeField("办理时间", null=True, blank=True)
    reason = models.TextField("意见", blank=True)

    class Meta:
        ordering = ["application", "round", "position"]
        verbose_name = verbose_name_plural = "审批环节"
        constraints = [models.UniqueConstraint(fields=["application", "round", "position"],
                                               name="fulfilment_step_unique_position")]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_decision_display()}）"


class ApplicationEvent(models.Model):
    """The application's timeline: who, when, which step, from which status to which, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    step_title = models.CharField("环节", max_length=60, blank=True)
    from_status = models.CharField("原状态", max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=12, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name="操作人")
    actor_label = models.CharField("操作人", max_length=120, blank=True)
    at = models.DateTimeField("时间", db_index=True)
    reason = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "政策兑现申请记录"

    def __str__(self) -> str:
        return f"{self.get_action_display()}：{self.from_status} → {self.to_status}"


class ExclusiveGrant(models.Model):
    """The last guard of 不可兼得 and 一人一次: one approved grant per (talent, claim), where the claim is the
    exclusive group or, for a policy outside any group, the policy itself."""

    talent = models.ForeignKey("talents.Talent", on_delete=models.PROTECT, related_name="+")
    claim = models.CharField("占用", max_length=90)
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="exclusive_grant")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "不可兼得占用"
        constraints = [models.UniqueConstraint(fields=["talent", "claim"], name="fulfilment_one_grant_per_claim")]

    def __str__(self) -> str:
        return self.claim


class Offer(models.Model):
    """免申即享: the match found this talent entitled to a no-application policy; they are told and confirm
    (choosing among exclusive options), and the grant follows without a form."""

    talent = models.ForeignKey("talents.Talent", on_delete=models.CASCADE, related_name="fulfilment_offers")
    policy = models.CharField("政策编号", max_length=80)
    policy_title = models.CharField("政策名称", max_length=200)
    exclusive_group = models.CharField("不可兼得组", max_length=80, blank=True)
    recommended = models.BooleanField("推荐项", default=True)
    monthly_fen = models.BigIntegerField("每月金额（分）", null=True, blank=True)
    one_time_fen = models.BigIntegerField("一次性金额（分）", null=True, blank=True)
    total_fen = models.BigIntegerField("合计（分）", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=OfferStatus.choices, default=OfferStatus.PENDING)
    created_at = models.DateTimeField("推送时间", auto_now_add=True)
    answered_at = models.DateTimeField("确认时间", null=True, blank=True)
    application = models.OneToOneField(Application, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="offer")

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = verbose_name_plural = "免申即享待确认"
        constraints = [models.UniqueConstraint(fields=["talent", "policy"], name="fulfilment_one_offer_per_policy")]

    def __str__(self) -> str:
        return f"{self.policy_title}（{self.get_status_display()}）"


class Invitation(models.Model):
    """精准推送: the office invited an entitled talent who had not applied (once per person and policy)."""

    talent = models.ForeignKey("talents.Talent", on_delete=models.CASCADE, related_name="fulfilment_invitations")
    policy = models.CharField("政策编号", max_length=80)
    policy_title = models.CharField("政策名称", max_length=200)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name="推送人")
    sent_at = models.DateTimeField("推送时间", auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "id"]
        verbose_name = verbose_name_plural = "精准推送"
        constraints = [models.UniqueConstraint(fields=["talent", "policy"],
                                               name="fulfilment_one_invitation_per_policy")]

    def __str__(self) -> str:
        return self.policy_title


class PublicNotice(models.Model):
    """公示: something published (the name masked to the surname) for a notice period of working days, during
    which anyone may object — a 政策兑现 grant, a programme's award, any kind registered in ``notices.py``. The
    subject is a generic reference (``subject_kind`` "app_label.model" and ``subject_id``), one notice per subject:
    publishing it again reopens the same row. A 政策兑现 notice also keeps its application (the same id; a check
    constraint holds the two together), other kinds none."""

    subject_kind = models.CharField("事项类型", max_length=60)
    subject_id = models.BigIntegerField("事项编号")
    application = models.OneToOneField(Application, null=True, blank=True, on_delete=models.CASCADE,
                                       related_name="notice")
    masked_name = models.CharField("姓名", max_length=20)
    title = models.CharField("公示事项", max_length=200)
    amount_text = models.CharField("金额", max_length=60)
    starts_on = models.DateField("公示开始")
    ends_on = models.DateField("公示截止", db_index=True)
    published_at = models.DateTimeField("发布时间")  # the last (re)publication: the objections of this period
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = verbose_name_plural = "公示"
        constraints = [
            models.UniqueConstraint(fields=["subject_kind", "subject_id"], name="fulfilment_one_notice_per_subject"),
            models.CheckConstraint(
                condition=Q(subject_kind="fulfilment.application", application__isnull=False,
                            application=models.F("subject_id"))
                | (~Q(subject_kind="fulfilment.application") & Q(application__isnull=True)),
                name="fulfilment_notice_application_is_its_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.masked_name} {self.title}"


class Objection(models.Model):
    """异议: anyone may object during the notice period; staff must answer before the grant is final."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="objections")
    text = models.TextField("异议内容")
    contact = models.CharField("联系方式", max_length=60, blank=True)
    filed_at = models.DateTimeField("提出时间", auto_now_add=True)
    status = models.CharField("状态", max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="答复人")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        ordering = ["filed_at", "id"]
        verbose_name = verbose_name_plural = "公示异议"

    def __str__(self) -> str:
        return self.get_status_display()
