"""Reads of recognition, always scoped to what the user may see (accounts.permissions decides)."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import require_government, scope_related, talent_scope_q
from rencai.core.errors import NotFound, PermissionDenied
from rencai.reviews import selectors as reviews
from rencai.reviews.models import Assignment, Expert
from rencai.talents.models import Talent

from . import review
from .enums import CATEGORY_RANK, OPEN_STATUSES, RecognitionStatus, Status, Way, higher
from .models import (
    Application,
    ApplicationEvent,
    Attachment,
    EmployerAuthorization,
    EvidenceRequirement,
    Recognition,
    Standard,
)


def today() -> dt.date:
    return timezone.localdate()


# --- the standard ---------------------------------------------------------------------------------------

def standard_in_force(*, on: dt.date | None = None) -> Standard:
    """The version of the standard in force on a day: the latest one that had started by then."""
    standard = Standard.objects.filter(valid_from__lte=on or today()).order_by("-valid_from").first()
    if standard is None:
        raise NotFound("尚未配置人才认定标准，请联系系统管理员")
    return standard


def requirements_for(application: Application) -> list[EvidenceRequirement]:
    """What this application must (or may) attach: the standard's common documents, plus the matched
    item's (direct recognition) or the way's (review, employer recognition)."""
    own = Q(item=application.item_id) if application.way == Way.DIRECT else Q(way=application.way, item__isnull=True)
    return list(EvidenceRequirement.objects.filter(Q(item__isnull=True, way="") | own,
                                                   standard=application.standard_id)
                .order_by("position", "id"))


@dataclass
class EvidenceRow:
    requirement: EvidenceRequirement
    attachments: list[Attachment] = field(default_factory=list)  # accepted so far
    returned: list[Attachment] = field(default_factory=list)  # flagged by staff, to be replaced
    on_file: list = field(default_factory=list)  # the talent's documents of this kind that could be attached

    @property
    def missing(self) -> bool:
        return self.requirement.required and not self.attachments


def evidence_rows(application: Application, *, with_on_file: bool = False) -> list[EvidenceRow]:
    """Per requirement, what is attached and what was returned; ``with_on_file`` adds the talent's documents in
    the document store (材料库) that could be attached instead of uploading again (the requirement's kind;
    every kind for a requirement of no particular kind), rejected ones and those already attached left out."""
    rows = {r.pk: EvidenceRow(r) for r in requirements_for(application)}
    for attachment in application.attachments.select_related("document"):
        row = rows.get(attachment.requirement_id)
        if row is not None:
            (row.returned if attachment.problem else row.attachments).append(attachment)
    if with_on_file:
        from rencai.documents.enums import DocumentKind, DocumentStatus
        from rencai.documents.models import Document

        documents = list(Document.objects.filter(talent_id=application.talent_id)
                         .exclude(status=DocumentStatus.REJECTED).order_by("kind", "-uploaded_at", "-id"))
        for row in rows.values():
            attached = {a.document_id for a in row.attachments + row.returned}
            kind = row.requirement.document_kind
            row.on_file = [d for d in documents if d.pk not in attached and (kind == DocumentKind.OTHER
                                                                             or d.kind == kind)]
    return list(rows.values())


def missing_evidence(application: Application) -> list[EvidenceRequirement]:
    """Every required document not yet attached (or returned by staff), all at once (一次性告知)."""
    return [row.requirement for row in evidence_rows(application) if row.missing]


# --- categories over time -------------------------------------------------------------------------------

def _valid_recognitions(talent: Talent, on: dt.date) -> list[Recognition]:
    return list(Recognition.objects.filter(talent=talent, valid_from__lte=on, valid_until__gte=on)
                .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on)))


def current_recognition(talent: Talent, *, on: dt.date | None = None) -> Recognition | None:
    """The highest recognition valid on a day, if any."""
    valid = _valid_recognitions(talent, on or today())
    return min(valid, key=lambda r: CATEGORY_RANK[r.category]) if valid else None


def _legacy(talent: Talent) -> tuple[str, dt.date | None]:
    """A category recognised before the platform: the registry's own, or, once the platform has recognised
    the talent, what the registry said when the first of those applications was made."""
    first = (Recognition.objects.filter(talent=talent).select_related("application").order_by("granted_at", "id")
             .first())
    if first is None:
        return talent.talent_category, talent.category_recognized_on
    return first.application.previous_category, first.application.previous_recognized_on


def category_held(talent: Talent, *, on: dt.date | None = None) -> tuple[str, dt.date | None]:
    """(category, recognised on) valid on a day: the highest of the platform's recognitions valid that day
    and a category recognised before the platform (which has no recorded expiry). ("", None) if none."""
    on = on or today()
    best = current_recognition(talent, on=on)
    category, since = (best.category, best.valid_from) if best else ("", None)
    legacy, legacy_on = _legacy(talent)
    if legacy and (legacy_on is None or legacy_on <= on) and higher(legacy, category):
        category, since = legacy, legacy_on
    return category, since


def categories_on(*, on: dt.date) -> dict[int, str]:
    """``category_on`` for every talent the platform has recognised, in two queries: the batch match and
    budget simulation ask it for the whole registry. Talents absent from the result have no platform
    recognition; the registry's own category (recognised before the platform) is theirs."""
    best: dict[int, str] = {}
    valid = (Recognition.objects.filter(valid_from__lte=on, valid_until__gte=on)
             .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on)).values_list("talent_id", "category"))
    for talent_id, category in valid:
        if higher(category, best.get(talent_id, "")):
            best[talent_id] = category
    result: dict[int, str] = {}
    firsts = (Recognition.objects.order_by("talent_id", "granted_at", "id")
              .values_list("talent_id", "application__previous_category", "application__previous_recognized_on"))
    for talent_id, legacy, legacy_on in firsts:
        if talent_id in result:
            continue  # only the first recognition's application records what the registry held before
        category = best.get(talent_id, "")
        if legacy and (legacy_on is None or legacy_on <= on) and higher(legacy, category):
            category = legacy
        result[talent_id] = category
    return result


