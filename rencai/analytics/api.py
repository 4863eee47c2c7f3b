"""人才地图's open data (issue 10), mounted at ``/api/analytics``: the registry's aggregates, never a person.

Every count below 5 is published as "<5" (analytics.privacy.suppress_small), so that no one can be singled out
from a cell. Two kinds of answer:

- **public** (``/public/…``, no login): the city-level figures only — the recognised by category, and the new
  recognitions by year and category, summed over every district of each city (from the kept counts);
- **signed in** (government users and administrators, scoped by the viewer's jurisdiction like every page):
  the pool by category and district, new recognitions by year and district, monthly flows per district,
  origins (来源 kind, country, channel, province, university) per district, and the year's ledgers (台账).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.db.models import Sum
from django.utils import timezone
from ninja import Path, Query, Router, Schema
from ninja.security import django_auth
from pydantic import Field

from rencai.accounts.permissions import jurisdiction_codes, require_government
from rencai.core.api_schemas import ERRORS, money

from . import selectors
from .privacy import suppress_small

router = Router(tags=["人才地图开放数据"], auth=django_auth)

Count = int | str  # a count, or "<5"
COUNT = Field(description="人数；少于5时为\"<5\"")


def _category_labels() -> list[tuple[str, str]]:
    from rencai.talents.enums import TalentCategory

    return [(code, label.split("（")[0]) for code, label in TalentCategory.choices]


# -- what goes out ---------------------------------------------------------------------------------------------


class AnalyticsCategoryCount(Schema):
    category: str = Field(description="人才类别代码（A–D）")
    category_label: str
    n: Count = COUNT


class AnalyticsCityPool(Schema):
    city: str = Field(description="城市")
    categories: list[AnalyticsCategoryCount]
    recognised: Count = COUNT


class AnalyticsYearCategories(Schema):
    year: int
    categories: list[AnalyticsCategoryCount]
    total: Count = COUNT


class AnalyticsCityRecognitions(Schema):
    city: str
    years: list[AnalyticsYearCategories]


class AnalyticsDistrictPool(Schema):
    district: str = Field(description="区县代码")
    district_name: str
    categories: list[AnalyticsCategoryCount]
    recognised: Count = COUNT
    returnees: Count = Field(description="留学回国人员；少于5时为\"<5\"")


class AnalyticsDistrictYear(Schema):
    district: str
    district_name: str
    year: int
    categories: list[AnalyticsCategoryCount]
    total: Count = COUNT


class AnalyticsFlowMonth(Schema):
    month: dt.date = Field(description="月份（该月1日）")
    district: str
    district_name: str
    inflow: Count = Field(description="流入人数（由其他区县或外地）；少于5时为\"<5\"")
    outflow: Count = Field(description="流出人数（到其他区县或外地）；少于5时为\"<5\"")
    net: int | None = Field(description="净流入；流入或流出少于5时不公布（null）")


class AnalyticsOrigin(Schema):
    district: str
    value: str = Field(description="口径的取值（代码或名称）")
    label: str
    n: Count = COUNT


class AnalyticsLedgerCell(Schema):
    measure: str
    label: str
    unit: str = Field(description="单位：人、元或%")
    actual: str | int | None = Field(description="实际：人数（少于5时为\"<5\"）、金额（元，字符串）或比率（%）")
    goal: str | None = Field(description="目标（十进制字符串）")
    ratio: str | None = Field(description="完成率（%）")


class AnalyticsLedgerRow(Schema):
    district: str = Field(description="区县代码；合计行为空")
    district_name: str
    cells: list[AnalyticsLedgerCell]


class AnalyticsLedger(Schema):
    year: int
    rows: list[AnalyticsLedgerRow]


# -- public: city-level -------------------------------------------------------------------------------------


def _city_of(district_code: str) -> str:
    return district_code[:4] + "00"


def _city_names(codes) -> dict[str, str]:
    from rencai.regions.models import Region

    return dict(Region.objects.filter(code__in=set(codes)).values_list("code", "name"))


@router.get("/public/pool", response={200: list[AnalyticsCityPool], **ERRORS}, auth=None,
            summary="人才库：各城市已认定人才按类别（公开，无需登录；少于5人显示\"<5\"）")
def public_pool(request):
    from rencai.talents.models import TalentCount

    sums: dict[str, dict[str, int]] = {}
    for district, category, n in (TalentCount.objects.exclude(talent_category="")
                                  .values("district_id", "talent_category").annotate(n=Sum("n")).order_by()
                                  .values_list("district_id", "talent_category", "n")):
        city = sums.setdefault(_city_of(district), {})
        city[category] = city.get(category, 0) + n
    names = _city_names(sums)
    return [{"city": names.get(code, code), "recognised": suppress_small(sum(counts.values())),
             "categories": [{"category": c, "category_label": label, "n": suppress_small(counts.get(c, 0))}
                            for c, label in _category_labels()]}
            for code, counts in sorted(sums.items())]


@router.get("/public/recognitions", response={200: list[AnalyticsCityRecognitions], **ERRORS}, auth=None,
            summary="新认定人才：各城市按年度和类别（公开，无需登录；少于5人显示\"<5\"）")
def public_recognitions(request):
    from rencai.talents.models import TalentCount

    sums: dict[str, dict[int, dict[str, int]]] = {}
    for district, year, category, n in (TalentCount.objects.exclude(talent_category="").exclude(recognized_year=0)
                                        .values("district_id", "recognized_year", "talent_category")
                                        .annotate(n=Sum("n")).order_by()
                                        .values_list("district_id", "recognized_year", "talent_category", "n")):
        years = sums.setdefault(_city_of(district), {}).setdefault(year, {})
        years[category] = years.get(category, 0) + n
    names = _city_names(sums)
    return [{"city": names.get(code, code), "years": [
        {"year": year, "total": suppress_small(sum(counts.values())),
         "categories": [{"category": c, "category_label": label, "n": suppress_small(counts.get(c, 0))}
                        for c, label in _category_labels()]}
        for year, counts in sorted(years.items(), reverse=True)]} for code, years in sorted(sums.items())]


# -- signed in: scoped by the viewer's jurisdiction ----------------------------------------------------------


def _scoped_counts(user):
    from rencai.talents.models import TalentCount

    require_government(user)
    qs = TalentCount.objects.all()
    if not user.is_administrator:
        qs = qs.filter(district_id__in=jurisdiction_codes(user))
    return qs


@router.get("/pool", response={200: list[AnalyticsDistrictPool], **ERRORS},
            summary="人才库：管辖范围内各区县已认定人才按类别，及留学回国人员（少于5人显示\"<5\"）")
def pool(request):
    counts = _scoped_counts(request.auth)
    districts = selectors.districts_of(request.auth)
    got: dict[str, dict] = {}
    for district, category, returnee, n in (counts.values("district_id", "talent_category", "returnee")
                                            .annotate(n=Sum("n")).order_by()
                                            .values_list("district_id", "talent_category", "returnee", "n")):
        row = got.setdefault(district, {"categories": {}, "returnees": 0})
        if category:
            row["categories"][category] = row["categories"].get(category, 0) + n
        row["returnees"] += n if returnee else 0
    out = []
    for d in districts:
        row = got.get(d.code, {"categories": {}, "returnees": 0})
        out.append({"district": d.code, "district_name": d.name,
                    "recognised": suppress_small(sum(row["categories"].values())),
                    "returnees": suppress_small(row["returnees"]),
                    "categories": [{"category": c, "category_label": label,
                                    "n": suppress_small(row["categories"].get(c, 0))}
                                   for c, label in _category_labels()]})
    return out


@router.get("/recognitions", response={200: list[AnalyticsDistrictYear], **ERRORS},
            summary="新认定人才：管辖范围内各区县按年度和类别（少于5人显示\"<5\"）")
def recognitions(request):
    counts = _scoped_counts(request.auth)
    names = {d.code: d.name for d in selectors.districts_of(request.auth)}
    got: dict[tuple[str, int], dict[str, int]] = {}
    for district, year, category, n in (counts.exclude(talent_category="").exclude(recognized_year=0)
                                        .values("district_id", "recognized_year", "talent_category")
                                        .annotate(n=Sum("n")).order_by()
                                        .values_list("district_id", "recognized_year", "talent_category", "n")):
        if district in names:
            cell = got.setdefault((district, year), {})
            cell[category] = cell.get(category, 0) + n
    return [{"district": district, "district_name": names[district], "year": year,
             "total": suppress_small(sum(counts.values())),
             "categories": [{"category": c, "category_label": label, "n": suppress_small(counts.get(c, 0))}
                            for c, label in _category_labels()]}
            for (district, year), counts in sorted(got.items(), key=lambda item: (-item[0][1], item[0][0]))]


class FlowQuery(Schema):
    start: dt.date = Field(description="开始日期（按月统计，含该月）")
    end: dt.date = Field(description="结束日期（含该月；至多120个月）")


@router.get("/flows", response={200: list[AnalyticsFlowMonth], **ERRORS},
            summary="人才流动：管辖范围内各区县按月的流入、流出和净流入（少于5人显示\"<5\"）")
def flows(request, filters: Query[FlowQuery]):
    rows = selectors.flows_monthly(user=request.auth, start=filters.start, end=filters.end)
    return [{"month": r.month, "district": r.district_id, "district_name": r.district_name,
             "inflow": suppress_small(r.inflow), "outflow": suppress_small(r.outflow),
             "net": r.net if r.inflow >= 5 and r.outflow >= 5 else None} for r in rows]


class OriginQuery(Schema):
    by: Literal["kind", "channel", "province_code", "country", "university"] = Field(
        "kind", description="统计口径：来源类别、引进渠道、省份、国家/地区、海外院校")


@router.get("/origins", response={200: list[AnalyticsOrigin], **ERRORS},
            summary="人才来源：管辖范围内各区县按来源类别、引进渠道、省份、国家/地区或海外院校（少于5人显示\"<5\"）")
def origins(request, filters: Query[OriginQuery]):
    return [{"district": r.district_id, "value": r.value or "", "label": r.label, "n": suppress_small(r.n)}
            for r in selectors.origins_by_district(user=request.auth, by=filters.by)]


def _decimal(value) -> str | None:
    return None if value is None else str(value)


@router.get("/ledgers/{int:year}", response={200: AnalyticsLedger, **ERRORS},
            summary="台账：某年度管辖范围内各区县的实际、目标和完成率（人数少于5显示\"<5\"）")
def ledger(request, year: int = Path(..., ge=2000, le=2100, description="年度")):
    from rencai.core.errors import NotFound
    from rencai.ledgers.enums import WHOLE_UNITS, Unit
    from rencai.ledgers.selectors import ledger as ledger_read

    if not 2000 <= year <= timezone.localdate().year + 1:
        raise NotFound("没有该年度的台账")
    read = ledger_read(user=request.auth, year=year)
    def actual(cell):
        if cell.actual is None:
            return None
        if cell.unit == Unit.PEOPLE:
            return suppress_small(int(cell.actual))
        if cell.unit in WHOLE_UNITS:  # events held, posts published: no one counted, nothing to withhold
            return str(int(cell.actual))
        return money(cell.actual) if cell.unit == Unit.YUAN else str(cell.actual)

    rows = read.rows + ([read.total] if read.total else [])
    return {"year": year, "rows": [
        {"district": row.code, "district_name": row.name, "cells": [
            {"measure": c.measure, "label": c.label, "unit": Unit(c.unit).label, "actual": actual(c),
             "goal": _decimal(c.goal), "ratio": _decimal(c.ratio)} for c in row.cells]} for row in rows]}
