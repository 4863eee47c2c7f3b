"""Reads of 政策兑现, every list scoped through the talent's *current* record (``scope_related``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import require_government, scope_related
from rencai.core.errors import NotFound

from . import notices
from .enums import OPEN_STATUSES, Level, ObjectionStatus, OfferStatus, Status
from .models import Application, ApplicationStep, Objection, Offer, PolicySetting, PublicNotice


def applications_visible(user: User) -> QuerySet[Application]:
    return Application.objects.filter(scope_related(user, "talent"))


def application_get(*, user: User, application_id) -> Application:
    from .services import _int

    application = (applications_visible(user).filter(pk=_int(application_id) or 0)
                   .select_related("talent", "talent__district", "current_step", "applicant").first())
    if application is None:
        raise NotFound()
    return application


def step_following(step: ApplicationStep) -> ApplicationStep | None:
    """The step after ``step`` in its round of the route (None: ``step`` is the last)."""
    return ApplicationStep.objects.filter(application_id=step.application_id, round=step.round,
                                          position=step.position + 1).first()


def objection_get(*, user: User, objection_id) -> Objection:
    """An objection the user may answer: to a grant of a talent in their jurisdiction, or to another kind's notice
    whose staff they are (notices.may_answer)."""
    from .services import _int

    require_government(user)
    objection = (Objection.objects.filter(pk=_int(objection_id) or 0)
                 .select_related("notice", "notice__application", "notice__application__talent").first())
    if objection is None or not notices.may_answer(objection.notice, user):
        raise NotFound()
    return objection


def department_keywords(user: User) -> tuple[set[str], str | None]:
    """The route departments a staff member's department answers to, and their level."""
    from .routes import shipped

    if not user.is_authenticated or user.role != Role.STAFF or user.department is None:
        return set(), None
    names = {step["department"] for steps in shipped()["routes"].values() for step in steps}
    for route in PolicySetting.objects.values_list("route", flat=True):
        names |= {step.get("department", "") for step in route or [] if isinstance(step, dict)}
    level = Level.CITY if user.department.region_id.endswith("00") else Level.DISTRICT
    return {n for n in names if n and n in user.department.name}, level


def queue(*, user: User, policy: str = "", step: str = "", overdue: str = "", status: str = "mine"
          ) -> QuerySet[Application]:
    """The staff queue: by default the applications whose current step waits for the user's department (at
    its level), within the jurisdiction; ``status`` "all" lists every application in the jurisdiction.
    ``overdue``: "promised" (past the promised deadline) or "statutory" (past the statutory one)."""
    require_government(user)
    rows = applications_visible(user).select_related("talent", "talent__district", "current_step")
    if status == "mine":
        rows = rows.filter(status=Status.REVIEWING)
        if not user.is_administrator:
            keywords, level = department_keywords(user)
            rows = rows.filter(current_step__department__in=keywords, current_step__level=level)
    elif status in Status.values:
        rows = rows.filter(status=status)
    if policy:
        rows = rows.filter(policy=policy)
    if step:
        rows = rows.filter(current_step__key=step)
    today = timezone.localdate()
    if overdue == "promised":
        rows = rows.filter(status=Status.REVIEWING, current_step__promised_due__lt=today)
    elif overdue == "statutory":
        rows = rows.filter(status=Status.REVIEWING, current_step__statutory_due__lt=today)
    return rows.order_by("current_step__promised_due", "submitted_at", "pk")


def overdue_counts(*, user: User) -> list[dict]:
    """For leaders and staff: per step under way, how many applications, how many past the promised deadline
    and how many past the statutory one (within the jurisdiction)."""
    require_government(user)
    today = timezone.localdate()
    return list(
        ApplicationStep.objects.filter(
            pk__in=applications_visible(user).filter(status=Status.REVIEWING).values("current_step"))
        .values("title", "department", "level")
        .annotate(total=Count("pk"), promised=Count("pk", filter=Q(promised_due__lt=today)),
                  statutory=Count("pk", filter=Q(statutory_due__lt=today)))
        .order_by("department", "title"))


def step_is_overdue(step: ApplicationStep | None, *, today: dt.date | None = None) -> str:
    """"statutory", "promised" or "" for a step under way."""
    if step is None or step.decided_at is not None or step.promised_due is None:
        return ""
    today = today or timezone.localdate()
    if step.statutory_due and step.statutory_due < today:
        return "statutory"
    return "promised" if step.promised_due < today else ""


