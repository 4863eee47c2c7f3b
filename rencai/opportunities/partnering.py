"""项目推介 and 科技成果对接: the library of projects and technology results (selectors), an enterprise's interest
in one, and the roadshows and matchmaking meetings staff broker for it with their outcome (services).

Who sees what: a published (or closed) project or result is open to every signed-in user; staff (and leaders)
also see every one of their jurisdiction's districts whatever its status, an employer its own organization's, a
talent the results they listed themselves. Interests and meetings are read by staff of the opportunity's district
(and by the organizations concerned: an employer its own interests and the meetings it attends, the publisher
those of its project). Publication itself (create, submit, approve, return, close) is services.py's, for every kind.

One transition function moves a meeting's outcome (``meeting_outcome_record``): 待跟进 → 达成意向 → 签约合作, or
未达成, under a row lock; 签约合作 and 未达成 are final."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.permissions import jurisdiction_codes
from rencai.core.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed

from .enums import MeetingKind, MeetingOutcome, OpportunityKind, OpportunityStatus, Seeking
from .models import Interest, Meeting, Opportunity

PARTNERING = (OpportunityKind.PROJECT, OpportunityKind.RESULT)
# 待跟进 → 达成意向 → 签约合作; 未达成 from either open state. 签约合作 and 未达成 end the meeting's story.
OUTCOME_MOVES: dict[str, tuple[str, ...]] = {
    MeetingOutcome.PENDING: (MeetingOutcome.INTENT, MeetingOutcome.SIGNED, MeetingOutcome.NO_DEAL),
    MeetingOutcome.INTENT: (MeetingOutcome.SIGNED, MeetingOutcome.NO_DEAL),
    MeetingOutcome.SIGNED: (),
    MeetingOutcome.NO_DEAL: (),
}
NOTE_MAX = 500


# -- who may do what -----------------------------------------------------------------------------------------

def is_office(user) -> bool:
    """Staff and administrators: the roles that broker meetings (leaders read)."""
    return user.is_authenticated and (user.role == Role.STAFF or user.is_administrator)


def in_jurisdiction(user, opportunity: Opportunity) -> bool:
    """A government user whose jurisdiction holds the opportunity's district (administrators: every one)."""
    if not user.is_authenticated:
        return False
    if user.is_administrator:
        return True
    return user.is_government and opportunity.district_id in jurisdiction_codes(user)


def may_broker(user, opportunity: Opportunity) -> bool:
    return is_office(user) and in_jurisdiction(user, opportunity)


def _government_q(user) -> Q:
    if user.is_administrator:
        return Q()
    return Q(district_id__in=jurisdiction_codes(user))


def opportunities_seen(user, kinds=PARTNERING) -> QuerySet[Opportunity]:
    """The projects and results ``user`` may open: published and closed ones (as selectors.opportunity_get), and
    beyond them their own or their jurisdiction's (any status)."""
    rows = Opportunity.objects.filter(kind__in=kinds)
    if not user.is_authenticated:
        return rows.none()
    published = Q(status__in=[OpportunityStatus.PUBLISHED, OpportunityStatus.CLOSED])
    if user.is_administrator or user.is_government:
        return rows.filter(published | _government_q(user))
    if user.role == Role.EMPLOYER:
        return rows.filter(published | Q(organization_id=user.organization_id))
    return rows.filter(published | Q(created_by=user))


def opportunity_get(user, opportunity_id: int, kinds=PARTNERING) -> Opportunity:
    found = (opportunities_seen(user, kinds).select_related("organization", "district")
             .filter(pk=opportunity_id).first())
    if found is None:
        raise NotFound("未找到该项目或成果，或不在您的查看范围内")
    return found


# -- the library --------------------------------------------------------------------------------------------

