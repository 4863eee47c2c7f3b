"""The monthly run's 社保 check (issue 16): a month whose talent has no social insurance paid in the city stops,
with the 社保 feed as the reason ("社保缴纳：人社局数据显示2026年10月无本市缴费记录").

Which entitlements are checked — ``needs_work_in_city`` reads the catalog, never a list of policy ids: a policy of
the city (its jurisdiction is the city or one of its districts: the city's 社保 feed cannot speak for a province)
whose own conditions read the talent's employment (a field ``employment.*``: 在本市就业创业, the employer's type),
in a condition or in a table that decides the amount, or whose document's words (the source quotes) make work or
social insurance in the city a condition (在我市就业创业, 缴纳社会保险 …). The conditions every policy has (where,
when, not twice, 不可兼得 — whose "企业职工" reads the employer's type only to decide the group) do not count, nor
the catalog's notes, which say what the documents leave open ("社保缴纳等其他条件未载明" is no condition).

Which month is checked — ``datahub.selectors.insurance_month``: the latest month among M, M-1 and M-2 that the
feed has delivered (M-1's data comes by the feed's due working day of M, so the scheduled run on the 1st sees
M-2). With no active feed, or none of the three months delivered, nothing is checked and the declared registry
stands, as before the data centre: the absence of data never stops a payment.

What stops — the talent has no row of that month paid (正常缴费) in the city: no row at all, 欠费, 暂停缴费, or
a 参保地 outside the city. A row without a 参保地 counts as the feed's own city. Any active 社保 feed's paid row
is enough, and the feed does not speak for a month staff found it wrong about (a discrepancy of that month closed
as 申报信息属实).

Set-based: one read of the checked month's facts about the run's talents (``insurance_facts``), joined to the
run's frame; no query per entitlement.
"""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

from rencai.policies.engine import expr as ex

# The words of a document that make work or social insurance in the city a condition of the benefit.
WORK_WORDS = re.compile(r"在(?:我市|本市|沈阳市?|沈|当地)(?:就业|工作|创业|缴纳|参保)|就业创业|缴纳社会保险|缴纳社保"
                        r"|社会保险|社保")
FACT_SCHEMA = {"talent_id": pl.Int64, "status": pl.String, "district": pl.String}


def _reads_employment(policy) -> bool:
    nodes = [c.test for c in policy.conditions if not c.implicit]
    for let in policy.lets:
        nodes += [let.expr] if let.expr is not None else []
        nodes += [row.when for row in let.rows]
    return any(name.startswith("employment.") for node in nodes for name in ex.names_used(node))


def needs_work_in_city(policy, *, city: str) -> bool:
    """Whether a policy requires work or social insurance in the city (see the module's docstring)."""
    if not policy.jurisdiction.startswith(city[:4]):
        return False
    quotes = [policy.source.quote, *(source.quote for source in policy.also_sources)]
    return _reads_employment(policy) or any(WORK_WORDS.search(quote) for quote in quotes)


def checked_policies(catalog, *, city: str) -> set[str]:
    """The catalog's policies the 社保 feed checks (worked out once per catalog)."""
    key = f"payments.work_in_city:{city}"
    if key not in catalog.memo:
        catalog.memo[key] = {pid for pid, policy in catalog.policies.items() if needs_work_in_city(policy, city=city)}
    return catalog.memo[key]


def _reason(checked, status: str | None, district: str | None, regions: dict[str, str]) -> str:
    month = f"{checked.period.year}年{checked.period.month}月"
    said = f"社保缴纳：{checked.source}显示{month}"
    if status == "arrears":
        return f"{said}欠费，无本市正常缴费记录"
    if status == "stopped":
        return f"{said}暂停缴费，无本市正常缴费记录"
    if district:
        return f"{said}在外地参保（{regions.get(district, district)}），无本市缴费记录"
    return f"{said}无本市缴费记录"


def feed_stops(todo: pl.DataFrame, month: dt.date, todo_of, *, frame_of) -> dict[int, str]:
    """{entitlement id: reason} for the month's work (``todo``: id, talent_id, policy …; ``todo_of``: the same
    as a queryset) whose policy the 社保 feed checks and whose talent has no paid row in the city for the
    checked month. ``frame_of(queryset, schema)`` reads a query as a frame (the run's reader)."""
    from django.conf import settings

    from rencai.datahub.discrepancies import city_prefix
    from rencai.datahub.selectors import insurance_facts, insurance_month, insurance_upheld
    from rencai.policies.calculator import default_catalog

    city = str(getattr(settings, "RENCAI_CITY_CODE", "210100"))
    policies = checked_policies(default_catalog(), city=city) & set(todo.get_column("policy").unique().to_list())
    if not policies:
        return {}
    checked = insurance_month(month=month)
    if checked is None:
        return {}
    policies = sorted(policies)
    talents = todo_of.filter(policy__in=policies).order_by().values("talent_id")
    facts = frame_of(insurance_facts(checked=checked, talents=talents), FACT_SCHEMA)
    upheld = set(insurance_upheld(checked=checked, talents=talents))
    prefix = city_prefix()
    district = pl.col("district").fill_null("")
    paid = (pl.col("status").fill_null("paid") == "paid") & ((district == "") | district.str.starts_with(prefix))
    per_talent = (facts.with_columns(paid=paid).sort("talent_id", "paid", "status", "district", nulls_last=True)
                  .group_by("talent_id", maintain_order=True)
                  .agg(pl.col("paid").any(), pl.col("status").first(), pl.col("district").first()))
    unpaid = (todo.filter(pl.col("policy").is_in(policies)).select("id", "talent_id")
              .join(per_talent, on="talent_id", how="left").filter(~pl.col("paid").fill_null(False))
              .filter(~pl.col("talent_id").is_in(sorted(upheld))))
    if unpaid.is_empty():
        return {}
    elsewhere = {code for code in unpaid.get_column("district").drop_nulls().unique().to_list()
                 if code and not code.startswith(prefix)}
    regions = {}
    if elsewhere:
        from rencai.regions.models import Region

        regions = dict(Region.objects.filter(code__in=sorted(elsewhere)).values_list("code", "name"))
    return {entitlement_id: _reason(checked, status if status in ("arrears", "stopped") else None,
                                    code if code and not code.startswith(prefix) else None, regions)[:300]
            for entitlement_id, _talent, _paid, status, code in unpaid.iter_rows()}
