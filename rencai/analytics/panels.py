"""The command display's panels (指挥调度展示平台, issue 10), as a registry: each panel is a plain function
``(*, user, today) -> dict`` scoped by the viewer's jurisdiction, with a Chinese title, so the page, its htmx
fragments, the tests and bench/analytics.py walk the same list (``PANELS``).

Every panel is a fixed number of grouped queries on indexed columns or kept aggregates, whatever the size of the
registry. How each stays right when the facts change:

- 人才库 / 当年新认定 / 各区县分布: ``talents.TalentCount``, kept by database triggers on the talents table in the
  writer's own transaction (any insert, update, delete, COPY): never stale.
- 资金: ``payments.BudgetLine``'s committed and paid, moved in the same transaction as every commitment and
  payment (payments.budgets): never stale. Budget lines are city-wide figures; a district officer sees them
  labelled as the city's.
- 申请 / 服务事项 / 满意度 / 流动: grouped counts over the live rows (statuses and dates indexed), read at each
  refresh: no copy to keep.
- 预警: the early-warning app's own open warnings (once it is installed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.urls import NoReverseMatch, reverse

from rencai.accounts.permissions import jurisdiction_codes, require_government

FLOW_MONTHS = 12  # the flows panel: the last twelve months up to today's


@dataclass(frozen=True)
class PanelSpec:
    key: str  # stable: the fragment's URL argument and the element's id
    title: str
    read: Callable[..., dict]
    template: str


def _counts(user):
    from rencai.talents.models import TalentCount

    qs = TalentCount.objects.all()
    if not user.is_administrator:
        qs = qs.filter(district_id__in=jurisdiction_codes(user))
    return qs


def _categories():
    from rencai.talents.enums import TalentCategory

    return [(code, label.split("（")[0]) for code, label in TalentCategory.choices]


def pool(*, user, today: dt.date) -> dict:
    """人才库: the recognised by category (A–D) and in all, the registry's total and the returnees (one query on
    the kept counts)."""
    require_government(user)
    rows = _counts(user).values("talent_category", "returnee").annotate(n=Sum("n")).order_by()
    by_category, total, returnees = {}, 0, 0
    for row in rows:
        total += row["n"]
        returnees += row["n"] if row["returnee"] else 0
        if row["talent_category"]:
            by_category[row["talent_category"]] = by_category.get(row["talent_category"], 0) + row["n"]
    categories = [{"code": code, "label": label, "n": by_category.get(code, 0)} for code, label in _categories()]
    return {"categories": categories, "recognised": sum(c["n"] for c in categories), "total": total,
            "returnees": returnees}


def new_recognitions(*, user, today: dt.date) -> dict:
    """当年新认定: the year's new recognitions by category, with the year before for comparison (one query on the
    kept counts' year of recognition)."""
    require_government(user)
    year = today.year
    rows = (_counts(user).filter(recognized_year__in=[year - 1, year]).exclude(talent_category="")
            .values("recognized_year", "talent_category").annotate(n=Sum("n")).order_by())
    got = {(r["recognized_year"], r["talent_category"]): r["n"] for r in rows}
    categories = [{"code": code, "label": label, "n": got.get((year, code), 0), "before": got.get((year - 1, code), 0)}
                  for code, label in _categories()]
    return {"year": year, "categories": categories, "total": sum(c["n"] for c in categories),
            "before": sum(c["before"] for c in categories)}


def districts(*, user, today: dt.date) -> dict:
    """各区县人才分布: the recognised per district, ranked — the map's figures, drawn as ranked bars until the map's
    boundaries are loaded (one query on the kept counts, one for the district names)."""
    from rencai.analytics.selectors import districts_of

    names = {d.code: d.name for d in districts_of(user)}
    rows = dict(_counts(user).exclude(talent_category="").values("district_id").annotate(n=Sum("n"))
                .order_by().values_list("district_id", "n"))
    ranked = sorted(({"code": code, "name": name, "n": rows.get(code, 0)} for code, name in names.items()),
                    key=lambda r: (-r["n"], r["code"]))
    top = max((r["n"] for r in ranked), default=0)
    for row in ranked:
        row["percent"] = round(100 * row["n"] / top) if top else 0
    return {"districts": ranked, "map": _has_boundaries(names),
            "chart": [{"name": r["name"], "value": r["n"], "code": r["code"]} for r in ranked]}


