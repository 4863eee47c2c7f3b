"""人才服务 (一件事): the service catalog's database copy (administrators edit it), service requests whose parts
go to their departments in parallel, the one-to-one specialists (服务专员) and the messages between a talent and
their specialist.

No model here keeps a copy of the talent's district: every list is scoped through the talent's current record
(``accounts.permissions.scope_related``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from rencai.fulfilment.enums import Level

from .enums import OPEN_PART_STATUSES, Escalation, Origin, PartAction, PartStatus, RequestStatus


class ServiceItem(models.Model):
    """One service item, created from the shipped catalog (catalog/*.yaml) the first time it is needed and
    then the office's to edit: a time limit no document gives is set here (``deadline_set_by_office``)."""

    key = models.CharField("事项编号", max_length=60, unique=True)
    title = models.CharField("事项名称", max_length=100)
    summary = models.CharField("摘要", max_length=300, blank=True)
    jurisdiction = models.CharField("适用地区代码", max_length=6)
    department = models.CharField("承办部门", max_length=60,
                                  help_text="部门名称中的词，如“教育局”“公安局”“住房”")
    level = models.CharField("层级", max_length=10, choices=Level.choices, default=Level.CITY)
    who = models.JSONField("申请条件", default=dict)
    treatments = models.JSONField("分层次待遇", default=list, blank=True)
    deadline_days = models.PositiveSmallIntegerField("承诺时限（工作日）", null=True, blank=True)
    deadline_quote = models.CharField("时限出处（文件原文）", max_length=200, blank=True)
    deadline_set_by_office = models.BooleanField("时限由窗口设定", default=False)
    materials = models.JSONField("所需材料", default=list, blank=True)
    steps = models.JSONField("办理步骤", default=list, blank=True)
    notes = models.JSONField("说明", default=list, blank=True)
    source_document = models.CharField("出处文件", max_length=60)
    source_quote = models.TextField("出处原文")
    also_sources = models.JSONField("其他出处", default=list, blank=True)
    requestable = models.BooleanField("可在线申请", default=True)
    active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["jurisdiction", "key"]
        verbose_name = verbose_name_plural = "服务事项"
        constraints = [models.CheckConstraint(condition=Q(deadline_days__isnull=True) | Q(deadline_days__lte=60),
                                              name="service_item_deadline_range")]

    def __str__(self) -> str:
        return self.title


class ServiceBundle(models.Model):
    """一件事: several items requested at once, handled by their departments in parallel."""

    key = models.CharField("编号", max_length=60, unique=True)
    title = models.CharField("名称", max_length=100)
    summary = models.CharField("摘要", max_length=300, blank=True)
    jurisdiction = models.CharField("适用地区代码", max_length=6)
    items = models.ManyToManyField(ServiceItem, related_name="bundles", verbose_name="包含事项")
    source_document = models.CharField("出处文件", max_length=60)
    source_quote = models.TextField("出处原文")
    also_sources = models.JSONField("其他出处", default=list, blank=True)
    notes = models.JSONField("说明", default=list, blank=True)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["key"]
        verbose_name = verbose_name_plural = "一件事"

    def __str__(self) -> str:
        return self.title


class ServiceRequest(models.Model):
    """A talent's request: one item, or a bundle whose parts go to their departments at once. Done when every
    part is closed (``finished_at``): what 好差评 asks before a rating (``selectors.request_finished``)."""

    talent = models.ForeignKey("talents.Talent", on_delete=models.PROTECT, related_name="service_requests",
                               verbose_name="人才")
    bundle = models.ForeignKey(ServiceBundle, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="一件事")
    title = models.CharField("事项", max_length=200)
    origin = models.CharField("来源", max_length=12, choices=Origin.choices, default=Origin.TALENT)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="申请人")
    note = models.TextField("说明", blank=True)
    status = models.CharField("状态", max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    submitted_at = models.DateTimeField("提交时间", db_index=True)
    finished_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = verbose_name_plural = "服务请求"
        permissions = [("supervise_services", "督办人才服务（超期上报、服务专员调配）")]
        indexes = [models.Index(fields=["talent", "status"], name="service_request_talent_status")]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"FW{self.pk:07d}" if self.pk else "（新请求）"


class RequestPart(models.Model):
    """One item of a request at its department: routed, assigned, tracked against its time limit in working
    days, escalated when at risk and when breached (``services.deadlines_check``, on the worker's schedule), and
    closed with an outcome the talent sees. The item's department, level, limit and the talent's treatment
    are copied: later edits of the catalog do not move a request under way. One open part per talent and item
    (a unique constraint)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="parts")
    talent = models.ForeignKey("talents.Talent", on_delete=models.PROTECT, related_name="+", verbose_name="人才")
    service_item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="+", verbose_name="服务事项")
    title = models.CharField("事项", max_length=100)
    department = models.CharField("承办部门", max_length=60)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    treatment = models.TextField("适用待遇", blank=True)
    status = models.CharField("状态", max_length=10, choices=PartStatus.choices, default=PartStatus.WAITING)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name="承办人")
    deadline_days = models.PositiveSmallIntegerField("承诺时限（工作日）", null=True, blank=True)
    started_on = models.DateField("开始日期")
    promised_due = models.DateField("承诺办结日", null=True, blank=True)
    at_risk_on = models.DateField("预警日期", null=True, blank=True)
    escalation = models.CharField("督办", max_length=10, choices=Escalation.choices, default=Escalation.NONE,
                                  blank=True)
    escalated_at = models.DateTimeField("上报时间", null=True, blank=True)
    outcome = models.TextField("办理结果", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name="办结人")
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)
    documents = models.JSONField("所附材料", default=dict, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        ordering = ["request", "id"]
        verbose_name = verbose_name_plural = "服务事项办理"
        constraints = [
            models.UniqueConstraint(fields=["talent", "service_item"], condition=Q(status__in=OPEN_PART_STATUSES),
                                    name="service_one_open_part_per_item"),
            models.CheckConstraint(condition=Q(promised_due__isnull=True) | Q(promised_due__gte=models.F("started_on")),
                                   name="service_part_due_after_start"),
        ]
        indexes = [
            models.Index(fields=["status", "department", "level", "promised_due"], name="service_part_queue"),
            models.Index(fields=["status", "escalation"], name="service_part_escalation"),
            models.Index(fields=["talent", "status"], name="service_part_talent"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PART_STATUSES


class PartEvent(models.Model):
    """A part's timeline: who, when, from which status to which, and why."""

    part = models.ForeignKey(RequestPart, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=10, choices=PartAction.choices)
    from_status = models.CharField("原状态", max_length=10, choices=PartStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=10, choices=PartStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name="操作人")
    actor_label = models.CharField("操作人", max_length=120, blank=True)
    at = models.DateTimeField("时间")
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "服务事项办理记录"

    def __str__(self) -> str:
        return self.get_action_display()


class Specialist(models.Model):
    """服务专员: a government officer serving high-level talents one to one, within their department's
    jurisdiction."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="specialist",
                                verbose_name="工作人员")
    active = models.BooleanField("在岗", default=True)
    created_at = models.DateTimeField("设立时间", auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "服务专员"

    def __str__(self) -> str:
        return str(self.user)


class SpecialistAssignment(models.Model):
    """The talent's specialist now: one per talent (the constraint), moved by a supervisor
    (``AssignmentChange`` keeps the history)."""

    talent = models.OneToOneField("talents.Talent", on_delete=models.CASCADE, related_name="specialist_assignment",
                                  verbose_name="人才")
    specialist = models.ForeignKey(Specialist, on_delete=models.PROTECT, related_name="assignments",
                                   verbose_name="服务专员")
    assigned_at = models.DateTimeField("分配时间")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="分配人")

    class Meta:
        verbose_name = verbose_name_plural = "服务专员分配"
        # A specialist's talents in talent order: a page of them is an index range, however many they serve.
        indexes = [models.Index(fields=["specialist", "talent"], name="service_specialist_talents")]

    def __str__(self) -> str:
        return f"{self.talent_id} → {self.specialist}"


class AssignmentChange(models.Model):
    talent = models.ForeignKey("talents.Talent", on_delete=models.CASCADE, related_name="+", verbose_name="人才")
    from_specialist = models.ForeignKey(Specialist, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", verbose_name="原服务专员")
    to_specialist = models.ForeignKey(Specialist, on_delete=models.PROTECT, related_name="+",
                                      verbose_name="新服务专员")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                           related_name="+", verbose_name="调整人")
    at = models.DateTimeField("时间", db_index=True)
    reason = models.CharField("原因", max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = "服务专员调整记录"

    def __str__(self) -> str:
        return self.reason


class Message(models.Model):
    """A message between a talent and their specialist (the thread is the talent's)."""

    talent = models.ForeignKey("talents.Talent", on_delete=models.CASCADE, related_name="+", verbose_name="人才")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name="发送人")
    body = models.TextField("内容")
    written_at = models.DateTimeField("留言时间")
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        ordering = ["written_at", "id"]
        verbose_name = verbose_name_plural = "服务专员留言"
        indexes = [models.Index(fields=["talent", "written_at"], name="service_message_thread")]

    def __str__(self) -> str:
        return self.body[:30]
