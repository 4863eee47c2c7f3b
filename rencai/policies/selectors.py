import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from rencai.accounts.models import User
from rencai.accounts.permissions import jurisdiction_codes, require_government, scope_related
from rencai.core.errors import NotFound
from rencai.talents.models import Talent

from .calculator import calculate, calculate_policies, default_catalog
from .models import MatchCount, MatchRun, PolicyMatch, fen_to_yuan
from .presenting import SECTIONS, arrange_results, group_results
from .registry import talent_profile, talent_verification


def policies_for_talent(*, talent: Talent, as_of: dt.date | None = None) -> dict:
    """The calculator's answer for a registry record: what "您可能符合以下政策" shows on the talent's page."""
    from rencai.datahub.provenance import attach_fact_sources, profile_sources

    as_of = as_of or dt.date.today()
    verification = talent_verification(talent)
    result = attach_fact_sources(calculate(talent_profile(talent, as_of=as_of, verification=verification)),
                                 profile_sources(talent, on=as_of, verification=verification))
    groups = group_results(result)
    return {"result": result, "groups": {k: groups[k] for k in ("eligible", "manual", "unknown")},
            "sections": SECTIONS[:3], "arranged": arrange_results(result)}


def policies_for_subject(*, profile: dict, policy: str | None = None, as_of: dt.date | None = None) -> list[dict]:
    """A team's or an organization's programmes (or a person's), for a profile given as plain data — the
    calculator contract's team or organization profile (docs/contracts/calculator.md), which the programmes app
    builds from its records: every policy of the profile's ``subject``, or only ``policy``. The result objects
    are the calculator's, as for a person (eligible, amounts, reasons, source, decided_by, missing). Bad input,
    or a policy of another subject, raises ``ProfileError`` naming the field; no database is read."""
    if as_of is not None:
        profile = {**profile, "as_of": as_of.isoformat()}
    return calculate_policies(profile, policy=policy)["results"]


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


def _counts_in_scope(user: User, run: MatchRun):
    """The run's kept counts (policies.counts) within the user's jurisdiction."""
    qs = MatchCount.objects.filter(run=run)
    if not user.is_administrator:
        qs = qs.filter(district_id__in=jurisdiction_codes(user))
    return qs


def policy_match_summary(*, user: User, run: MatchRun) -> list[PolicySummary]:
    """Per policy, within the user's jurisdiction: how many are entitled and have not received it, and
    what they would cost (monthly, and in all where the duration is known) — from the kept counts, a few
    thousand rows, not the millions of matches."""
    require_government(user)
    catalog = default_catalog()
    rows = (_counts_in_scope(user, run).values("policy")
            .annotate(n_eligible=Sum("n", filter=Q(eligible=PolicyMatch.Eligibility.ELIGIBLE), default=0),
                      n_manual=Sum("n", filter=Q(eligible=PolicyMatch.Eligibility.MANUAL), default=0),
                      n_alternative=Sum("n", filter=Q(alternative=True), default=0),
                      # An option that is not the person's recommended choice is not money the office pays.
                      monthly_n=Sum("monthly_n", filter=Q(alternative=False), default=0),
                      monthly_sum=Sum("monthly_fen", filter=Q(alternative=False)),
                      total_n=Sum("total_n", filter=Q(alternative=False), default=0),
                      total_sum=Sum("total_fen", filter=Q(alternative=False)))
            .filter(Q(n_eligible__gt=0) | Q(n_manual__gt=0)))
    summaries = []
    for row in rows:
        policy = catalog.policies.get(row["policy"])
        if policy is None:
            continue
        summaries.append(PolicySummary(policy=row["policy"], title=policy.title, kind=policy.kind,
                                       no_application=policy.no_application, eligible=row["n_eligible"],
                                       manual=row["n_manual"], alternative=row["n_alternative"],
                                       monthly=fen_to_yuan(row["monthly_sum"]) if row["monthly_n"] else None,
                                       total=fen_to_yuan(row["total_sum"]) if row["total_n"] else None))
    order = {"entitlement": 0, "program": 1, "service": 2}
    return sorted(summaries, key=lambda s: (order.get(s.kind, 3), -s.eligible, s.policy))


def policy_match_count(*, user: User, run: MatchRun, policy: str) -> int:
    """How many rows ``policy_match_list`` returns, from the kept counts."""
    require_government(user)
    return _counts_in_scope(user, run).filter(policy=policy).aggregate(n=Sum("n", default=0))["n"]


MATCH_LIST_KEYS = ["sort_total", "sort_monthly", "talent_id"]


def policy_match_list(*, user: User, run: MatchRun, policy: str) -> QuerySet[PolicyMatch]:
    require_government(user)
    if policy not in default_catalog().policies:
        raise NotFound("未知的政策")
    # Sorted by amount (none last), then the talent: the index match_list_order, read as a keyset (MATCH_LIST_KEYS).
    return (PolicyMatch.objects.filter(scope_related(user, "talent"), run=run, policy=policy)
            .select_related("talent", "talent__district")
            .annotate(sort_total=Coalesce("total_fen", -1), sort_monthly=Coalesce("monthly_fen", -1))
            .order_by("-sort_total", "-sort_monthly", "-talent_id"))
