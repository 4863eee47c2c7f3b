"""Reads of 人才服务, every list scoped through the talent's *current* record (``scope_related``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import require_government, scope_related, talent_scope_q
from rencai.core.errors import NotFound, PermissionDenied

from .enums import OPEN_PART_STATUSES, Escalation, PartStatus, RequestStatus
from .models import (
    AssignmentChange,
    Message,
    PartEvent,
    RequestPart,
    ServiceBundle,
    ServiceItem,
    ServiceRequest,
    Specialist,
    SpecialistAssignment,
)

LIST_LIMIT = 20


def _int(value) -> int:
    from .services import _int as parse

    return parse(value) or 0


def requests_visible(user: User) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.filter(scope_related(user, "talent"))


def parts_visible(user: User) -> QuerySet[RequestPart]:
    return RequestPart.objects.filter(scope_related(user, "talent"))


def request_get(*, user: User, request_id) -> ServiceRequest:
    request = (requests_visible(user).filter(pk=_int(request_id))
               .select_related("talent", "talent__district", "requested_by", "bundle").first())
    if request is None:
        raise NotFound()
    return request


def request_parts(request: ServiceRequest) -> list[RequestPart]:
    parts = list(request.parts.select_related("handled_by", "decided_by", "service_item").order_by("id"))
    events: dict[int, list] = {}
    for event in PartEvent.objects.filter(part__request=request).order_by("at", "id"):
        events.setdefault(event.part_id, []).append(event)
    for part in parts:
        part.timeline = events.get(part.pk, [])
    return parts


def my_requests(*, user: User) -> QuerySet[ServiceRequest]:
    return requests_visible(user).filter(talent__user=user).prefetch_related("parts")


def talent_for_request(*, user: User, talent_id: int | None):
    """Whom ``user`` may request a service for: a talent themself (``talent_id`` ignored); a specialist their
    talents; window staff the talents of their jurisdiction. None otherwise."""
    from rencai.talents.models import Talent
    from rencai.talents.selectors import talent_for_user

    if user.role == Role.TALENT:
        return talent_for_user(user=user)
    if not talent_id:
        return None
    talent = Talent.objects.filter(talent_scope_q(user), pk=talent_id).first() if user.role == Role.STAFF else None
    if talent is None:
        specialist = specialist_of_user(user)
        talent = (Talent.objects.filter(pk=talent_id, specialist_assignment__specialist=specialist).first()
                  if specialist else None)
    return talent


def catalog_items() -> QuerySet[ServiceItem]:
    from .services import catalog_sync

    if not ServiceItem.objects.exists():
        catalog_sync()
    return ServiceItem.objects.filter(active=True).order_by("jurisdiction", "key")


def catalog_bundles() -> QuerySet[ServiceBundle]:
    catalog_items()
    return ServiceBundle.objects.filter(active=True).prefetch_related("items")


def item_get(*, key: str) -> ServiceItem:
    item = catalog_items().filter(key=str(key)[:60]).first()
    if item is None:
        raise NotFound("没有这项服务")
    return item


def bundle_get(*, key: str) -> ServiceBundle:
    bundle = catalog_bundles().filter(key=str(key)[:60]).first()
    if bundle is None:
        raise NotFound("没有这项一件事服务")
    return bundle


# -- departments ------------------------------------------------------------------------------------------------------


def department_keywords(user: User) -> tuple[set[str], str | None]:
    """The item departments a staff member's department answers to, and their level."""
    from rencai.fulfilment.enums import Level

    if not user.is_authenticated or user.role != Role.STAFF or user.department is None:
        return set(), None
    cached = getattr(user, "_service_departments", None)
    if cached is None:
        names = set(ServiceItem.objects.order_by().values_list("department", flat=True).distinct())
        level = Level.CITY if user.department.region_id.endswith("00") else Level.DISTRICT
        cached = user._service_departments = ({n for n in names if n and n in user.department.name}, level)
    return cached


