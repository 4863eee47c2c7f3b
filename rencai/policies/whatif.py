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


def _column(results: pl.DataFrame, name: str, dtype) -> pl.Series:
    """A result column, or nulls where the policy has no such output (a rule without an amount)."""
    if name in results.columns:
        return results[name]
    return pl.Series(name, [None] * results.height, dtype=dtype)


def evaluate_side(df: pl.DataFrame, as_of: dt.date, policies: list[str], catalog: Catalog) -> pl.DataFrame:
    """``evaluate_frame`` over the policies this catalog has. A policy it lacks (a rule a draft adds, or one it
    withdraws) entitles nobody on this side: status 0 and no money."""
    present = [pid for pid in policies if pid in catalog.policies]
    results = evaluate_frame(df, as_of=as_of, policies=present, catalog=catalog)
    zeros = pl.Series([0] * df.height, dtype=pl.UInt8)
    return results.with_columns([zeros.alias(f"{pid}.status") for pid in policies if pid not in present])


def _side(results: pl.DataFrame, pid: str, policy: Policy | None, other: Policy | None, as_of: dt.date) -> dict:
    """One side's per-row figures for one policy, and how its money is counted. A side without the policy
    counts it as the other side does (a new monthly rule costs 0 a month before)."""
    shape = policy or other
    monthly = shape is not None and shape.amount is not None and shape.amount.monthly is not None
    bounded = policy is None or not monthly or bool(policy.amount.months)
    months = (months_this_year(shape, as_of) if policy is not None else 0) if monthly else 1
    amount = _column(results, f"{pid}.monthly_fen" if monthly else f"{pid}.one_time_fen", pl.Int64)
    return {
        "entitled": results[f"{pid}.status"] == 1,
        "amount": amount,
        "total": _column(results, f"{pid}.total_fen", pl.Int64),
        "monthly": monthly, "bounded": bounded,
        "months": (months_this_year(shape, as_of) if monthly else None), "factor": months,
    }


def compare_results(before: pl.DataFrame, after: pl.DataFrame, policies: list[str], *, as_of: dt.date,
                    before_catalog: Catalog, after_catalog: Catalog, by: pl.Series | None = None) -> pl.DataFrame:
    """The what-if's figures from two evaluations of the same rows (``evaluate_side`` under each catalog):
    per policy — and per value of ``by`` (e.g. the district), in column ``group`` — how many people are entitled
    before and after, gained, lost, whose amount changes (and ``people_changed``: either), and the money in
    integer fen per month, this year and over the policy's duration on each side.

    This year counts a monthly subsidy from the evaluation month to December (within its duration) and a
    one-time amount in full. Over the duration is null where the documents set no end (e.g. the rent subsidy):
    only the monthly and this-year figures can be given there.
    """
    frames = []
    for pid in policies:
        b = _side(before, pid, before_catalog.policies.get(pid), after_catalog.policies.get(pid), as_of)
        a = _side(after, pid, after_catalog.policies.get(pid), before_catalog.policies.get(pid), as_of)
        title = (after_catalog.policies.get(pid) or before_catalog.policies[pid]).title
        rows = pl.DataFrame({
            "group": by if by is not None else pl.Series([None] * before.height, dtype=pl.String),
            "eb": b["entitled"], "ea": a["entitled"], "ab": b["amount"], "aa": a["amount"],
            "tb": b["total"], "ta": a["total"],
        })
        same_amount = rows["ab"].fill_null(-1) == rows["aa"].fill_null(-1)
        rows = rows.with_columns(
            gained=~pl.col("eb") & pl.col("ea"), lost=pl.col("eb") & ~pl.col("ea"),
            amount_changed=pl.col("eb") & pl.col("ea") & ~same_amount,
            changed=(pl.col("eb") != pl.col("ea")) | ~same_amount,
        )
        summary = rows.group_by("group", maintain_order=True).agg(
            people_before=pl.col("eb").sum(), people_after=pl.col("ea").sum(),
            people_gained=pl.col("gained").sum(), people_lost=pl.col("lost").sum(),
            people_amount_changed=pl.col("amount_changed").sum(), people_changed=pl.col("changed").sum(),
            amount_before=pl.col("ab").sum(), amount_after=pl.col("aa").sum(),
            total_before=pl.col("tb").sum(), total_after=pl.col("ta").sum(),
        )
        found = list(summary.iter_rows(named=True))
        if not found and by is None:  # no rows at all: still one line of zeros for the policy
            found = [{"group": None, **{k: 0 for k in summary.columns if k != "group"}}]
        for row in found:
            out = {"policy": pid, "title": title, "group": row["group"],
                   **{k: int(row[k]) for k in ("people_before", "people_after", "people_gained", "people_lost",
                                               "people_amount_changed", "people_changed")},
                   "months_this_year": a["months"] if a["months"] is not None else b["months"]}
            for side, figures in (("before", b), ("after", a)):
                amount = int(row[f"amount_{side}"] or 0)
                out[f"monthly_fen_{side}"] = amount if figures["monthly"] else None
                out[f"this_year_fen_{side}"] = amount * figures["factor"]
                out[f"total_fen_{side}"] = int(row[f"total_{side}"] or 0) if figures["bounded"] else None
            out["eligible"] = out["people_after"]
            frames.append(out)
    return pl.DataFrame(frames, schema=COMPARE_SCHEMA)


COMPARE_SCHEMA = {
    "policy": pl.String, "title": pl.String, "group": pl.String, "people_before": pl.Int64,
    "people_after": pl.Int64, "people_gained": pl.Int64, "people_lost": pl.Int64,
    "people_amount_changed": pl.Int64, "people_changed": pl.Int64, "months_this_year": pl.Int64,
    "monthly_fen_before": pl.Int64, "this_year_fen_before": pl.Int64, "total_fen_before": pl.Int64,
    "monthly_fen_after": pl.Int64, "this_year_fen_after": pl.Int64, "total_fen_after": pl.Int64,
    "eligible": pl.Int64,
}


def compare(df: pl.DataFrame, as_of: dt.date, policies: list[str], *, before: Catalog, after: Catalog,
            by: str | None = None) -> pl.DataFrame:
    """``policies`` evaluated under two catalogs over the same rows: ``compare_results``' figures (per value
    of the column ``by`` of ``df`` when given). The amount what-if (``simulate``) and the workbench's cost of a
    draft rule (``workbench.cost``) both count with it."""
    return compare_results(evaluate_side(df, as_of, policies, before), evaluate_side(df, as_of, policies, after),
                           policies, as_of=as_of, before_catalog=before, after_catalog=after,
                           by=df[by] if by else None)


def simulate(df: pl.DataFrame, as_of: dt.date, overrides: dict[str, object], *,
             catalog: Catalog | None = None) -> pl.DataFrame:
    """Per touched policy, before and after the amounts change: ``compare``'s figures (people entitled, gained,
    lost, changed; fen per month, this year and over the duration). Only the touched policies are evaluated."""
    catalog = catalog or default_catalog()
    changed, touched = _with_overrides(catalog, overrides)
    return compare(df, as_of, touched, before=catalog, after=changed).drop("group")