def library(user, *, kind: str = "", industry: str = "", seeking: str = "", district: str = "", text: str = "",
            status: str = "") -> QuerySet[Opportunity]:
    """The library page's rows: what ``user`` sees, filtered (each filter optional); ``text`` is looked for in the
    title and the description (a plain substring search; matching has the real index). ``status``: staff may
    list other statuses than 已发布 (their jurisdiction's); everyone else sees published ones only."""
    rows = opportunities_seen(user)
    if status and status in OpportunityStatus.values and (user.is_government or user.is_administrator):
        rows = rows.filter(status=status)
    elif status != "all" or not (user.is_government or user.is_administrator):
        rows = rows.filter(status=OpportunityStatus.PUBLISHED)
    if kind in PARTNERING:
        rows = rows.filter(kind=kind)
    if industry:
        rows = rows.filter(industry=industry)
    if seeking in Seeking.values:
        rows = rows.filter(seeking__in=[seeking, Seeking.BOTH] if seeking != Seeking.BOTH else [Seeking.BOTH])
    if district:
        rows = rows.filter(district_id=district)
    text = (text or "").strip()[:50]
    if text:
        rows = rows.filter(Q(title__icontains=text) | Q(description__icontains=text))
    return (rows.select_related("organization", "district")
            .annotate(interest_count=Count("interests", distinct=True)))


def staff_projects(user) -> QuerySet[Opportunity]:
    """Every project and result of the government user's jurisdiction (any status), for the staff list and
    export, with their interest and meeting counts."""
    if not (user.is_authenticated and (user.is_government or user.is_administrator)):
        raise PermissionDenied("只有政府工作人员可以查看项目成果台账")
    return (Opportunity.objects.filter(_government_q(user), kind__in=PARTNERING)
            .select_related("organization", "district")
            .annotate(interest_count=Count("interests", distinct=True),
                      meeting_count=Count("meetings", distinct=True)))


# -- interests --------------------------------------------------------------------------------------------

def interests_visible(user) -> QuerySet[Interest]:
    """Staff: the interests in their jurisdiction's projects; an employer: its own and those in its own
    projects; anyone else none."""
    rows = Interest.objects.select_related("opportunity", "opportunity__district", "organization", "created_by")
    if not user.is_authenticated:
        return rows.none()
    if user.is_administrator or user.is_government:
        return rows if user.is_administrator else rows.filter(opportunity__district_id__in=jurisdiction_codes(user))
    if user.role == Role.EMPLOYER:
        return rows.filter(Q(organization_id=user.organization_id)
                           | Q(opportunity__organization_id=user.organization_id))
    return rows.filter(opportunity__created_by=user)


def interests_of(user, opportunity: Opportunity) -> list[Interest]:
    return list(interests_visible(user).filter(opportunity=opportunity))


def interest_express(*, actor, opportunity_id: int, note: str = "") -> Interest:
    """An enterprise says it wants to work with a published project or result (one per organization: a second
    is a 409 and writes nothing)."""
    if not (actor.is_authenticated and actor.role == Role.EMPLOYER and actor.organization_id):
        raise PermissionDenied("只有用人单位可以表达合作意向")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationFailed([FieldError("note", f"合作意向不能超过{NOTE_MAX}字")])
    with transaction.atomic():
        opportunity = (Opportunity.objects.select_for_update().filter(pk=opportunity_id, kind__in=PARTNERING)
                       .first())
        if opportunity is None:
            raise NotFound("未找到该项目或成果")
        if opportunity.status != OpportunityStatus.PUBLISHED or opportunity.closes_on < timezone.localdate():
            raise Conflict("该项目或成果已不再征集合作，无法表达合作意向", code="closed")
        if opportunity.organization_id == actor.organization_id:
            raise ValidationFailed([FieldError("opportunity", "不能对本单位发布的项目或成果表达合作意向")])
        if Interest.objects.filter(opportunity=opportunity, organization_id=actor.organization_id).exists():
            raise Conflict("贵单位已对该项目表达过合作意向，无需重复提交", code="duplicate_interest")
        try:
            with transaction.atomic():
                return Interest.objects.create(opportunity=opportunity, organization_id=actor.organization_id,
                                               note=note, created_by=actor)
        except IntegrityError:
            raise Conflict("贵单位已对该项目表达过合作意向，无需重复提交", code="duplicate_interest") from None


# -- meetings ---------------------------------------------------------------------------------------------

def meetings_visible(user) -> QuerySet[Meeting]:
    rows = Meeting.objects.select_related("opportunity", "opportunity__district", "recorded_by")
    if not user.is_authenticated:
        return rows.none()
    if user.is_administrator:
        return rows
    if user.is_government:
        return rows.filter(opportunity__district_id__in=jurisdiction_codes(user))
    if user.role == Role.EMPLOYER:
        return rows.filter(Q(organizations=user.organization_id)
                           | Q(opportunity__organization_id=user.organization_id)).distinct()
    return rows.filter(opportunity__created_by=user)


