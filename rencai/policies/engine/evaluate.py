"""Evaluating one compiled policy for one person, team or organization (the policy's subject), with the
reasons in Chinese.

The order of decision is the one the batch path (batch.py) compiles too:

1. the implicit conditions (where, when, not twice, not with a group partner), then each table of named
   values (a table with no matching row fails like a condition: who the person is), then the policy's own
   conditions in file order (what the person did: rent, buy, work);
2. any definite failure → ``false``, decided by the first failure; else any unknown → ``"unknown"``,
   decided by the first unknown (Kleene: a definite "no" outweighs a "don't know");
3. otherwise a table row marked manual (一人一议) or a screening step → ``"manual"``; an amount that
   cannot be computed → ``"unknown"``; else ``true``, decided by the last table row chosen.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction

from rencai.policies.engine import expr as ex
from rencai.policies.engine.catalog import PLACEHOLDER, Condition, Let, Policy, Row
from rencai.policies.fields import ALL_FIELDS, input_fields, input_label, value_label

TRUE, FALSE, MANUAL, UNKNOWN = True, False, "manual", "unknown"


def to_fen(value: object) -> int:
    """Yuan (exact rational) to integer fen, rounding half up (四舍五入)."""
    return math.floor(Fraction(value) * 100 + Fraction(1, 2))  # type: ignore[arg-type]


def fen_text(fen: int) -> str:
    return str(fen // 100) if fen % 100 == 0 else f"{fen // 100}.{fen % 100:02d}"


@dataclass
class Outcome:
    status: object  # True, False, "manual", "unknown"
    code: str
    reasons: list[str]
    missing: list[str] = field(default_factory=list)
    monthly_fen: int | None = None
    one_time_fen: int | None = None
    months: int | None = None
    total_fen: int | None = None


@dataclass
class _Check:
    code: str
    value: bool | None
    condition: Condition | None = None
    let: Let | None = None


def _table(let: Let, ctx: ex.Context) -> tuple[bool | None, Row | None]:
    """First row whose `when` holds; an unknown row before it makes the whole lookup unknown."""
    for row in let.rows:
        holds = ex.evaluate(row.when, ctx)
        if holds is None:
            return None, row
        if holds:
            return True, row
    return False, None


def _let_fields(names: set[str], policy: Policy) -> set[str]:
    """Expand let names into the profile fields they are computed from."""
    lets = {let.name: let for let in policy.lets}
    found: set[str] = set()
    pending = list(names)
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in lets:
            let = lets[name]
            nodes = [let.expr] if let.expr is not None else [row.when for row in let.rows]
            for node in nodes:
                pending.extend(ex.names_used(node))
        elif name in ALL_FIELDS:
            found.add(name)
    return found


def _fields_needed(nodes: list[ex.Node], policy: Policy) -> list[str]:
    """The profile fields behind these expressions, worked out once per policy and set of nodes."""
    memo = policy.__dict__.setdefault("_fields_needed", {})
    key = tuple(map(id, nodes))
    found = memo.get(key)
    if found is None:
        names: set[str] = set()
        for node in nodes:
            names |= ex.names_used(node)
        found = memo[key] = sorted(_let_fields(names, policy))
    return found


def policy_inputs(policy: Policy) -> tuple[str, ...]:
    """The profile's input fields (the calculator contract's keys, e.g. ``degree``, ``birth_date``,
    ``employment.employer_type``) that the policy's conditions, tables and amount read: what decides its result
    for a person."""
    found = policy.__dict__.get("_inputs")
    if found is None:
        nodes = [c.test for c in policy.conditions]
        nodes += [c.hint_when for c in policy.conditions if c.hint_when is not None]
        for let in policy.lets:
            nodes += [let.expr] if let.expr is not None else [row.when for row in let.rows]
        if policy.amount is not None:
            nodes += [n for n in (policy.amount.monthly, policy.amount.one_time) if n is not None]
        names: set[str] = set()
        for node in nodes:
            names |= ex.names_used(node)
        inputs: list[str] = []
        for name in sorted(_let_fields(names, policy)):
            inputs += [source for source in input_fields(name) if source not in inputs]
        found = policy.__dict__["_inputs"] = tuple(inputs)
    return found


def _missing(nodes: list[ex.Node], policy: Policy, ctx: ex.Context) -> list[str]:
    missing: list[str] = []
    for name in _fields_needed(nodes, policy):
        if ctx.get(name) is None:
            for source in input_fields(name):
                if source not in missing:
                    missing.append(source)
    return missing


def fill(template: str, ctx: ex.Context, extra: dict[str, str] | None = None) -> str:
    """Put the person's values into a catalog template: {age} → 37, {degree} → 博士."""
    extra = extra or {}

    def one(match: re.Match) -> str:
        name = match.group(1)
        if name in extra:
            return extra[name]
        value = ctx.get(name)
        if name in ALL_FIELDS:
            if ALL_FIELDS[name].type == ex.Type.NUM and value is not None:
                return ex.format_number(value)
            return value_label(name, value)
        return "未填写" if value is None else (
            ex.format_number(value) if isinstance(value, (int, Fraction)) else str(value))

    return PLACEHOLDER.sub(one, template)


def _amounts(policy: Policy, ctx: ex.Context) -> tuple[int | None, int | None, list[str]]:
    """Monthly and one-time amounts in fen (None when not computable), and the fields that are missing."""
    amount = policy.amount
    if amount is None:
        return None, None, []
    monthly = one_time = None
    node = amount.monthly if amount.monthly is not None else amount.one_time
    assert node is not None
    value = ex.evaluate(node, ctx)
    if value is None:
        return None, None, _missing([node], policy, ctx) or ["(amount)"]
    if amount.monthly is not None:
        monthly = to_fen(value)
    else:
        one_time = to_fen(value)
    return monthly, one_time, []


