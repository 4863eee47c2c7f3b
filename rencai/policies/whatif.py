"""What-if budget simulation: change a table value, re-compute only the policies it touches.

A parameter is addressed as ``"<policy id>.<row id>"`` — the row of one of the policy's tables, e.g.
``"sy-living-subsidy-graduate.doctor"`` (博士 2500 元/月). Only policies named in ``overrides`` are
evaluated again; the others keep their base figures, so the comparison is cheap on a large frame.
"""

from __future__ import annotations

import copy
import datetime as dt
from fractions import Fraction

import polars as pl

from rencai.policies.batch import evaluate_frame
from rencai.policies.calculator import default_catalog
from rencai.policies.engine.catalog import Catalog


def _with_overrides(catalog: Catalog, overrides: dict[str, object]) -> tuple[Catalog, list[str]]:
    policies = dict(catalog.policies)
    touched: list[str] = []
    for key, value in overrides.items():
        pid, _, row_id = key.rpartition(".")
        if pid not in policies:
            raise KeyError(f"未知政策 {pid!r} / unknown policy in {key!r}")
        if pid not in touched:
            policies[pid] = copy.deepcopy(policies[pid])
            touched.append(pid)
        rows = [row for let in policies[pid].lets for row in let.rows if row.id == row_id]
        if not rows or rows[0].value is None:
            raise KeyError(f"{pid} 没有金额行 {row_id!r} / no amount row {row_id!r}")
        number = Fraction(str(value))
        if number < 0:
            raise ValueError(f"{key}: 金额不能为负 / must not be negative")
        rows[0].value = number
    return Catalog(policies=policies, groups=catalog.groups), touched


def simulate(df: pl.DataFrame, as_of: dt.date, overrides: dict[str, object], *,
             catalog: Catalog | None = None) -> pl.DataFrame:
    """Per touched policy: eligible count and total (fen) before and after the change.

    Totals count bounded amounts only (a subsidy with an open duration has no total; its monthly sum is
    reported instead).
    """
    catalog = catalog or default_catalog()
    changed, touched = _with_overrides(catalog, overrides)
    before = evaluate_frame(df, as_of=as_of, policies=touched, catalog=catalog)
    after = evaluate_frame(df, as_of=as_of, policies=touched, catalog=changed)
    rows = []
    for pid in touched:
        rows.append({
            "policy": pid,
            "eligible": int((after[f"{pid}.status"] == 1).sum()),
            "monthly_fen_before": int(before[f"{pid}.monthly_fen"].sum() or 0),
            "monthly_fen_after": int(after[f"{pid}.monthly_fen"].sum() or 0),
            "total_fen_before": int(before[f"{pid}.total_fen"].sum() or 0),
            "total_fen_after": int(after[f"{pid}.total_fen"].sum() or 0),
        })
    return pl.DataFrame(rows)
