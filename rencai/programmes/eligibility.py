"""What the engine says of an application, frozen at submission: the subject's profile as the calculator
contract has it (a person's from the registry, as 政策兑现 reads it; a team's and an organization's from the
application and the registry's organization), the programme's result, and, for an employer declaring a talent
(急需紧缺人才奖励), the talent's own policy too ("两项都符合才可奖励")."""

from __future__ import annotations

import datetime as dt
import json

from django.core.serializers.json import DjangoJSONEncoder

from rencai.core.errors import FieldError, ValidationFailed
from rencai.policies.profile import ProfileError
from rencai.policies.selectors import policies_for_subject

from .enums import Subject

# An employer's programme whose talent must meet a person's policy as well (the catalog's note on
# sy-urgent-talent-employer: "人才本人的条件见“产业急需紧缺人才奖励”（个人），两项都符合才可奖励").
PERSON_SIDE = {"sy-urgent-talent-employer": "sy-urgent-talent-reward"}
# An employer's declaration that must name the catalog position the talent was introduced for (004: "按照《沈阳市
# 急需紧缺人才需求目录》引进的各类人才"): a position of a published 急需紧缺人才需求目录 of the employer's industry
# chain, of the call's year or the year before (opportunities.shortage.declarable_entries).
SHORTAGE_NAMED = {"sy-urgent-talent-employer"}
SHORTAGE_MISSING = "请选择所申报人才按《急需紧缺人才需求目录》引进的岗位（本单位所属产业链已发布目录中的岗位）"


def shortage_fact(application) -> dict | None:
    """The catalog position the declaration names, as frozen in the snapshot, if it is still one the employer may
    name (a published catalog of its chain, of the call's year or the year before); else None."""
    from rencai.opportunities.shortage import declarable_entries

    if not application.shortage_entry_id:
        return None
    entry = declarable_entries(organization=application.organization, call_year=application.call.year).filter(
        pk=application.shortage_entry_id).first()
    if entry is None:
        return None
    return {"entry": entry.pk, "year": entry.catalog.year, "industry": entry.catalog.get_industry_display(),
            "position": entry.position}


def shortage_line(snapshot: dict) -> str:
    """What staff and reviewers read: "按《急需紧缺人才需求目录》引进：是（岗位：…）"."""
    fact = (snapshot or {}).get("shortage")
    if not fact:
        return ""
    return f"按《急需紧缺人才需求目录》引进：是（岗位：{fact['year']}年{fact['industry']}目录 · {fact['position']}）"


def _city(region) -> str:
    return region.parent_id or region.code if region is not None else ""


def team_profile(application, *, as_of: dt.date, tier_value: str = "") -> dict:
    lead = application.talent
    team: dict = {}
    if application.team_kind:
        team["kind"] = application.team_kind
    if application.team_introduced is not None:
        team["introduced"] = application.team_introduced
    if application.added_members is not None:
        team["added_members"] = application.added_members
    if tier_value:
        team["level"] = tier_value
    profile = {"subject": "team", "as_of": as_of.isoformat(), "team": team,
               "city": _city(lead.district) if lead is not None else ""}
    if lead is not None:
        profile["lead"] = {"returnee": bool(lead.returnee)}
    return profile


def organization_profile(organization, *, as_of: dt.date, tier_value: str = "") -> dict:
    stations = [{"kind": s.kind, "new": s.established_on.year == as_of.year} for s in organization.stations.all()]
    profile = {"subject": "organization", "as_of": as_of.isoformat(), "city": _city(organization.district),
               "organization": {"type": organization.kind, "uscc": organization.uscc,
                                "industry_field": organization.industry_field,
                                "key_enterprise": organization.key_enterprise},
               "stations": stations}
    if tier_value:
        profile["award_tier"] = tier_value
    return profile


def _jsonable(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def evaluate(application, *, as_of: dt.date, tier_value: str = "") -> dict:
    """{"as_of", "inputs", "result", "person"?}: the programme's result for the application's subject (and the
    named talent's own policy where the programme has one). A registry value the engine does not know is a 422
    naming the field."""
    policy = application.call.policy
    try:
        if application.subject == Subject.PERSON:
            from rencai.fulfilment.services import evaluate as evaluate_person

            return evaluate_person(application.talent, policy, as_of=as_of)
        if application.subject == Subject.TEAM:
            profile = team_profile(application, as_of=as_of, tier_value=tier_value)
        else:
            profile = organization_profile(application.organization, as_of=as_of, tier_value=tier_value)
        result = policies_for_subject(profile=profile, policy=policy)[0]
    except ProfileError as error:
        raise ValidationFailed([FieldError("policy", f"登记信息有误，无法测算：{error.message_zh}")]) from error
    snapshot = {"as_of": as_of, "inputs": profile, "result": result}
    person_policy = PERSON_SIDE.get(policy)
    if person_policy and application.talent_id:
        from rencai.fulfilment.services import evaluate as evaluate_person

        snapshot["person"] = evaluate_person(application.talent, person_policy, as_of=as_of)
    if policy in SHORTAGE_NAMED:
        snapshot["shortage"] = shortage_fact(application)
    return _jsonable(snapshot)


def _errors_of(result: dict, whose: str) -> list[FieldError]:
    status = result["eligible"]
    if status is True or status == "manual":
        return []
    if status == "unknown":
        missing = "、".join(result.get("missing") or []) or "部分信息"
        return [FieldError("policy", f"{whose}信息不全，无法判断是否符合：请先完善{missing}")]
    reasons = "；".join(r for r in result.get("reasons") or [] if r) or "不符合申报条件"
    return [FieldError("policy", f"{whose}暂不符合申报条件：{reasons}")]


def eligibility_errors(application, snapshot: dict) -> list[FieldError]:
    """Why the engine refuses the application (every reason at once), or [] when it is eligible or the rest is
    for review to decide (a tier chosen by review is "manual")."""
    whose = {Subject.PERSON: "申报人", Subject.TEAM: "团队", Subject.ORGANIZATION: "单位"}[application.subject]
    errors = _errors_of(snapshot["result"], whose)
    if "person" in snapshot:
        errors += _errors_of(snapshot["person"]["result"], f"所申报人才{application.talent.name}")
    if application.call.policy in SHORTAGE_NAMED and not snapshot.get("shortage"):
        errors.append(FieldError("shortage_entry", SHORTAGE_MISSING))
    return errors


def amount_fen(snapshot: dict) -> int | None:
    """The one-time amount the engine computed (fen), if it computed one."""
    from decimal import Decimal

    from rencai.payments.models import yuan_to_fen

    value = snapshot.get("result", {}).get("one_time_amount")
    return yuan_to_fen(Decimal(str(value))) if value not in (None, "") else None