def department_queue(*, user: User, scope: str = "mine", escalated: str = "") -> QuerySet[RequestPart]:
    """Parts for the user's department (at its level) within the jurisdiction, open ones by default, the
    nearest promised day first; ``scope`` "closed" lists the closed ones, "all" every part of the jurisdiction
    (administrators and leaders see every department's)."""
    require_government(user)
    rows = parts_visible(user).select_related("talent", "request", "handled_by")
    if user.role == Role.STAFF:
        keywords, level = department_keywords(user)
        rows = rows.filter(department__in=keywords, level=level)
    if scope == "closed":
        rows = rows.exclude(status__in=OPEN_PART_STATUSES).order_by("-decided_at", "-id")
    else:
        rows = rows.filter(status__in=OPEN_PART_STATUSES).order_by("promised_due", "id")
        if scope == "assigned":
            rows = rows.filter(handled_by=user)
    if escalated in Escalation.values and escalated:
        rows = rows.filter(escalation=escalated)
    return rows


def department_counts(*, user: User) -> dict[str, int]:
    from django.db.models import Count, Q

    today = timezone.localdate()
    return department_queue(user=user).order_by().aggregate(
        open=Count("pk"), breached=Count("pk", filter=Q(promised_due__lt=today)),
        at_risk=Count("pk", filter=Q(escalation=Escalation.AT_RISK)))


def colleagues(*, user: User) -> list[User]:
    """Staff of the user's department (to assign a part to)."""
    if user.department_id is None:
        return []
    return list(User.objects.filter(department_id=user.department_id, role=Role.STAFF, is_active=True)
                .order_by("display_name", "pk")[:100])


# -- supervisors ------------------------------------------------------------------------------------------------------


def require_supervisor(user: User) -> None:
    from .services import is_supervisor

    if not is_supervisor(user):
        raise PermissionDenied("只有督办人员可以查看")


def escalations(*, user: User) -> QuerySet[RequestPart]:
    require_supervisor(user)
    return (parts_visible(user).filter(status__in=OPEN_PART_STATUSES)
            .exclude(escalation=Escalation.NONE).select_related("talent", "request", "handled_by")
            .order_by("promised_due", "id"))


def specialists_for_reassign(*, user: User) -> list[Specialist]:
    require_supervisor(user)
    from .services import _coverage

    own = set(_coverage_codes(user))
    rows = list(Specialist.objects.filter(active=True).select_related("user", "user__department").order_by("pk"))
    return [sp for sp in rows if user.is_administrator or own & set(_coverage(sp))]


def _coverage_codes(user: User) -> list[str]:
    from rencai.accounts.permissions import jurisdiction_codes

    return [] if user.is_administrator or user.department is None else jurisdiction_codes(user)


def specialist_loads(*, user: User) -> list[Specialist]:
    from django.db.models import Count

    ids = [sp.pk for sp in specialists_for_reassign(user=user)]
    return list(Specialist.objects.filter(pk__in=ids).select_related("user", "user__department")
                .annotate(load=Count("assignments")).order_by("pk"))


def assignment_changes(*, user: User) -> QuerySet[AssignmentChange]:
    require_supervisor(user)
    return (AssignmentChange.objects.filter(scope_related(user, "talent"))
            .select_related("talent", "from_specialist__user", "to_specialist__user", "by").order_by("-id"))


# -- specialists ------------------------------------------------------------------------------------------------------


def specialist_of_user(user: User) -> Specialist | None:
    if not user.is_authenticated:
        return None
    return Specialist.objects.filter(user=user, active=True).first()


def specialist_for_talent(talent) -> User | None:
    assignment = (SpecialistAssignment.objects.filter(talent=talent).select_related("specialist__user",
                                                                                     "specialist__user__department")
                  .first())
    return assignment.specialist.user if assignment else None