def meetings_of(user, opportunity: Opportunity) -> list[Meeting]:
    return list(meetings_visible(user).filter(opportunity=opportunity).prefetch_related("organizations"))


def meeting_create(*, actor, opportunity_id: int, kind: str, held_on: dt.date | str | None, place: str = "",
                   organization_ids: list[int] | tuple[int, ...] = ()) -> Meeting:
    """Staff of the project's district broker a 路演 or 对接 between the publisher and the enterprises that
    expressed interest (the parties are chosen among them)."""
    with transaction.atomic():
        opportunity = (Opportunity.objects.select_for_update().filter(pk=opportunity_id, kind__in=PARTNERING)
                       .first())
        if opportunity is None or not (actor.is_authenticated and in_jurisdiction(actor, opportunity)):
            raise NotFound("未找到该项目或成果，或不在您的管辖范围内")
        if not is_office(actor):
            raise PermissionDenied("只有政府工作人员可以安排路演或对接")
        if opportunity.status != OpportunityStatus.PUBLISHED:
            raise Conflict("只能为已发布的项目或成果安排路演或对接", code="not_published")
        errors = []
        if kind not in MeetingKind.values:
            errors.append(FieldError("kind", "请选择活动形式（项目路演或对接洽谈）"))
        day = _date(held_on)
        if day is None:
            errors.append(FieldError("held_on", "请填写有效的活动日期"))
        place = (place or "").strip()
        if len(place) > 200:
            errors.append(FieldError("place", "地点不能超过200字"))
        parties = _parties(opportunity)
        try:
            chosen = {int(pk) for pk in organization_ids}
        except (TypeError, ValueError):
            chosen = {-1}
        if not chosen:
            errors.append(FieldError("organizations", "请至少选择一家参加单位"))
        elif not chosen <= set(parties):
            errors.append(FieldError("organizations", "参加单位只能从发布单位和表达了合作意向的单位中选择"))
        if errors:
            raise ValidationFailed(errors)
        meeting = Meeting.objects.create(opportunity=opportunity, kind=kind, held_on=day, place=place,
                                         recorded_by=actor)
        meeting.organizations.set(sorted(chosen))
        return meeting


def _parties(opportunity: Opportunity) -> dict[int, str]:
    """The organizations a meeting may bring together: the publisher (if an organization) and every one that
    expressed interest, id → name."""
    parties = {i.organization_id: i.organization.name
               for i in Interest.objects.filter(opportunity=opportunity).select_related("organization")}
    if opportunity.organization_id:
        parties[opportunity.organization_id] = opportunity.organization.name
    return parties


def meeting_parties(opportunity: Opportunity) -> list[tuple[int, str]]:
    return sorted(_parties(opportunity).items(), key=lambda item: item[1])


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def meeting_outcome_record(*, actor, meeting_id: int, outcome: str, note: str = "") -> Meeting:
    """The one transition of a meeting: its outcome, with a note (required for 未达成). Two staff recording at
    once: the second waits for the lock and is refused if the first made the outcome final."""
    note = (note or "").strip()
    with transaction.atomic():
        meeting = (Meeting.objects.select_for_update().select_related("opportunity")
                   .filter(pk=meeting_id).first())
        if meeting is None or not in_jurisdiction(actor, meeting.opportunity):
            raise NotFound("未找到该活动记录，或不在您的管辖范围内")
        if not is_office(actor):
            raise PermissionDenied("只有政府工作人员可以记录对接结果")
        errors = []
        if outcome not in MeetingOutcome.values or outcome == MeetingOutcome.PENDING:
            errors.append(FieldError("outcome", "请选择对接结果（达成意向、签约合作或未达成）"))
        if len(note) > NOTE_MAX:
            errors.append(FieldError("outcome_note", f"结果说明不能超过{NOTE_MAX}字"))
        if outcome == MeetingOutcome.NO_DEAL and not note:
            errors.append(FieldError("outcome_note", "未达成时请填写结果说明（原因）"))
        if errors:
            raise ValidationFailed(errors)
        if outcome not in OUTCOME_MOVES[meeting.outcome]:
            raise Conflict(f"该活动的结果已是“{meeting.get_outcome_display()}”，不能改为"
                           f"“{MeetingOutcome(outcome).label}”", code="outcome_final")
        meeting.outcome, meeting.outcome_note = outcome, note
        meeting.save(update_fields=["outcome", "outcome_note"])
        return meeting
