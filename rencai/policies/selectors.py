import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from rencai.accounts.models import User
from rencai.accounts.permissions import require_government, scope_related
from rencai.core.errors import NotFound
from rencai.talents.models import Talent

from .calculator import calculate, default_catalog
from .models import MatchRun, PolicyMatch, fen_to_yuan
from .presenting import SECTIONS, group_results
from .registry import talent_profile


def policies_for_talent(*, talent: Talent, as_of: dt.date | None = None) -> dict:
    """The calculator's answer for a registry record: what "您可能符合以下政策" shows on the talent's page."""
    result = calculate(talent_profile(talent, as_of=as_of or dt.date.today()))
    groups = group_results(result)
    return {"result": result, "groups": {k: groups[k] for k in ("eligible", "manual", "unknown")},
            "sections": SECTIONS[:3]}


def match_run_latest() -> MatchRun | None:
    return MatchRun.objects.filter(status=MatchRun.Status.FINISHED).order_by("-finished_at").first()


@dataclass
class PolicySummary:
    policy: str
    title: str
    kind: str
    no_application: bool
    eligible: int
    manual: int
    alternative: int
    monthly: Decimal | None
    total: Decimal | None


def policy_match_summary(*, user: User, run: MatchRun) -> list[PolicySummary]:
    """Per policy, within the user's jurisdiction: how many are entitled and have not received it, and
    what they would cost (monthly, and in all where the duration is known)."""
    require_government(user)
    catalog = default_catalog()
    rows = (PolicyMatch.objects.filter(scope_related(user, "talent"), run=run).values("policy")
            .annotate(n_eligible=Count("id", filter=Q(eligible=PolicyMatch.Eligibility.ELIGIBLE)),
                      n_manual=Count("id", filter=Q(eligible=PolicyMatch.Eligibility.MANUAL)),
                      n_alternative=Count("id", filter=Q(alternative=True)),
                      # An option that is not the person's recommended choice is not money the office pays.
                      monthly_sum=Sum("monthly_fen", filter=Q(alternative=False)),
                      total_sum=Sum("total_fen", filter=Q(alternative=False))))
    summaries = []
    for row in rows:
        policy = catalog.policies.get(row["policy"])
        if policy is None:
            continue
        summaries.append(PolicySummary(policy=row["policy"], title=policy.title, kind=policy.kind,
                                       no_application=policy.no_application, eligible=row["n_eligible"],
                                       manual=row["n_manual"], alternative=row["n_alternative"],
                                       monthly=fen_to_yuan(row["monthly_sum"]),
                                       total=fen_to_yuan(row["total_sum"])))
    order = {"entitlement": 0, "program": 1, "service": 2}
    return sorted(summaries, key=lambda s: (order.get(s.kind, 3), -s.eligible, s.policy))


def policy_match_list(*, user: User, run: MatchRun, policy: str) -> QuerySet[PolicyMatch]:
    require_government(user)
    if policy not in default_catalog().policies:
        raise NotFound("未知的政策")
    return (PolicyMatch.objects.filter(scope_related(user, "talent"), run=run, policy=policy)
            .select_related("talent", "talent__district").order_by("-total_fen", "-monthly_fen", "talent_id"))