def category_on(talent: Talent, on: dt.date) -> str:
    """The category a policy evaluated on ``on`` should see ("" when none was valid that day)."""
    return category_held(talent, on=on)[0]


# --- who sees which application -------------------------------------------------------------------------

@dataclass(frozen=True)
class ReviewOutcome:
    """What the panel's scores lead to under the pass marks: the average, the category reached (or "" for
    不予认定), and the mark of the category applied for."""

    experts: int
    average: Decimal
    category: str
    marks: dict


def review_outcome(application: Application, *, on: dt.date | None = None) -> ReviewOutcome | None:
    """The decision 按评审结果作出决定 makes: the highest category, up to the one applied for, whose mark the
    panel's result (rencai.reviews: the mean of the experts' totals, rounded half up to 0.01) reaches (and higher
    than the one held); None while a score is missing."""
    result = reviews.panel_result(review.ref(application))
    if result is None or not result.complete:
        return None
    average = result.result
    marks = {r.category: r.review_threshold for r in application.standard.rules.all()}
    held, _ = category_held(application.talent, on=on or today())
    reached = [c for c in sorted(marks, key=CATEGORY_RANK.get)
               if CATEGORY_RANK[c] >= CATEGORY_RANK[application.category] and average >= marks[c] and higher(c, held)]
    return ReviewOutcome(experts=result.experts, average=average, category=reached[0] if reached else "",
                         marks=marks)


