"""人才地图's pages (issue 10): the map (a choropleth of the viewer's districts, or ranked bars when no boundaries
are loaded), a district's drill-down, 来源, 流动, and the administrator's boundary upload. Every figure comes
from analytics.maps / selectors, scoped by the viewer's jurisdiction; a bad parameter is a 4xx with a Chinese
message (core.errors, rendered by the page middleware)."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from rencai.core.errors import AppError, FieldError, PermissionDenied, ValidationFailed

from . import boundaries, maps, selectors

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
DEFAULT_MONTHS = 12


def _today() -> dt.date:
    return dt.date.today()


@login_required
def map_page(request):
    measure = maps.measure_get(request.GET.get("measure") or "recognised")
    districts = selectors.districts_of(request.user)
    figures = maps.map_figures(user=request.user, measure=measure.key, today=_today())
    series = figures.series_get(request.GET.get("series", "").strip()) if len(measure.series) > 1 else ""
    geojson = boundaries.boundaries_for(districts)
    sample = reverse("analytics:district", kwargs={"district_code": "000000"})
    chart = figures.chart(district_url=sample.replace("000000", "{code}"), series=series)
    chart["map"] = geojson is not None
    return render(request, "analytics/map.html", {
        "figures": figures, "measures": maps.MEASURES.values(), "chart": chart, "geojson": geojson,
        "series": series, "series_label": dict(measure.series).get(series, ""),
        "scope": request.user.department.region.name if request.user.department_id else "全部区县"})


@login_required
def district_page(request, district_code: str):
    detail = maps.district_detail(user=request.user, district=district_code)
    tables = [maps.map_figures(user=request.user, measure=key, district=district_code, today=_today())
              for key in maps.MEASURES]
    return render(request, "analytics/district.html", {
        "detail": detail, "tables": [(t.measure, list(zip(t.measure.series, t.districts[0].values, strict=True)))
                                     for t in tables],
        "industry_chart": {"labels": [label for label, _ in detail.industries],
                           "values": [n for _, n in detail.industries]}})


@login_required
def sources_page(request):
    district = request.GET.get("district", "").strip()
    overview = maps.sources_overview(user=request.user, district=district)
    return render(request, "analytics/sources.html", {
        **overview, "district": district,
        "charts": [(f"source-{t.key}-data", t.chart()) for t in overview["tables"] if t.rows]})


def _month(value: str, *, field: str, label: str) -> dt.date:
    match = MONTH.match(value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise ValidationFailed([FieldError(field, f"{label}应为年-月，如 2025-01")])
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def _month_end(month: dt.date) -> dt.date:
    following = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


@login_required
def flows_page(request):
    today = _today()
    default_end = today.replace(day=1)
    default_start = selectors.months_between(dt.date(today.year - 1, today.month, 1), default_end)[1]
    start = _month(request.GET["start"], field="start", label="开始月份") if request.GET.get("start") \
        else default_start
    end_month = _month(request.GET["end"], field="end", label="结束月份") if request.GET.get("end") else default_end
    end = _month_end(end_month)
    rows = selectors.flows_monthly(user=request.user, start=start, end=end)  # checks the range (4xx)
    district = request.GET.get("district", "").strip()
    chosen = maps.district_choose(user=request.user, district=district)
    districts = selectors.districts_of(request.user)
    names = {d.code: d.name for d in districts}
    months = selectors.months_between(start, end)
    per_district = []
    for d in districts:
        mine = [r for r in rows if r.district_id == d.code]
        per_district.append({"code": d.code, "name": d.name, "inflow": sum(r.inflow for r in mine),
                             "outflow": sum(r.outflow for r in mine), "net": sum(r.net for r in mine),
                             "from_outside": sum(r.in_from_outside for r in mine),
                             "to_outside": sum(r.out_to_outside for r in mine)})
    shown = {d.code for d in chosen}  # the monthly figures: every district's together, or the chosen one's
    monthly = [{"month": m, "inflow": sum(r.inflow for r in rows if r.month == m and r.district_id in shown),
                "outflow": sum(r.outflow for r in rows if r.month == m and r.district_id in shown)} for m in months]
    for row in monthly:
        row["net"] = row["inflow"] - row["outflow"]
    links = selectors.moves_between(user=request.user, start=start, end=end)
    industries = maps.flows_by_industry(user=request.user, start=start, end=end, district=district)
    leavers = list(maps.high_level_leavers(user=request.user, year=today.year)[:200])
    came, went = "市外或首次登记", "离开本市"
    links_named = [(names.get(a, came) if a else came, names.get(b, went) if b else went, n) for a, b, n in links]
    sankey = {"links": [{"source": a if a == came else f"{a}（迁出）", "target": b if b == went else f"{b}（迁入）",
                         "value": n} for a, b, n in links_named]}
    sankey["nodes"] = sorted({x for link in sankey["links"] for x in (link["source"], link["target"])})
    return render(request, "analytics/flows.html", {
        "start": start, "end": end, "end_month": end_month, "per_district": per_district, "monthly": monthly,
        "district": district, "districts": districts, "district_name": names.get(district, ""),
        "industries": industries, "leavers": leavers, "year": today.year, "sankey": sankey,
        "links": links_named,
        "chart": {"months": [f"{m:%Y-%m}" for m in months], "inflow": [r["inflow"] for r in monthly],
                  "outflow": [r["outflow"] for r in monthly], "net": [r["net"] for r in monthly]},
        "industry_chart": {"labels": [r.label for r in industries], "inflow": [r.inflow for r in industries],
                           "outflow": [r.outflow for r in industries]}})


@login_required
def boundaries_page(request):
    if not request.user.is_administrator:
        raise PermissionDenied("只有系统管理员可以载入区县边界")
    error, status = "", 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            loaded = boundaries.boundaries_load(
                actor=request.user, region_code=request.POST.get("region", ""),
                raw=upload.read(boundaries.MAX_BYTES + 1) if upload is not None else b"",
                provenance=request.POST.get("provenance", ""))
        except AppError as exc:
            if exc.status == 403:
                raise
            error, status = exc, exc.status
        else:
            messages.success(request, f"已载入{loaded.region.name}的{loaded.districts}个区县边界")
            return redirect("analytics:boundaries")
    return render(request, "analytics/boundaries.html", {
        "cities": boundaries.boundaries_status(), "error": error, "max_mb": boundaries.MAX_BYTES // (1024 * 1024),
        "chosen": request.POST.get("region", ""), "provenance": request.POST.get("provenance", "")},
        status=status)