def amount_texts(policy: Policy, ctx: ex.Context, monthly: int | None, one_time: int | None) -> dict[str, str]:
    amount = policy.amount
    texts: dict[str, str] = {}
    if monthly is not None:
        texts["monthly_amount"] = fen_text(monthly)
    if one_time is not None:
        texts["one_time_amount"] = fen_text(one_time)
    if amount is not None:
        texts["months"] = str(amount.months) if amount.months else "不限"
        if monthly is not None and amount.months:
            texts["total"] = fen_text(monthly * amount.months)
        elif one_time is not None:
            texts["total"] = fen_text(one_time)
        node = amount.monthly if amount.monthly is not None else amount.one_time
        assert node is not None
        texts["formula"] = ex.render(node, ctx)
    return texts


def evaluate_policy(policy: Policy, person: ex.Context) -> Outcome:
    # Where, when and not twice come first and need no computed values: most (person, policy) pairs end
    # here, so nothing else is computed for them. A definite failure among them is the first failure of
    # all checks, exactly as in the full evaluation below.
    implicit = [_Check(c.code, ex.evaluate(c.test, person), condition=c) for c in policy.conditions if c.implicit]
    failed = next((c for c in implicit if c.value is False), None)
    if failed is not None:
        return Outcome(FALSE, failed.code, _failure_reasons(policy, failed, person, {}))

    ctx = dict(person)
    chosen: list[Row] = []
    table_checks: list[_Check] = []
    for let in policy.lets:
        if let.expr is not None:
            ctx[let.name] = ex.evaluate(let.expr, ctx)
            continue
        holds, row = _table(let, ctx)
        ctx[let.name] = row.value if holds and row is not None else None
        if holds and row is not None:
            chosen.append(row)
        code = row.code if row is not None else let.none_code
        table_checks.append(_Check(code, holds, let=let))
    # Who the person is (the tables) is checked before what they did (the policy's own conditions).
    checks = implicit + table_checks
    checks += [_Check(c.code, ex.evaluate(c.test, ctx), condition=c) for c in policy.conditions
               if not c.implicit]

    monthly, one_time, amount_missing = _amounts(policy, ctx)
    texts = amount_texts(policy, ctx, monthly, one_time)

    failed = next((c for c in checks if c.value is False), None)
    if failed is not None:
        return Outcome(FALSE, failed.code, _failure_reasons(policy, failed, ctx, texts))
    unsure = [c for c in checks if c.value is None]
    if unsure:
        # Decided by the first unknown; every missing field is named at once (一次性告知), the first one's first.
        missing: list[str] = []
        for check in unsure:
            nodes = [check.condition.test] if check.condition else [r.when for r in check.let.rows]  # type: ignore[union-attr]
            missing += [name for name in _missing(nodes, policy, ctx) if name not in missing]
        missing += [name for name in amount_missing if name not in missing and name != "(amount)"]
        return Outcome(UNKNOWN, unsure[0].code, [_missing_text(missing)], missing=missing)

    reasons = [fill(row.reason, ctx, texts) for row in chosen]
    reasons += [fill(c.passed, ctx, texts) for c in policy.conditions if c.passed and not c.implicit]
    manual_row = next((row for row in chosen if row.manual), None)
    if manual_row is not None:
        reasons.append(fill(manual_row.manual or "", ctx, texts))
        return Outcome(MANUAL, manual_row.code, reasons + list(policy.notes))
    if policy.screening:
        reasons.append(fill(policy.screening, ctx, texts))
        return Outcome(MANUAL, f"{policy.id}/screening", reasons + list(policy.notes))
    if amount_missing:
        return Outcome(UNKNOWN, f"{policy.id}/amount", [_missing_text(amount_missing)], missing=amount_missing)

    outcome = Outcome(TRUE, chosen[-1].code if chosen else f"{policy.id}/ok", reasons,
                      monthly_fen=monthly, one_time_fen=one_time)
    amount = policy.amount
    if amount is not None:
        if amount.explain:
            reasons.append(fill(amount.explain, ctx, texts))
        if monthly is not None:
            outcome.months = amount.months
            if amount.months:
                outcome.total_fen = monthly * amount.months
                reasons.append(f"发放期限最长{amount.months}个月，合计{texts['total']}元")
            else:
                reasons.append(amount.months_note or "文件未规定发放期限")
        else:
            outcome.total_fen = one_time
        if amount.cap and policy.kind == "program":
            reasons.append("竞争性项目：需申报并经评审择优确定，所列金额为上限")
        elif amount.cap:
            reasons.append("所列金额为上限，按实际发生额在上限内补贴")
    elif policy.kind == "program":
        reasons.append("竞争性项目：需申报并经评审")
    elif policy.kind == "service":
        reasons.append("服务事项（非现金待遇），向经办窗口申请")
    reasons += policy.notes
    return outcome


def _failure_reasons(policy: Policy, failed: _Check, ctx: ex.Context, texts: dict[str, str]) -> list[str]:
    if failed.let is not None:
        return [fill(failed.let.none, ctx, texts)]
    condition = failed.condition
    assert condition is not None
    reasons = [fill(condition.fail, ctx, texts)]
    if condition.hint and (condition.hint_when is None or ex.evaluate(condition.hint_when, ctx) is True):
        # Only a hint whose values are all known: never promise a sum the rules cannot compute yet.
        hint = fill(condition.hint, ctx, texts)
        if "未填写" not in hint:
            reasons.append(hint)
    return reasons


def _missing_text(missing: list[str]) -> str:
    labels = "、".join(input_label(name) for name in missing)
    return f"信息不全，无法判断：缺少 {labels}"

