"""项目推荐 (004: "我找服务对象"): which of an employer's people the engine finds eligible for which programme with
an open call, and, for a unit's own programmes, whether the unit itself is. Set-based for people: the registry
frame of its confirmed employees, evaluated by the batch engine in one go."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import talent_scope_q
from rencai.policies.batch import STATUS, evaluate_frame
from rencai.policies.registry import registry_frame
from rencai.talents.models import Talent

from . import eligibility, selectors
from .enums import Subject
from .models import Call

LIMIT = 2000  # employees read at most (an employer's page, not a city-wide run)


@dataclass(frozen=True)
class Recommendation:
    call: Call
    who: str  # the employee's name, or the unit's
    talent_id: int | None
    status: str  # "eligible" (条件符合) or "manual" (条件符合，档次由评审确定)


def recommendations(*, user: User) -> list[Recommendation]:
    if user.role != Role.EMPLOYER or user.organization_id is None:
        return []
    today = selectors.today()
    calls = list(selectors.calls_open(today))
    rows: list[Recommendation] = []
    person_calls = [c for c in calls if c.subject == Subject.PERSON]
    if person_calls:
        talents = Talent.objects.filter(talent_scope_q(user)).order_by("pk")[:LIMIT]
        names = dict(talents.values_list("pk", "name"))
        if names:
            frame = registry_frame(as_of=today, queryset=Talent.objects.filter(pk__in=list(names)))
            result = evaluate_frame(frame.drop("district"), as_of=today, policies=[c.policy for c in person_calls])
            for call in person_calls:
                column = pl.col(f"{call.policy}.status")
                for person_id, status in result.filter(column.is_in([STATUS[True], STATUS["manual"]])).select(
                        "person_id", column).iter_rows():
                    rows.append(Recommendation(call, names[person_id], person_id,
                                               "eligible" if status == STATUS[True] else "manual"))
    organization = user.organization
    for call in (c for c in calls if c.subject == Subject.ORGANIZATION):
        profile = eligibility.organization_profile(organization, as_of=today)
        from rencai.policies.selectors import policies_for_subject

        result = policies_for_subject(profile=profile, policy=call.policy)[0]
        if result["eligible"] in (True, "manual"):
            rows.append(Recommendation(call, organization.name, None,
                                       "eligible" if result["eligible"] is True else "manual"))
    return rows