def specialist_get(*, user: User, specialist_id) -> Specialist:
    """A supervisor opens a specialist's page; a specialist their own."""
    specialist = Specialist.objects.filter(pk=_int(specialist_id)).select_related("user").first()
    if specialist is None or not (specialist.user_id == user.pk or _supervises(user, specialist)):
        raise NotFound()
    return specialist


def _supervises(user: User, specialist: Specialist) -> bool:
    from .services import is_supervisor

    return is_supervisor(user) and specialist in specialists_for_reassign(user=user)


@dataclass
class Overview:
    """Everything of a specialist's talents on one page: each list limited, with its count."""

    specialist: Specialist
    talents: QuerySet
    talent_count: int
    parts: list = field(default_factory=list)
    part_count: int = 0
    applications: list = field(default_factory=list)
    application_count: int = 0
    payments: list = field(default_factory=list)
    recognitions: list = field(default_factory=list)
    entitlements_ending: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    week: list = field(default_factory=list)
    today: dt.date | None = None


def _week_end(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=6 - today.weekday())


def specialist_overview(*, specialist: Specialist, today: dt.date | None = None) -> Overview:
    """One page for a specialist: their talents (a page of them), open service-request parts, 政策兑现
    applications in progress, last months' payments, recognitions ending within 90 days, entitlements ending
    within 60, documents returned for correction, unread messages, and what needs doing this week."""
    from rencai.documents.enums import DocumentStatus
    from rencai.documents.models import Document
    from rencai.fulfilment.enums import OPEN_STATUSES
    from rencai.fulfilment.models import Application
    from rencai.payments.models import Entitlement, EntitlementStatus, Payment
    from rencai.recognition.enums import RecognitionStatus
    from rencai.recognition.models import Recognition
    today = today or timezone.localdate()
    mine = {"talent__specialist_assignment__specialist": specialist}
    # Their talents' ids in talent order, read from the (specialist, talent) index alone (a deep page too); the
    # page's talents are then read by id (``talents_by_id``).
    talents = (SpecialistAssignment.objects.filter(specialist=specialist).order_by("talent_id")
               .values_list("talent_id", flat=True))
    parts_q = (RequestPart.objects.filter(status__in=OPEN_PART_STATUSES, **mine)
               .select_related("talent", "request").order_by("promised_due", "id"))
    apps_q = (Application.objects.filter(status__in=OPEN_STATUSES, **mine)
              .select_related("talent", "current_step").order_by("-submitted_at", "-id"))
    month = today.replace(day=1)
    last = (month - dt.timedelta(days=1)).replace(day=1)
    # The payments of their talents' entitlements, probed through the (entitlement, month) unique index: the
    # entitlements first (by the talent index), never a scan of every payment of the month.
    entitlement_ids = list(Entitlement.objects.filter(**mine).order_by("-id").values_list("pk", flat=True)[:5000])
    payments = list(Payment.objects.filter(entitlement_id__in=entitlement_ids, month__gte=last)
                    .select_related("entitlement__talent").order_by("-month", "-id")[:LIST_LIMIT])
    recognitions = list(Recognition.objects.filter(status=RecognitionStatus.ACTIVE, ended_on__isnull=True,
                                                   valid_until__gte=today,
                                                   valid_until__lte=today + dt.timedelta(days=90), **mine)
                        .select_related("talent").order_by("valid_until", "id")[:LIST_LIMIT])
    ending = list(Entitlement.objects.filter(status=EntitlementStatus.ACTIVE, end_month__gte=month,
                                             end_month__lte=today + dt.timedelta(days=60), **mine)
                  .select_related("talent").order_by("end_month", "id")[:LIST_LIMIT])
    documents = list(Document.objects.filter(status=DocumentStatus.REJECTED, **mine).select_related("talent")
                     .order_by("-reviewed_at", "-id")[:LIST_LIMIT])
    messages = list(Message.objects.filter(read_at__isnull=True, **mine).exclude(sender_id=specialist.user_id)
                    .select_related("talent").order_by("written_at", "id")[:LIST_LIMIT])
    parts = list(parts_q[:LIST_LIMIT])
    end = _week_end(today)
    week = ([("服务请求", f"{p.talent.name}：{p.title}，承诺{p.promised_due:%m月%d日}办结", p.promised_due,
              p.request_id) for p in parts if p.promised_due and p.promised_due <= end]
            + [("认定到期", f"{r.talent.name}：{r.get_category_display()}认定{r.valid_until:%m月%d日}到期",
                r.valid_until, None) for r in recognitions if r.valid_until <= end]
            + [("留言", f"{m.talent.name}的留言待回复", timezone.localdate(m.written_at), None) for m in messages])
    week.sort(key=lambda row: row[2])
    return Overview(
        specialist=specialist, talents=talents, talent_count=talents.count(), parts=parts,
        part_count=parts_q.count(), applications=list(apps_q[:LIST_LIMIT]), application_count=apps_q.count(),
        payments=payments, recognitions=recognitions, entitlements_ending=ending, documents=documents,
        messages=messages, week=week, today=today)