def application_scope_q(user: User) -> Q:
    """Applications of the talents the user may read (accounts.permissions.talent_scope_q), plus, for an
    expert, those on which the expert sits."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_administrator:
        return Q()
    scope = scope_related(user, "talent")
    if user.role == Role.EXPERT:
        scope |= Q(pk__in=reviews.assigned_item_ids(user=user, kind=review.KIND))
    return scope


def application_get(*, user: User, application_id: int) -> Application:
    application = (Application.objects.filter(application_scope_q(user), pk=application_id)
                   .select_related("talent", "talent__district", "talent__organization", "item", "standard",
                                   "organization", "authorization", "decided_by", "created_by")
                   .first())
    if application is None:
        raise NotFound()
    return application


def application_is_visible(*, user: User, application_id: int) -> bool:
    return Application.objects.filter(application_scope_q(user), pk=application_id).exists()


def is_applicant(user: User, application: Application) -> bool:
    """The talent, or staff of the talent's employer; for 自主认定, staff of the authorised employer."""
    talent = application.talent
    if application.way == Way.EMPLOYER:
        return user.role == Role.EMPLOYER and user.organization_id == application.authorization.organization_id
    if user.role == Role.TALENT:
        return talent.user_id == user.pk
    if user.role == Role.EMPLOYER:
        return (user.organization_id is not None and user.organization_id == talent.organization_id
                and talent.employment_confirmed)
    return False


@dataclass(frozen=True)
class Permissions:
    """What the page offers this user on this application (the services check again when it is used)."""

    applicant: bool
    office: bool  # may take the talent office's steps (staff or administrator; the jurisdiction is given)
    editable: bool  # evidence may be added
    can_withdraw: bool


def application_permissions(*, user: User, application: Application) -> Permissions:
    applicant = is_applicant(user, application)
    office = user.role == Role.STAFF or user.is_administrator
    editable = applicant and application.status in (Status.DRAFT, Status.RETURNED)
    return Permissions(applicant=applicant, office=office, editable=editable,
                       can_withdraw=applicant and application.status in OPEN_STATUSES)


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    way: str = ""
    category: str = ""
    name: str = ""


def application_queue(*, user: User, filters: QueueFilters | None = None) -> QuerySet[Application]:
    """The office's queue: applications in the user's jurisdiction, oldest submission first."""
    require_government(user)
    filters = filters or QueueFilters()
    qs = (Application.objects.filter(application_scope_q(user)).exclude(status=Status.DRAFT)
          .select_related("talent", "talent__district", "organization", "item"))
    if filters.status in Status.values:
        qs = qs.filter(status=filters.status)
    if filters.way in Way.values:
        qs = qs.filter(way=filters.way)
    if filters.category in CATEGORY_RANK:
        qs = qs.filter(category=filters.category)
    if filters.name:
        qs = qs.filter(talent__name__contains=filters.name.strip())
    return qs.order_by("submitted_at", "id")


def queue_counts(*, user: User) -> dict[str, int]:
    require_government(user)
    rows = (Application.objects.filter(application_scope_q(user)).exclude(status=Status.DRAFT)
            .values("status").annotate(n=Count("id")))
    return {row["status"]: row["n"] for row in rows}


def applications_of_user(*, user: User) -> QuerySet[Application]:
    """A talent's own applications, or an employer's applications for its employees."""
    if user.role not in (Role.TALENT, Role.EMPLOYER):
        raise PermissionDenied("只有人才本人和用人单位可以查看本页")
    return (Application.objects.filter(application_scope_q(user)).select_related("talent", "item", "organization")
            .order_by("-id"))


def recognitions_of_user(*, user: User) -> QuerySet[Recognition]:
    return Recognition.objects.filter(scope_related(user, "talent")).select_related("talent").order_by("-granted_at")


def timeline(application: Application, *, viewer: User) -> list[ApplicationEvent]:
    """The application's events, oldest first. Who scored is shown only to the talent office: experts
    judge without being named to the applicant."""
    events = list(application.events.select_related("actor").order_by("at", "id"))
    office = viewer.is_administrator or viewer.is_government
    for event in events:
        event.actor_label = str(event.actor) if office or event.action != "score" else "评审专家"
        if not office and event.action == "panel":
            event.data = {k: v for k, v in event.data.items() if k != "experts"}
    return events