def _has_boundaries(codes) -> bool:
    """Whether the map's boundaries are loaded for the viewer's city (analytics.Boundaries): one query."""
    from rencai.analytics.models import Boundaries

    return Boundaries.objects.filter(region_id__in={code[:4] + "00" for code in codes}).exists()


def money(*, user, today: dt.date) -> dict:
    """资金: per policy this year, committed and paid against the budget line (one query, and the catalog's
    titles). Budget lines are the city's."""
    from rencai.payments.models import BudgetLine, fen_to_yuan
    from rencai.payments.selectors import policy_title

    require_government(user)
    lines = list(BudgetLine.objects.filter(year=today.year).order_by("-amount_fen", "policy")
                 .values("policy", "amount_fen", "committed_fen", "paid_fen"))
    rows = []
    for line in lines:
        amount = line["amount_fen"]
        rows.append({"policy": line["policy"], "title": policy_title(line["policy"]),
                     "budget": fen_to_yuan(amount), "committed": fen_to_yuan(line["committed_fen"]),
                     "paid": fen_to_yuan(line["paid_fen"]),
                     "paid_percent": round(100 * line["paid_fen"] / amount, 1) if amount else None,
                     "committed_percent": round(100 * line["committed_fen"] / amount, 1) if amount else None})
    totals = {k: sum((r[k] for r in rows), Decimal("0.00")) for k in ("budget", "committed", "paid")}
    totals["paid_percent"] = round(100 * totals["paid"] / totals["budget"], 1) if totals["budget"] else None
    # a district's officer: the lines are the city's, said on the panel
    city_wide = bool(user.department_id and not user.department.region_id.endswith("00"))
    return {"year": today.year, "lines": rows, "totals": totals, "city_wide_note": city_wide}


def applications(*, user, today: dt.date) -> dict:
    """申请办理: 政策兑现 by state with those past their promised deadline, and 项目申报 by state (two grouped
    queries, scoped through the talent's current record)."""
    from rencai.fulfilment.enums import Status as FStatus
    from rencai.fulfilment.selectors import applications_visible as fulfilment_visible
    from rencai.programmes.enums import Status as PStatus
    from rencai.programmes.selectors import applications_visible as programmes_visible

    require_government(user)
    fulfilment = {r["status"]: r for r in fulfilment_visible(user).values("status").annotate(
        n=Count("pk"), overdue=Count("pk", filter=Q(status=FStatus.REVIEWING,
                                                     current_step__promised_due__lt=today))).order_by()}
    programmes = dict(programmes_visible(user).exclude(status=PStatus.DRAFT).values("status")
                      .annotate(n=Count("pk")).order_by().values_list("status", "n"))
    return {
        "fulfilment": [{"label": label, "n": fulfilment.get(code, {}).get("n", 0)} for code, label in FStatus.choices],
        "fulfilment_overdue": sum(r["overdue"] for r in fulfilment.values()),
        "programmes": [{"label": label, "n": programmes.get(code, 0)} for code, label in PStatus.choices
                       if code != PStatus.DRAFT],
    }


def requests(*, user, today: dt.date) -> dict:
    """服务事项 (一件事): requests by state, and the parts open past their promised day (two grouped queries)."""
    from rencai.services.enums import OPEN_PART_STATUSES, RequestStatus
    from rencai.services.selectors import parts_visible, requests_visible

    require_government(user)
    by_status = dict(requests_visible(user).values("status").annotate(n=Count("pk")).order_by()
                     .values_list("status", "n"))
    parts = parts_visible(user).filter(status__in=OPEN_PART_STATUSES).aggregate(
        n=Count("pk"), overdue=Count("pk", filter=Q(promised_due__lt=today)))
    return {"requests": [{"label": label, "n": by_status.get(code, 0)} for code, label in RequestStatus.choices],
            "parts_open": parts["n"], "parts_overdue": parts["overdue"]}


