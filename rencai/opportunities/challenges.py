"""Reads of 揭榜挂帅: the challenges a user may see, one challenge, its proposals (揭榜方案) for its sponsor and
staff, and the sums awarded against its funding. Writes are services.py's (application_apply,
application_transition)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.core.errors import NotFound

from . import partnering, services
from .enums import ApplicationState, OpportunityKind, OpportunityStatus
from .models import Application, Opportunity

CHALLENGE = (OpportunityKind.CHALLENGE,)


def challenge_list(user, *, field: str = "", district: str = "", open_only: bool = True) -> QuerySet[Opportunity]:
    """The challenges ``user`` sees (published ones; staff their jurisdiction's too, an employer its own, an
    author their own), open ones only unless asked; with the count of live proposals."""
    rows = partnering.opportunities_seen(user, CHALLENGE)
    if open_only:
        rows = rows.filter(status=OpportunityStatus.PUBLISHED, closes_on__gte=timezone.localdate())
    if field:
        rows = rows.filter(challenge_field=field)
    if district:
        rows = rows.filter(district_id=district)
    return (rows.select_related("organization", "district")
            .annotate(proposal_count=Count("applications", filter=~Q(applications__state=ApplicationState.WITHDRAWN))))


def handled_ids(user, ids: list[int]) -> set[int]:
    """Of these challenges, those whose proposals ``user`` may read (the sponsor, staff and leaders over it)."""
    return {o.pk for o in Opportunity.objects.filter(pk__in=ids) if may_read_proposals(user, o)}


def challenge_get(user, challenge_id: int) -> Opportunity:
    return partnering.opportunity_get(user, challenge_id, CHALLENGE)


def may_read_proposals(user, challenge: Opportunity) -> bool:
    """The sponsor (its HR, or the staff author of a sponsor's challenge) and government users over its
    district (leaders read, they do not decide)."""
    return user.is_authenticated and (services.may_handle(user, challenge)
                                      or partnering.in_jurisdiction(user, challenge))


def challenge_for_handler(user, challenge_id: int) -> Opportunity:
    challenge = (Opportunity.objects.select_related("organization", "district")
                 .filter(pk=challenge_id, kind=OpportunityKind.CHALLENGE).first())
    if challenge is None or not may_read_proposals(user, challenge):
        raise NotFound("未找到该榜单，或您无权查看其揭榜方案")
    return challenge


def challenge_of_proposal(user, proposal_id: int) -> Opportunity:
    application = Application.objects.filter(pk=proposal_id).only("opportunity_id").first()
    if application is None:
        raise NotFound("未找到该揭榜方案")
    return challenge_for_handler(user, application.opportunity_id)


def proposals_of(challenge: Opportunity) -> list[Application]:
    """Every proposal of the challenge (withdrawn ones last), with the talent (shown masked)."""
    rows = (Application.objects.filter(opportunity=challenge).select_related("talent", "opportunity")
            .order_by("-id"))
    return sorted(rows, key=lambda a: a.state == ApplicationState.WITHDRAWN)


@dataclass(frozen=True)
class AwardSummary:
    funding: Decimal
    awarded: Decimal
    awards: int

    @property
    def left(self) -> Decimal:
        return max(self.funding - self.awarded, Decimal(0))


def award_summary(challenge: Opportunity) -> AwardSummary:
    found = Application.objects.filter(opportunity=challenge, state=ApplicationState.AWARDED).aggregate(
        total=Sum("award_amount"), n=Count("pk"))
    return AwardSummary(challenge.funding or Decimal(0), found["total"] or Decimal(0), found["n"])


@dataclass(frozen=True)
class TakeState:
    """What the 揭榜 form shows a user: may they take the challenge, and if not, why (or their proposal)."""

    may_take: bool
    reason: str = ""
    mine: Application | None = None


def take_state(user, challenge: Opportunity) -> TakeState:
    if not user.is_authenticated or user.role != Role.TALENT:
        return TakeState(False, "揭榜须以人才本人账号登录")
    mine = (Application.objects.filter(opportunity=challenge, talent__user=user)
            .exclude(state=ApplicationState.WITHDRAWN).first())
    if mine is not None:
        return TakeState(False, "您已揭榜", mine)
    if not services.opportunity_is_open(challenge):
        return TakeState(False, "该榜单已截止或未发布，不能揭榜")
    return TakeState(True)