def my_applications(*, user: User) -> QuerySet[Application]:
    return applications_visible(user).select_related("current_step").order_by("-submitted_at")


def my_offers(*, user: User) -> QuerySet[Offer]:
    return Offer.objects.filter(scope_related(user, "talent")).order_by("status", "exclusive_group", "-recommended")


def pending_offers(*, user: User) -> QuerySet[Offer]:
    return my_offers(user=user).filter(status=OfferStatus.PENDING)


def own_offers(*, user: User) -> QuerySet[Offer]:
    """The offers a talent may confirm or decline: their own (an employer sees none of its staff's here)."""
    return my_offers(user=user).filter(talent__user=user) if user.is_authenticated else Offer.objects.none()


def example_policies() -> set[str]:
    """Policies whose 免申即享 marking is a demo example (flagged as such wherever an offer is shown)."""
    return set(PolicySetting.objects.filter(example=True).values_list("policy", flat=True))


def public_notices(*, on: dt.date | None = None) -> QuerySet[PublicNotice]:
    """The public page: notices of every registered kind in their period (no login; names already masked)."""
    on = on or timezone.localdate()
    return PublicNotice.objects.filter(closed_at__isnull=True, starts_on__lte=on, ends_on__gte=on,
                                       subject_kind__in=list(notices.KINDS)).order_by("ends_on", "pk")


def public_notice_groups(*, on: dt.date | None = None) -> list[tuple[str, list[PublicNotice]]]:
    """The public page's notices grouped by kind, each under its kind's label, in the order the kinds were
    registered (政策兑现 first)."""
    by_kind: dict[str, list[PublicNotice]] = {}
    for notice in public_notices(on=on):
        by_kind.setdefault(notice.subject_kind, []).append(notice)
    return [(notices.kind_label(kind), by_kind[kind]) for kind in notices.KINDS if kind in by_kind]


def notice_of(*, kind: str, subject_id: int) -> PublicNotice | None:
    """A subject's notice (open or closed), for the subject's own page; its objections are ``notice.objections``."""
    return PublicNotice.objects.filter(subject_kind=kind, subject_id=subject_id).first()


def objections_open(*, user: User) -> QuerySet[Objection]:
    """政策兑现's objections waiting for an answer in the user's jurisdiction (the queue and the home page; another
    kind's staff are told of theirs with a link to the subject's page)."""
    require_government(user)
    return (Objection.objects.filter(scope_related(user, "notice__application__talent"),
                                     notice__subject_kind=notices.FULFILMENT, status=ObjectionStatus.OPEN)
            .select_related("notice", "notice__application").order_by("filed_at"))


def pending_amounts(year: int) -> dict[str, int]:
    """Fen per policy that the applications in progress would pay in ``year`` if approved now (the budget
    forecast of the payments app reads it)."""
    from rencai.payments.budgets import schedule_fen_in_year

    start = timezone.localdate().replace(day=1)
    shapes = (Application.objects.filter(status__in=OPEN_STATUSES)
              .values("policy", "monthly_fen", "months", "one_time_fen").annotate(n=Count("pk")).order_by())
    result: dict[str, int] = {}
    for row in shapes:
        fen = schedule_fen_in_year(monthly_fen=row["monthly_fen"], months=row["months"],
                                   one_time_fen=row["one_time_fen"], start_month=max(start, dt.date(year, 1, 1)),
                                   year=year)
        if fen:
            result[row["policy"]] = result.get(row["policy"], 0) + fen * row["n"]
    return result


def received_for(talent_ids) -> dict[int, list[str]]:
    """talent → the policies already received: active entitlements (payments app) and approved applications.
    政策找人 and the calculator on a talent's page read it as the profile's ``received``, so the lists show who
    truly has not received a benefit."""
    ids = list(talent_ids)
    found: dict[int, set[str]] = {}
    rows = Application.objects.filter(talent_id__in=ids, status=Status.APPROVED).values_list("talent_id", "policy")
    for talent_id, policy in rows.iterator(chunk_size=10_000):
        found.setdefault(talent_id, set()).add(policy)
    from rencai.payments.models import Entitlement, EntitlementStatus

    active = Entitlement.objects.filter(talent_id__in=ids, status=EntitlementStatus.ACTIVE).values_list(
        "talent_id", "policy")
    for talent_id, policy in active.iterator(chunk_size=10_000):
        found.setdefault(talent_id, set()).add(policy)
    return {talent_id: sorted(policies) for talent_id, policies in found.items()}
