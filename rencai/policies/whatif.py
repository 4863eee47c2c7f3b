"""What-if budget simulation: change an amount, re-compute only the policies it touches.

A parameter is addressed as ``"<policy id>.<row id>"`` — a row of one of the policy's amount tables, e.g.
``"sy-living-subsidy-graduate.doctor"`` (博士 2500 元/月). Only the policies named in ``overrides`` are
evaluated, before and after; the others are not re-computed, so the comparison is cheap on a large frame.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

import polars as pl

from rencai.policies.batch import evaluate_frame
from rencai.policies.calculator import default_catalog
from rencai.policies.engine.catalog import Catalog, Policy


class OverrideError(ValueError):
    """A what-if parameter that does not exist or cannot take the value; the message is Chinese / English."""


@dataclass(frozen=True)
class Parameter:
    key: str
    policy: str
    title: str
    reason: str
    value: Fraction


def parameters(catalog: Catalog | None = None) -> list[Parameter]:
    """Every amount a what-if may change: the valued rows of the person-level policies' tables."""
    catalog = catalog or default_catalog()
    return [
        Parameter(key=f"{policy.id}.{row.id}", policy=policy.id, title=policy.title, reason=row.reason,
                  value=row.value)
        for policy in catalog.person_policies()
        for let in policy.lets
        for row in let.rows
        if row.value is not None
    ]


# The largest amount a what-if may set for one row, in yuan: a person's fen over a policy's whole duration,
# summed over a million people, stays far inside 64 bits.
MAX_AMOUNT = 100_000_000


def parse_overrides(items: list[str]) -> dict[str, Fraction]:
    """``["sy-living-subsidy-graduate.doctor=3000", ...]`` → {key: amount}."""
    overrides: dict[str, Fraction] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise OverrideError(f"应为 政策.档次=金额：{item!r} / expected policy.row=amount: {item!r}")
        try:
            overrides[key.strip()] = Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise OverrideError(f"{key}：金额应为数字：{value!r} / amount must be a number: {value!r}") from None
    return overrides


def _with_overrides(catalog: Catalog, overrides: dict[str, object]) -> tuple[Catalog, list[str]]:
    policies = dict(catalog.policies)
    touched: list[str] = []
    for key, value in overrides.items():
        pid, _, row_id = key.rpartition(".")
        if pid not in policies:
            raise OverrideError(f"未知政策 {pid!r}（{key}） / unknown policy in {key!r}")
        if pid not in touched:
            policies[pid] = copy.deepcopy(policies[pid])
            touched.append(pid)
        rows = [row for let in policies[pid].lets for row in let.rows if row.id == row_id]
        if not rows or rows[0].value is None:
            raise OverrideError(f"{pid} 没有金额档次 {row_id!r} / no amount row {row_id!r}")
        number = Fraction(str(value))
        if number < 0:
            raise OverrideError(f"{key}：金额不能为负 / must not be negative")
        if number > MAX_AMOUNT:  # a typed number must not overflow the batch's 64-bit fen columns (issue 14)
            raise OverrideError(f"{key}：金额不能超过{MAX_AMOUNT:,}元 / must not exceed {MAX_AMOUNT:,} yuan")
        if number.limit_denominator(100) != number:
            raise OverrideError(f"{key}：金额最多两位小数 / at most two decimal places")
        rows[0].value = number
    return Catalog(policies=policies, groups=catalog.groups), touched


def months_this_year(policy: Policy, as_of: dt.date) -> int:
    """Months paid from the evaluation month to December, within the policy's duration where it has one."""
    left = 13 - as_of.month
    months = policy.amount.months if policy.amount else None
    return min(left, months) if months else left


def _sum(frame: pl.DataFrame, column: str) -> int:
    return int(frame[column].sum() or 0) if column in frame.columns else 0


def simulate(df: pl.DataFrame, as_of: dt.date, overrides: dict[str, object], *,
             catalog: Catalog | None = None) -> pl.DataFrame:
    """Per touched policy, before and after the change: how many people are entitled, how many people's
    amount changes, and the money (integer fen) per month, this year and over the policy's duration.

    This year counts a monthly subsidy from the evaluation month to December (within its duration) and a
    one-time amount in full. Over the duration is null where the documents set no end (e.g. the rent
    subsidy): only the monthly and this-year figures can be given there.
    """
    catalog = catalog or default_catalog()
    changed, touched = _with_overrides(catalog, overrides)
    before = evaluate_frame(df, as_of=as_of, policies=touched, catalog=catalog)
    after = evaluate_frame(df, as_of=as_of, policies=touched, catalog=changed)
    rows = []
    for pid in touched:
        policy = catalog.policies[pid]
        monthly = policy.amount is not None and policy.amount.monthly is not None
        bounded = not monthly or bool(policy.amount.months)
        months = months_this_year(policy, as_of) if monthly else 1
        amount = f"{pid}.monthly_fen" if monthly else f"{pid}.one_time_fen"
        status_changed = before[f"{pid}.status"] != after[f"{pid}.status"]
        amount_changed = before[amount].fill_null(-1) != after[amount].fill_null(-1)
        row = {
            "policy": pid,
            "title": policy.title,
            "people_before": int((before[f"{pid}.status"] == 1).sum()),
            "people_after": int((after[f"{pid}.status"] == 1).sum()),
            "people_changed": int((status_changed | amount_changed).sum()),
            "months_this_year": months if monthly else None,
        }
        for side, frame in (("before", before), ("after", after)):
            row[f"monthly_fen_{side}"] = _sum(frame, f"{pid}.monthly_fen") if monthly else None
            row[f"this_year_fen_{side}"] = _sum(frame, amount) * months
            row[f"total_fen_{side}"] = _sum(frame, f"{pid}.total_fen") if bounded else None
        row["eligible"] = row["people_after"]
        rows.append(row)
    return pl.DataFrame(rows, schema_overrides={
        "months_this_year": pl.Int64, "monthly_fen_before": pl.Int64, "monthly_fen_after": pl.Int64,
        "total_fen_before": pl.Int64, "total_fen_after": pl.Int64})