def satisfaction(*, user, today: dt.date) -> dict:
    """满意度 (好差评): the share satisfied in all and per department, the 差评 and complaints
    (feedback.selectors.satisfaction: three queries) — for leaders, supervisors and administrators; other
    viewers see that it is not theirs to see."""
    from rencai.feedback.selectors import may_see_satisfaction
    from rencai.feedback.selectors import satisfaction as per_department

    require_government(user)
    if not may_see_satisfaction(user):
        return {"allowed": False}
    rows = per_department(user=user, by="department")
    total = sum(r["total"] for r in rows)
    satisfied = sum(r["satisfied"] for r in rows)
    return {"allowed": True, "total": total, "rate": round(100 * satisfied / total, 1) if total else None,
            "poor": sum(r["poor"] for r in rows), "complaints": sum(r["complaints"] for r in rows),
            "departments": sorted(rows, key=lambda r: -(r["total"]))[:6]}


def flows(*, user, today: dt.date) -> dict:
    """人才流动: the last twelve months' inflow, outflow and net per district, and the months' totals
    (analytics.selectors.flows_monthly: two grouped queries over the moves' (district, day) indexes)."""
    from rencai.analytics.selectors import flows_monthly

    back = today.year * 12 + today.month - 1 - (FLOW_MONTHS - 1)
    start = dt.date(back // 12, back % 12 + 1, 1)
    rows = flows_monthly(user=user, start=start, end=today)
    per_district: dict[str, dict] = {}
    months: dict[dt.date, dict] = {}
    for row in rows:
        d = per_district.setdefault(row.district_id, {"name": row.district_name, "inflow": 0, "outflow": 0})
        d["inflow"] += row.inflow
        d["outflow"] += row.outflow
        m = months.setdefault(row.month, {"month": row.month, "inflow": 0, "outflow": 0})
        m["inflow"] += row.inflow
        m["outflow"] += row.outflow
    table = [{**d, "code": code, "net": d["inflow"] - d["outflow"]} for code, d in per_district.items()]
    table.sort(key=lambda r: (r["net"], r["code"]))  # the largest net outflow first: what a leader looks at
    series = [{**m, "net": m["inflow"] - m["outflow"]} for m in sorted(months.values(), key=lambda m: m["month"])]
    return {"start": start, "end": today, "districts": table, "months": series,
            "inflow": sum(r["inflow"] for r in table), "outflow": sum(r["outflow"] for r in table)}


WARNINGS_SHOWN = 5


def warnings(*, user, today: dt.date) -> dict:
    """决策预警: the open warnings the viewer may see, most recent first, and their counts — read from the
    early-warning app once it is installed (``earlywarning.selectors.open_warnings`` / ``counts``)."""
    require_government(user)
    if not apps.is_installed("rencai.earlywarning"):
        return {"installed": False}
    ew = import_module("rencai.earlywarning.selectors")
    if not (hasattr(ew, "open_warnings") and hasattr(ew, "counts")):
        return {"installed": False}
    items = []
    for warning in ew.open_warnings(user=user, limit=WARNINGS_SHOWN):
        try:
            link = reverse("earlywarning:detail", kwargs={"warning_id": warning.pk})
        except NoReverseMatch:  # the app is installed before its pages are
            link = ""
        items.append({"title": warning.title, "state": warning.get_state_display(),
                      "kind": warning.get_kind_display(), "raised_at": warning.raised_at, "link": link})
    return {"installed": True, "items": items, "counts": ew.counts(user=user)}


PANELS: list[PanelSpec] = [
    PanelSpec("pool", "人才库（已认定人才）", pool, "analytics/command/_pool.html"),
    PanelSpec("new", "当年新认定", new_recognitions, "analytics/command/_new.html"),
    PanelSpec("districts", "各区县人才分布", districts, "analytics/command/_districts.html"),
    PanelSpec("money", "资金兑现（当年预算执行）", money, "analytics/command/_money.html"),
    PanelSpec("applications", "申请办理", applications, "analytics/command/_applications.html"),
    PanelSpec("requests", "服务事项办理", requests, "analytics/command/_requests.html"),
    PanelSpec("satisfaction", "满意度（好差评）", satisfaction, "analytics/command/_satisfaction.html"),
    PanelSpec("flows", "人才流动（近12个月）", flows, "analytics/command/_flows.html"),
    PanelSpec("warnings", "决策预警", warnings, "analytics/command/_warnings.html"),
]
BY_KEY = {p.key: p for p in PANELS}


def panel_read(*, key: str, user, today: dt.date) -> dict:
    return BY_KEY[key].read(user=user, today=today)
