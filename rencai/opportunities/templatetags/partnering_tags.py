"""What the shared detail page's extras need about the viewer, so that the jobs part's view stays as it is:
{% partnering_for opportunity as p %} (a project or result: interests, meetings, may the viewer express
interest or broker) and {% challenge_for opportunity as c %} (a challenge: the 揭榜 form's state, may the viewer
read the proposals, what was awarded)."""

from dataclasses import dataclass, field

from django import template
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.opportunities import challenges, partnering
from rencai.opportunities.enums import MeetingOutcome, OpportunityStatus
from rencai.opportunities.models import Interest

register = template.Library()


@dataclass
class Partnering:
    interests: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    may_express: bool = False
    expressed: bool = False
    may_broker: bool = False
    outcomes: list = field(default_factory=list)


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.simple_tag(takes_context=True)
def partnering_for(context, opportunity) -> Partnering:
    user = _user(context)
    if user is None or not user.is_authenticated:
        return Partnering()
    employer = user.role == Role.EMPLOYER and bool(user.organization_id)
    expressed = employer and Interest.objects.filter(opportunity=opportunity,
                                                     organization_id=user.organization_id).exists()
    open_ = opportunity.status == OpportunityStatus.PUBLISHED and opportunity.closes_on >= timezone.localdate()
    return Partnering(
        interests=partnering.interests_of(user, opportunity), meetings=partnering.meetings_of(user, opportunity),
        may_express=employer and open_ and not expressed and opportunity.organization_id != user.organization_id,
        expressed=expressed, may_broker=partnering.may_broker(user, opportunity)
        and opportunity.status == OpportunityStatus.PUBLISHED,
        outcomes=[(v, label) for v, label in MeetingOutcome.choices if v != MeetingOutcome.PENDING])


@dataclass
class ChallengeView:
    take: challenges.TakeState
    may_read: bool
    summary: challenges.AwardSummary | None


@register.simple_tag(takes_context=True)
def challenge_for(context, opportunity) -> ChallengeView:
    user = _user(context)
    if user is None or not user.is_authenticated:
        return ChallengeView(challenges.TakeState(False, "请登录后揭榜"), False, None)
    may_read = challenges.may_read_proposals(user, opportunity)
    return ChallengeView(challenges.take_state(user, opportunity), may_read,
                         challenges.award_summary(opportunity) if may_read else None)
