"""The policy calculator (政策计算器): one person's policies, amounts and reasons.

``calculate(profile)`` returns exactly the object of the calculator contract
(/work/shared/contracts/calculator.md), plus a few added fields per result: ``decided_by`` (the explanation
code of the deciding condition, the same code the batch path produces), ``missing`` (fields whose absence
made the result unknown), ``no_application``, ``benefit_form``, ``jurisdiction`` and ``in_force``.
Money is ``int`` yuan when whole, else ``Decimal`` with two places; never float.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from decimal import Decimal

from rencai.policies.engine import expr as ex
from rencai.policies.engine.catalog import DECISION_KIND_LABELS, Catalog, Group, OpenPoint, Policy
from rencai.policies.engine.evaluate import MANUAL, TRUE, UNKNOWN, Outcome, evaluate_policy
from rencai.policies.fields import FIELDS, NONE, REGION_LABELS
from rencai.policies.profile import ProfileError, normalize, profile_subject

__all__ = ["ProfileError", "calculate", "default_catalog", "to_json"]


def default_catalog() -> Catalog:
    """The catalog in force: the shipped files overlaid by the revisions published in the policy workbench
    (policies.published; compiled once per publication, per process)."""
    from rencai.policies.published import effective_catalog

    return effective_catalog()


def yuan(fen: int | None) -> int | Decimal | None:
    if fen is None:
        return None
    if fen % 100 == 0:
        return fen // 100
    return Decimal(fen).scaleb(-2)


# The profile key a derived absent-means-none field is read from.
_PROFILE_KEY = {"has_purchase": "purchase", "certified_training": "training"}


def calculate(profile: dict, *, as_of: dt.date | None = None, catalog: Catalog | None = None,
              unknown: Iterable[str] = ()) -> dict:
    """Evaluate every policy of the profile's subject for one profile (contract input → output): a person's
    policies for a person's profile (no ``subject``, or ``"person"``), a team's or an organization's for theirs.

    ``unknown``: fields the contract reads as "none" when absent (``talent_category``, ``honors``,
    ``has_purchase`` ...) that the person said they do not know; a policy that needs one is then "unknown"
    and names it, instead of "false". The portal's 不知道 uses it; the contract's input is unchanged.
    """
    catalog = catalog or default_catalog()
    subject = profile_subject(profile)
    ctx = normalize(profile, as_of=as_of, policy_ids=catalog.policies)
    if subject != "person":
        return _calculate_subject(subject, ctx, catalog)
    for name in unknown:
        if FIELDS[name].absent != NONE:
            raise ValueError(f"{name} is unknown when absent already")
        if _PROFILE_KEY.get(name, name) not in profile:  # an answer given wins
            ctx[name] = None
    policies = catalog.person_policies()
    outcomes = {policy.id: evaluate_policy(policy, ctx) for policy in policies}
    group_state = {gid: _applies(group, ctx) for gid, group in catalog.groups.items()}

    results = []
    for policy in policies:
        outcome = outcomes[policy.id]
        group = policy.group
        applies = group_state[group.id] if group else None
        results.append(_result(policy, outcome, group, applies, catalog, ctx["as_of"]))
    choices = [
        choice
        for gid, group in catalog.groups.items()
        if group_state[gid] is True and (choice := _choice(group, outcomes)) is not None
    ]
    return {
        "as_of": ctx["as_of"].isoformat(),  # type: ignore[union-attr]
        "subject": "person",
        "person": {"age": ctx["age"], "city": ctx["city"]},
        "results": results,
        "choices": choices,
    }


def _calculate_subject(subject: str, ctx: ex.Context, catalog: Catalog,
                       policies: list[Policy] | None = None) -> dict:
    """A team's or an organization's policies, by the same evaluator and result shape as a person's. Exclusive
    groups are a person's (the documents name none for teams or organizations), so ``choices`` is empty."""
    results = [_result(policy, evaluate_policy(policy, ctx), None, None, catalog, ctx["as_of"])
               for policy in (catalog.subject_policies(subject) if policies is None else policies)]
    about: dict[str, object] = {"city": ctx["city"]}
    if subject == "organization":
        about["uscc"] = ctx["organization.uscc"]
    return {"as_of": ctx["as_of"].isoformat(), "subject": subject, subject: about,  # type: ignore[union-attr]
            "results": results, "choices": []}


def calculate_policies(profile: dict, *, policy: str | None = None, as_of: dt.date | None = None,
                       catalog: Catalog | None = None) -> dict:
    """One subject's answer, for all its policies or only ``policy`` (an id of that subject's catalog): what
    the programmes app asks for a team's or an organization's record (policies.selectors.policies_for_subject).
    A policy of another subject, or none at all, is a ProfileError naming ``policy``."""
    catalog = catalog or default_catalog()
    subject = profile_subject(profile)
    chosen = None
    if policy is not None:
        found = catalog.policies.get(policy)
        if found is None or found.subject != subject:
            raise ProfileError("policy", f"没有适用于该申报主体的政策 {policy!r}",
                               f"no {subject} policy {policy!r}")
        chosen = [found]
    if subject == "person":
        result = calculate(profile, as_of=as_of, catalog=catalog)
        if chosen is not None:
            result["results"] = [r for r in result["results"] if r["policy"] == policy]
            result["choices"] = [c for c in result["choices"] if policy in c["options"]]
        return result
    ctx = normalize(profile, as_of=as_of, policy_ids=catalog.policies)
    return _calculate_subject(subject, ctx, catalog, chosen)


