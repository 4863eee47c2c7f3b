"""对接活动 (issue 11; 003: "每年组织归国人才专题对接活动不少于10场", 海外专场招聘会, 创业周, 南通人才日, every talent
met "持续跟踪和个性化服务"): events staff hold (``Event``), who registered and who came (``Registration``: a talent
from their registry record, or an employer with a number of attendees; each with an unguessable check-in token
shown as a QR code), and the follow-up of every talent met (``FollowUp``, with its history ``FollowUpNote``).

Scope: an event belongs to its district's office; a registration or a follow-up of a talent is scoped through the
talent's *current* record (accounts.permissions.scope_related), never a district copied onto the row.
The database guards one registration per talent (or employer) and event, one follow-up per talent and event, and
an attendance recorded once; capacity is checked under the event's row lock (services.registration_create)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .enums import EventKind, EventStatus, FollowUpAction, FollowUpStatus


class Event(models.Model):
    kind = models.CharField("活动类型", max_length=14, choices=EventKind.choices)
    title = models.CharField("活动名称", max_length=120)
    description = models.TextField("活动介绍", blank=True)
    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                                 verbose_name="举办区县")
    venue = models.CharField("活动地点", max_length=200, blank=True)
    online_link = models.URLField("线上参与链接", max_length=300, blank=True)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    capacity = models.PositiveIntegerField("名额（人）")
    registration_deadline = models.DateTimeField("报名截止时间")
    organizer = models.CharField("主办部门", max_length=100)
    status = models.CharField("活动状态", max_length=10, choices=EventStatus.choices, default=EventStatus.PUBLISHED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="创建人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = verbose_name_plural = "对接活动"
        indexes = [models.Index(fields=["district", "starts_at"], name="event_district_start")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
            models.CheckConstraint(condition=~Q(venue="") | ~Q(online_link=""), name="event_has_place"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        return f"HD{self.pk:06d}"


class Registration(models.Model):
    """A talent's registration (``talent``) or an employer's (``organization``, ``attendees`` people), or a talent
    staff met at the event without one (``walk_in``, checked in at once, outside the capacity)."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations", verbose_name="活动")
    talent = models.ForeignKey("talents.Talent", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="event_registrations", verbose_name="人才")
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="event_registrations", verbose_name="报名单位")
    attendees = models.PositiveSmallIntegerField("参会人数", default=1)
    walk_in = models.BooleanField("现场登记", default=False)
    token = models.CharField("签到码", max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="报名人")
    created_at = models.DateTimeField("报名时间", auto_now_add=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name="签到登记人")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = verbose_name_plural = "活动报名"
        constraints = [
            models.UniqueConstraint(fields=["event", "talent"], condition=Q(talent__isnull=False),
                                    name="registration_once_per_talent"),
            models.UniqueConstraint(fields=["event", "organization"], condition=Q(organization__isnull=False),
                                    name="registration_once_per_organization"),
            models.CheckConstraint(condition=(Q(talent__isnull=False) & Q(organization__isnull=True))
                                   | (Q(talent__isnull=True) & Q(organization__isnull=False)),
                                   name="registration_talent_or_organization"),
            models.CheckConstraint(condition=Q(attendees__gte=1), name="registration_attendees_positive"),
            models.CheckConstraint(condition=Q(walk_in=False) | Q(checked_in_at__isnull=False),
                                   name="registration_walk_in_attended"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.talent_id or self.organization_id}"


class FollowUp(models.Model):
    """持续跟踪: a talent met at an event, with an owner, the next step and its working-day due date, open until
    closed with an outcome. ``version`` moves with every act, so a form shown before someone else acted is a 409."""

    talent = models.ForeignKey("talents.Talent", on_delete=models.PROTECT, related_name="event_follow_ups",
                               verbose_name="人才")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="follow_ups", verbose_name="活动")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_follow_ups",
                              verbose_name="跟踪责任人")
    next_step = models.CharField("下一步", max_length=200)
    due_on = models.DateField("期限")
    status = models.CharField("跟踪状态", max_length=8, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN,
                              db_index=True)
    outcome = models.CharField("跟踪结果", max_length=500, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("建立时间", auto_now_add=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = verbose_name_plural = "活动跟踪"
        constraints = [
            models.UniqueConstraint(fields=["event", "talent"], name="followup_once_per_event_talent"),
            models.CheckConstraint(condition=Q(status=FollowUpStatus.OPEN) | ~Q(outcome=""),
                                   name="followup_closed_has_outcome"),
        ]
        indexes = [models.Index(fields=["owner", "status", "due_on"], name="followup_owner_due")]

    def __str__(self) -> str:
        return f"{self.talent_id}@{self.event_id}"


class FollowUpNote(models.Model):
    """One line of a follow-up's history: created, a contact logged, reassigned, closed — who, when, what."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="notes", verbose_name="跟踪")
    action = models.CharField("操作", max_length=10, choices=FollowUpAction.choices)
    text = models.CharField("记录内容", max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name="操作人")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "跟踪记录"

    def __str__(self) -> str:
        return f"{self.follow_up_id} {self.action}"