def talents_by_id(ids) -> list:
    from rencai.talents.models import Talent

    found = Talent.objects.filter(pk__in=list(ids)).select_related("district").in_bulk()
    return [found[pk] for pk in ids if pk in found]


def specialist_talent(*, specialist: Specialist, talent_id):
    from rencai.talents.models import Talent

    talent = (Talent.objects.filter(specialist_assignment__specialist=specialist, pk=_int(talent_id))
              .select_related("district").first())
    if talent is None:
        raise NotFound()
    return talent


def message_thread(*, talent) -> list[Message]:
    latest = Message.objects.filter(talent=talent).select_related("sender").order_by("-written_at", "-id")[:50]
    return list(latest)[::-1]


# -- for 好差评 (the feedback app reads these) ---------------------------------------------------------------------


def request_finished(ids) -> dict[int, dict]:
    """Whether each request is finished (every part closed) and, for a rating, who is rated: the officer who
    closed its last part, with their department. ``{id: {talent_id, title, finished, reason, person_id,
    department_id, link}}`` for the ids that exist."""
    rows = {r.pk: r for r in ServiceRequest.objects.filter(pk__in=[i for i in ids if i])}
    closers: dict[int, tuple] = {}
    for request_id, user_id, department_id in (
            RequestPart.objects.filter(request_id__in=list(rows), decided_by__isnull=False,
                                       status__in=(PartStatus.DONE, PartStatus.DECLINED))
            .order_by("request_id", "decided_at", "id")
            .values_list("request_id", "decided_by_id", "decided_by__department_id")):
        closers[request_id] = (user_id, department_id)
    out = {}
    for pk, request in rows.items():
        reason = request_unfinished_reason(request)
        person, department = closers.get(pk, (None, None))
        out[pk] = {"talent_id": request.talent_id, "title": request.title, "finished": not reason,
                   "finished_at": request.finished_at, "reason": reason,
                   "person_id": person, "department_id": department, "link": f"/services/requests/{pk}/"}
    return out


def request_unfinished_reason(request: ServiceRequest) -> str:
    """Why a request cannot be rated yet ("" when every part is closed and it is done)."""
    if request.status == RequestStatus.DONE:
        return ""
    if request.status == RequestStatus.CANCELLED:
        return "该服务请求已撤销"
    return "该服务请求尚未全部办结，办结后才能评价"


def requests_of_talent(talent_id) -> list[int]:
    """A talent's requests, finished first (newest first)."""
    from django.db.models import F

    return list(ServiceRequest.objects.filter(talent_id=talent_id)
                .order_by(F("finished_at").desc(nulls_last=True), "-id").values_list("pk", flat=True)[:200])