def last_return_notice(application: Application) -> ApplicationEvent | None:
    """The latest complete notice of missing or defective materials (一次性告知), while it still applies."""
    if application.status != Status.RETURNED:
        return None
    return application.events.filter(action="return").order_by("-at", "-id").first()


# --- experts (rencai.reviews) ----------------------------------------------------------------------------

def review_pool(application: Application) -> reviews.Pool:
    """The active pool split into who may sit on the application's panel and who stands aside (回避), and why."""
    return reviews.pool(review.ref(application), review.parties(application))


def experts_available(application: Application) -> list[Expert]:
    return review_pool(application).available


def review_result(application: Application) -> reviews.Result | None:
    """The panel's score table (outliers flagged) and result; None before the panel is formed."""
    return reviews.panel_result(review.ref(application))


def assignment_get(*, user: User, assignment_id: int) -> Assignment:
    """The expert's own assignment on a recognition application (anything else: not found)."""
    assignment = reviews.assignment_get(user=user, assignment_id=assignment_id)
    if assignment.panel.kind != review.KIND:
        raise NotFound("未找到该评审任务")
    return assignment


# --- recognitions and employers -------------------------------------------------------------------------

def recognition_get(*, user: User, recognition_id: int) -> Recognition:
    recognition = (Recognition.objects
                   .filter(scope_related(user, "talent"), pk=recognition_id)
                   .select_related("talent", "talent__district", "talent__district__parent", "application")
                   .first())
    if recognition is None:
        raise NotFound("未找到该人才卡，或不在您的管辖范围内")
    return recognition


def recognition_restored_on_revoke(recognition: Recognition, *, on: dt.date | None = None) -> Recognition | None:
    """The lower recognition an upgrade replaced, which stands again if ``recognition`` is revoked (still in its
    validity period); None if there is none."""
    if recognition.status != RecognitionStatus.ACTIVE:
        return None
    return (Recognition.objects.filter(superseded_by=recognition, status=RecognitionStatus.SUPERSEDED,
                                       valid_until__gte=on or today()).first())


def authorizations_of_employer(*, user: User) -> QuerySet[EmployerAuthorization]:
    if user.role != Role.EMPLOYER:
        raise PermissionDenied("只有用人单位可以查看自主认定授权")
    return (EmployerAuthorization.objects.filter(organization_id=user.organization_id)
            .prefetch_related("quotas").order_by("-valid_from"))


def authorizations_all() -> QuerySet[EmployerAuthorization]:
    """Every employer authorisation, newest first (the administrators' page)."""
    return (EmployerAuthorization.objects.select_related("organization", "granted_by").prefetch_related("quotas")
            .order_by("-valid_from", "organization__name"))


def authorization_in_force(*, organization_id: int | None, on: dt.date | None = None) -> EmployerAuthorization | None:
    on = on or today()
    return (EmployerAuthorization.objects.filter(organization_id=organization_id, revoked=False, valid_from__lte=on,
                                                 valid_until__gte=on)
            .order_by("-valid_from").first())


def open_application(talent: Talent | None) -> Application | None:
    """The talent's application under way (draft to review), if any: a talent has at most one, so a new one
    (or an upgrade) is not offered until it ends."""
    if talent is None:
        return None
    return Application.objects.filter(talent=talent, status__in=OPEN_STATUSES).order_by("-pk").first()


def employees_for_recognition(*, user: User) -> QuerySet[Talent]:
    """The employer's employees without an application under way."""
    if user.role != Role.EMPLOYER:
        raise PermissionDenied("只有用人单位可以为本单位人才申请认定")
    busy = Application.objects.filter(status__in=OPEN_STATUSES).values("talent_id")
    return Talent.objects.filter(talent_scope_q(user)).exclude(pk__in=busy).order_by("name", "pk")
