"""Test cases of a policy's rule, as an officer reads them (issue 13; after OpenFisca's YAML tests): a
profile in the calculator contract's language, the evaluation day, the expected result and amount.

The shipped cases live beside the catalog (``catalog/cases/<policy id>.yaml``) and come with it; an office
adds its own in the browser (RuleCase). An office case with the name of a shipped one takes its place (an
office that decided an open point corrects the shipped expectation that way; ``active=False`` retires it).
A revision may be published only when every case of its policy passes against the catalog it would make.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

from rencai.policies.engine.catalog import CATALOG_DIR, Catalog

CASES_DIR = CATALOG_DIR / "cases"
STATUS_OF = {"true": True, "false": False, "manual": "manual", "unknown": "unknown"}
STATUS_LABELS = {True: "符合", False: "不符合", "manual": "一人一议/需评审", "unknown": "信息不足"}


@dataclass(frozen=True)
class Case:
    policy: str
    name: str
    profile: dict
    as_of: dt.date
    expected: object  # True, False, "manual", "unknown"
    monthly: Decimal | None = None  # checked only when given
    one_time: Decimal | None = None
    shipped: bool = True
    pk: int | None = None


@dataclass(frozen=True)
class CaseResult:
    case: Case
    passed: bool
    got: object
    got_monthly: Decimal | None
    got_one_time: Decimal | None
    why: str  # in Chinese: what differed (empty when passed)


def _amount(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _case_from(policy: str, item: dict, file: str) -> Case:
    expect = item.get("expect") or {}
    status = str(expect.get("eligible")).lower() if isinstance(expect.get("eligible"), bool) else expect.get("eligible")
    if status not in STATUS_OF:
        raise ValueError(f"{file}: {item.get('name')!r}: expect.eligible must be true/false/manual/unknown")
    as_of = item["as_of"]
    return Case(policy=policy, name=str(item["name"]), profile=dict(item["profile"]),
                as_of=as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of)),
                expected=STATUS_OF[status], monthly=_amount(expect.get("monthly_amount")),
                one_time=_amount(expect.get("one_time_amount")))


@cache
def shipped_cases() -> dict[str, tuple[Case, ...]]:
    """Every shipped case, by policy (read once per process)."""
    found: dict[str, tuple[Case, ...]] = {}
    for path in sorted(Path(CASES_DIR).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        policy = data["policy"]
        if path.name != f"{policy}.yaml":
            raise ValueError(f"{path.name}: the file must be named after its policy ({policy}.yaml)")
        found[policy] = tuple(_case_from(policy, item, path.name) for item in data["cases"])
    return found


def office_case(row) -> Case:
    return Case(policy=row.policy, name=row.name, profile=dict(row.profile), as_of=row.as_of,
                expected=STATUS_OF[row.expected_status], monthly=row.expected_monthly,
                one_time=row.expected_one_time, shipped=False, pk=row.pk)


def cases_for(policy: str) -> list[Case]:
    """The policy's cases in force: the shipped ones, each replaced or retired by an office case of its name,
    and the office's own."""
    from .models import RuleCase

    rows = {row.name: row for row in RuleCase.objects.filter(policy=policy).order_by("pk")}
    cases = []
    for case in shipped_cases().get(policy, ()):
        row = rows.pop(case.name, None)
        if row is None:
            cases.append(case)
        elif row.active:
            cases.append(office_case(row))
    cases += [office_case(row) for row in rows.values() if row.active]
    return cases


def _yuan(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def case_run(case: Case, catalog: Catalog) -> CaseResult:
    """Evaluate one case with ``catalog`` and compare."""
    from rencai.policies.calculator import calculate
    from rencai.policies.profile import ProfileError

    try:
        answer = calculate(case.profile, as_of=case.as_of, catalog=catalog)
    except ProfileError as error:
        return CaseResult(case, False, None, None, None, f"人员情况有误：{error.message_zh}（{error.field}）")
    result = next((r for r in answer["results"] if r["policy"] == case.policy), None)
    if result is None:
        return CaseResult(case, False, None, None, None, "目录中没有这项政策")
    got, monthly, one_time = result["eligible"], _yuan(result["monthly_amount"]), _yuan(result["one_time_amount"])
    why = []
    if got != case.expected:
        why.append(f"预期“{STATUS_LABELS[case.expected]}”，实为“{STATUS_LABELS.get(got, got)}”")
    if case.monthly is not None and monthly != case.monthly:
        why.append(f"每月金额预期{case.monthly}元，实为{'无' if monthly is None else f'{monthly}元'}")
    if case.one_time is not None and one_time != case.one_time:
        why.append(f"一次性金额预期{case.one_time}元，实为{'无' if one_time is None else f'{one_time}元'}")
    return CaseResult(case, not why, got, monthly, one_time, "；".join(why))


def cases_run(policy: str, catalog: Catalog) -> list[CaseResult]:
    return [case_run(case, catalog) for case in cases_for(policy)]