def _applies(group: Group, ctx: ex.Context) -> bool | None:
    return True if group.applies_when is None else ex.evaluate(group.applies_when, ctx)  # type: ignore[return-value]


def _static(policy: Policy, catalog: Catalog) -> dict:
    """What a policy's result says whatever the person: computed once per policy and catalog."""
    memo = catalog.memo.get(policy.id)
    if memo is not None:
        return memo
    group = policy.group
    others = "、".join(f"“{catalog.policies[m].title}”" for m in group.members if m != policy.id) if group else ""
    memo = catalog.memo[policy.id] = {
        "source": {"document": policy.source.document, "quote": policy.source.quote},
        "jurisdiction": {"code": policy.jurisdiction, "name": REGION_LABELS[policy.jurisdiction]},
        "in_force": {
            "from": policy.in_force_from.isoformat(),
            "until": policy.in_force_until.isoformat() if policy.in_force_until else None,
        },
        "exclusive": f"{group.title}：与{others}只能选一项" if group else "",
        "maybe_exclusive": f"如为{group.applies_label}，则与{others}只能选一项（{group.title}）" if group else "",
        "open_points": [p.question for p in policy.open_points if p.decision is None],
    }
    return memo


def decision_json(point: OpenPoint) -> dict:
    """A decided open point as the calculator states it (issue 13): what was open, how the office decided
    it, on which basis and from when."""
    decision = point.decision
    assert decision is not None
    return {"point": point.id, "question": point.question, "sentence": point.sentence,
            "decided_as": decision.kind, "decided_as_label": DECISION_KIND_LABELS[decision.kind],
            "basis": decision.basis, "basis_date": decision.basis_date.isoformat(),
            "from": decision.effective_from.isoformat(), "decided_by": decision.decided_by,
            "decided_on": decision.decided_on.isoformat()}


def _result(policy: Policy, outcome: Outcome, group: Group | None, applies: bool | None,
            catalog: Catalog, as_of: dt.date) -> dict:
    static = _static(policy, catalog)
    reasons = list(outcome.reasons)
    exclusive_group = None
    if group is not None and outcome.status in (TRUE, MANUAL, UNKNOWN):
        if applies is True:
            exclusive_group = group.id
            reasons.append(static["exclusive"])
        elif applies is None:
            exclusive_group = group.id
            reasons.append(static["maybe_exclusive"])
        else:
            reasons.append(group.otherwise_note or "")
    elif group is not None and applies is not False:
        exclusive_group = group.id
    return {
        "policy": policy.id,
        "title": policy.title,
        "kind": policy.kind,
        "eligible": outcome.status,
        "monthly_amount": yuan(outcome.monthly_fen),
        "months": outcome.months,
        "one_time_amount": yuan(outcome.one_time_fen),
        "total": yuan(outcome.total_fen),
        "exclusive_group": exclusive_group,
        "reasons": reasons,
        "source": dict(static["source"]),
        "decided_by": outcome.code,
        "missing": outcome.missing,
        "no_application": policy.no_application,
        "benefit_form": policy.benefit_form,
        "jurisdiction": dict(static["jurisdiction"]),
        "in_force": dict(static["in_force"]),
        # What the documents leave open: the office's decisions this result rests on, and what is still open.
        "decisions": [decision_json(p) for p in policy.rests_on(outcome.status, outcome.code, as_of)]
        if policy.open_points else [],
        "open_points": list(static["open_points"]),
    }


def _choice(group: Group, outcomes: dict[str, Outcome]) -> dict | None:
    """The options of a group a person may choose between, and the one worth most.

    Recommended: the highest total when every option has one; when any option has no end (months open),
    totals cannot be compared and the highest monthly amount decides. Ties go to the option listed first
    in the group file.
    """
    options = [m for m in group.members if m in outcomes and outcomes[m].status is TRUE]
    if len(options) < 2:
        return None
    bounded = all(outcomes[m].total_fen is not None for m in options)

    def worth(member: str) -> int:
        outcome = outcomes[member]
        return (outcome.total_fen if bounded else outcome.monthly_fen) or 0

    best = options[0]
    for member in options[1:]:
        if worth(member) > worth(best):
            best = member
    return {"exclusive_group": group.id, "options": options, "recommended": best,
            "basis": "total" if bounded else "monthly_amount"}


# -- JSON -----------------------------------------------------------------------------------------------


_DECIMAL_MARK = "\x00decimal:"
_DECIMAL_TEXT = re.compile(r'"\\u0000decimal:(-?[0-9]+(?:\.[0-9]+)?)"')


def _leaf(value: object) -> str:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value}")
        return _DECIMAL_MARK + format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(result: object, *, indent: int | None = 2) -> str:
    """The result as JSON text; a Decimal is written as a JSON number with its exact digits.

    The standard encoder would turn a Decimal into a float, so it writes each Decimal as a marked string
    instead, in one C-speed pass, and the marks are then replaced by the digits themselves.
    """
    text = json.dumps(result, ensure_ascii=False, indent=indent, default=_leaf)
    return _DECIMAL_TEXT.sub(r"\1", text)
