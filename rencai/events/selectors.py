"""Reads of 对接活动.

- Events: talent and employers see every published event (the office publishes them to all); staff and leaders
  their jurisdiction's events; administrators all; other roles none (403).
- Registrations of an event (the organizers' list and export): staff, leaders and administrators whose
  jurisdiction holds the event's district; the talent rows among them only those within the viewer's jurisdiction
  by the talent's *current* record (scope_related), employers' rows all.
- Follow-ups: through the talent's current record (scope_related(user, "talent")), so a talent who moves leaves
  the old district's list at once; "mine" is the viewer's own among them, overdue and due soon first.
- A registrant's own registrations (talent: theirs; employer: its organization's), for the QR page.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import jurisdiction_codes, require_government, scope_related
from rencai.core.errors import NotFound, PermissionDenied
from rencai.core.parsing import optional_int

from .enums import EventStatus, FollowUpStatus
from .models import Event, FollowUp, Registration

DUE_SOON_DAYS = 3


def events_visible(user: User) -> QuerySet[Event]:
    if not user.is_authenticated:
        raise PermissionDenied("请先登录")
    if user.is_administrator:
        return Event.objects.all()
    if user.is_government:
        return Event.objects.filter(district_id__in=jurisdiction_codes(user))
    if user.role in (Role.TALENT, Role.EMPLOYER):
        return Event.objects.filter(status=EventStatus.PUBLISHED)
    raise PermissionDenied("只有人才、用人单位和政府工作人员可以查看对接活动")


def event_list(*, user: User, when: str = "upcoming", kind: str = "") -> QuerySet[Event]:
    """``when``: "upcoming" (not ended yet, soonest first, the default), "past" (latest first) or "all"."""
    rows = events_visible(user).select_related("district")
    if kind:
        rows = rows.filter(kind=kind)
    now = timezone.now()
    if when == "past":
        return rows.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    if when == "all":
        return rows.order_by("-starts_at", "-id")
    return rows.filter(ends_at__gte=now).order_by("starts_at", "id")


def with_counts(rows: QuerySet[Event]) -> QuerySet[Event]:
    return rows.annotate(seats=Sum("registrations__attendees", filter=Q(registrations__walk_in=False)),
                         attended=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)))


def event_get(*, user: User, event_id) -> Event:
    event = events_visible(user).filter(pk=optional_int(event_id) or 0).select_related("district").first()
    if event is None:
        raise NotFound("未找到该活动，或不在您的管辖范围内")
    return event


def is_organizer(user: User, event: Event) -> bool:
    return user.is_authenticated and (user.is_administrator or (
        user.is_government and event.district_id in jurisdiction_codes(user)))


def event_registrations(*, user: User, event: Event) -> QuerySet[Registration]:
    require_government(user)
    if not is_organizer(user, event):
        raise NotFound("未找到该活动，或不在您的管辖范围内")
    return (event.registrations.filter(scope_related(user, "talent") | Q(talent__isnull=True))
            .select_related("talent", "talent__district", "organization", "checked_in_by")
            .order_by("created_at", "id"))


def my_registration(*, user: User, event: Event) -> Registration | None:
    mine = my_registrations(user)
    return mine.filter(event=event).first() if mine is not None else None


def my_registrations(user: User) -> QuerySet[Registration] | None:
    if not user.is_authenticated:
        return None
    if user.role == Role.TALENT:
        return Registration.objects.filter(talent__user=user).select_related("event")
    if user.role == Role.EMPLOYER and user.organization_id:
        return Registration.objects.filter(organization_id=user.organization_id).select_related("event")
    return None


def registration_get_own(*, user: User, registration_id) -> Registration:
    mine = my_registrations(user)
    registration = (mine.filter(pk=optional_int(registration_id) or 0).select_related("event", "event__district")
                    .first() if mine is not None else None)
    if registration is None:
        raise NotFound("未找到该报名")
    return registration


def followups_visible(user: User) -> QuerySet[FollowUp]:
    require_government(user)
    return FollowUp.objects.filter(scope_related(user, "talent"))


def followup_list(*, user: User, scope: str = "mine", status: str = "open") -> QuerySet[FollowUp]:
    """``scope`` "mine" (owned by the viewer, the default) or "all" (the jurisdiction's); ``status`` "open",
    "closed" or "all". Overdue and due soonest first."""
    rows = followups_visible(user)
    if scope != "all":
        rows = rows.filter(owner=user)
    if status in FollowUpStatus.values:
        rows = rows.filter(status=status)
    return rows.select_related("talent", "talent__district", "event", "owner").order_by("status", "due_on", "id")


def due_label(follow_up: FollowUp, today: dt.date | None = None) -> str:
    """"已逾期", "即将到期" (within DUE_SOON_DAYS days) or "" for an open follow-up."""
    if follow_up.status != FollowUpStatus.OPEN:
        return ""
    today = today or timezone.localdate()
    if follow_up.due_on < today:
        return "已逾期"
    return "即将到期" if (follow_up.due_on - today).days <= DUE_SOON_DAYS else ""


def followup_get(*, user: User, followup_id) -> FollowUp:
    follow_up = (followups_visible(user).filter(pk=optional_int(followup_id) or 0)
                 .select_related("talent", "talent__district", "event", "owner").first())
    if follow_up is None:
        raise NotFound("未找到该跟踪事项，或不在您的管辖范围内")
    return follow_up


def owners_for(follow_up: FollowUp) -> list[User]:
    """Who may take a follow-up over: active staff whose jurisdiction holds the talent's current district."""
    code = follow_up.talent.district_id
    return list(User.objects.filter(role=Role.STAFF, is_active=True,
                                    department__region_id__in={code, code[:4] + "00", code[:2] + "0000"})
                .order_by("department__region_id", "username"))


def followup_counts(*, user: User) -> dict[str, int]:
    """The viewer's open follow-ups: {"open", "overdue", "due_soon"} (one query)."""
    today = timezone.localdate()
    return followups_visible(user).filter(owner=user, status=FollowUpStatus.OPEN).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)),
        due_soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))))
