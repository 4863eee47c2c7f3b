"""人才地图's reads (issue 10): the figures per district the map colours by, a district's drill-down, the 来源
page and the 流动 page's extra reads. Plain functions ``(*, user, ...)``, scoped by the viewer's *current*
jurisdiction (selectors.districts_of: a district officer their district, leaders and city staff the city,
administrators every district), each a fixed number of grouped queries over kept counts — never a count of the
talents themselves:

- by category, returnees, degree: ``talents.TalentCount`` (kept by the talents table's triggers);
- skill level, employer (so industry), birth date (so age in full years), and origins: ``DistrictCount`` (kept by
  analytics.triggers, in the writer's transaction).
Both count talents by their current district, so the figures are the jurisdiction's talents now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, Sum, When

from rencai.accounts.permissions import scope_related
from rencai.core.errors import FieldError, NotFound, ValidationFailed
from rencai.organizations.enums import Industry
from rencai.organizations.models import Organization
from rencai.talents.enums import Degree, SkillLevel, TalentCategory
from rencai.talents.models import TalentCount

from .enums import PROVINCES, Channel, OriginKind
from .models import DistrictCount, Move
from .selectors import districts_of

HIGH_LEVEL = ("A", "B", "C")
AGE_BANDS = (("under35", "35岁以下", 0, 35), ("35to44", "35至44岁", 35, 45), ("45to54", "45至54岁", 45, 55),
             ("55plus", "55岁及以上", 55, None))


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    series: tuple[tuple[str, str], ...]  # (value, 中文)
    note: str = ""


def _short(label: str) -> str:
    return label.split("（")[0]


MEASURES = {m.key: m for m in (
    Measure("recognised", "认定人才（按类别）", tuple((c, _short(lbl)) for c, lbl in TalentCategory.choices)),
    Measure("high_level", "高层次人才分界面（A/B/C类）",
            tuple((c, _short(lbl)) for c, lbl in TalentCategory.choices if c in HIGH_LEVEL)),
    Measure("skilled", "技能人才分界面（按技能等级）", tuple((c, _short(lbl)) for c, lbl in SkillLevel.choices)),
    Measure("returnees", "留学回国人员", (("returnee", "留学回国人员"),)),
    Measure("degree", "高校毕业生（按最高学历）", tuple(Degree.choices)),
    Measure("industry", "按产业链（工作单位所属产业）", tuple(Industry.choices)),
    Measure("age", "按年龄段（周岁）", tuple((key, label) for key, label, _, _ in AGE_BANDS)),
)}


@dataclass
class DistrictFigure:
    code: str
    name: str
    values: list[int]

    @property
    def total(self) -> int:
        return sum(self.values)


@dataclass
class MapFigures:
    measure: Measure
    districts: list[DistrictFigure]
    series_totals: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.series_totals)

    @property
    def most(self) -> int:
        return max((d.total for d in self.districts), default=0)

    @property
    def ranked(self) -> list[DistrictFigure]:
        return sorted(self.districts, key=lambda d: (-d.total, d.code))

    def chart(self, *, district_url: str = "", series: str = "") -> dict:
        """What the page's script draws (json_script): districts by code with their Chinese names, and the figure
        each is coloured by — the measure's total, or one of its series (``series``: e.g. B类 alone)."""
        index = [value for value, _ in self.measure.series].index(series) if series else None
        shown = [d.total if index is None else d.values[index] for d in self.districts]
        label = self.measure.label if index is None else f"{self.measure.label}：{self.measure.series[index][1]}"
        return {"measure": label, "series": [lbl for _, lbl in self.measure.series],
                "districts": [{"code": d.code, "name": d.name, "total": n, "values": d.values}
                              for d, n in zip(self.districts, shown, strict=True)],
                "most": max(shown, default=0), "district_url": district_url}

    def series_get(self, value: str) -> str:
        """``value`` if it is one of the measure's series, else a 4xx naming them."""
        if value and value not in [v for v, _ in self.measure.series]:
            raise ValidationFailed([FieldError("series", "请选择该指标下的分项：" + "、".join(
                label for _, label in self.measure.series))])
        return value


def measure_get(key: str) -> Measure:
    if key not in MEASURES:
        raise ValidationFailed([FieldError("measure", "请选择地图的统计指标：" + "、".join(
            m.label for m in MEASURES.values()))])
    return MEASURES[key]


def _age_cut(today: dt.date, years: int) -> str:
    """The latest birth date (ISO) of someone ``years`` full years old on ``today`` (29 February → 28th)."""
    try:
        day = today.replace(year=today.year - years)
    except ValueError:
        day = today.replace(year=today.year - years, day=28)
    return day.isoformat()


def _grouped(measure: Measure, codes: list[str], today: dt.date) -> dict[tuple[str, str], int]:
    """{(district, series value): n} for a measure, in one grouped query."""
    if measure.key in ("recognised", "high_level", "returnees", "degree"):
        column = {"recognised": "talent_category", "high_level": "talent_category", "returnees": "returnee",
                  "degree": "highest_degree"}[measure.key]
        qs = TalentCount.objects.filter(district_id__in=codes)
        if measure.key == "returnees":
            qs = qs.filter(returnee=True)
        rows = qs.values_list("district_id", column).annotate(total=Sum("n")).order_by()
        return {(d, "returnee" if measure.key == "returnees" else v): n for d, v, n in rows}
    if measure.key == "skilled":
        rows = (DistrictCount.objects.filter(dimension="skill", district_id__in=codes).exclude(value="")
                .values_list("district_id", "value").annotate(total=Sum("n")).order_by())
        return {(d, v): n for d, v, n in rows}
    if measure.key == "age":
        bands = {}
        for key, _, low, high in AGE_BANDS:
            # born on or before the day one turned ``low``, and after the day one turned ``high``
            condition = Q(value__lte=_age_cut(today, low))
            if high is not None:
                condition &= Q(value__gt=_age_cut(today, high))
            bands[key] = Sum(Case(When(condition, then="n"), default=0, output_field=IntegerField()))
        rows = (DistrictCount.objects.filter(dimension="birth", district_id__in=codes).values("district_id")
                .annotate(**bands).order_by())
        return {(row["district_id"], key): row[key] or 0 for row in rows for key in bands}
    if measure.key == "industry":
        return {(d, v): n for d, v, n in _by_industry(codes)}
    raise AssertionError(measure.key)


def _by_industry(codes: list[str]) -> list[tuple[str, str, int]]:
    """(district, industry, talents) from the kept counts per employer joined to the employers' industry now (an
    employer reclassified moves its talents at once: nothing copied)."""
    if not codes:
        return []
    table, org = DistrictCount._meta.db_table, Organization._meta.db_table
    marks = ", ".join(["%s"] * len(codes))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.district_id, o.industry, SUM(c.n) FROM {table} c "  # noqa: S608  (table names; values bound)
            f"JOIN {org} o ON CAST(o.id AS TEXT) = c.value "
            f"WHERE c.dimension = 'org' AND c.value <> '' AND c.district_id IN ({marks}) "
            "GROUP BY c.district_id, o.industry", codes)
        return [(d, v, int(n)) for d, v, n in cursor.fetchall()]


def map_figures(*, user, measure: str, district: str = "", today: dt.date | None = None) -> MapFigures:
    """A measure's figures for each of the user's districts (or the one ``district`` of theirs), zeros included,
    in code order. One grouped query (plus the districts)."""
    spec = measure_get(measure)
    districts = districts_of(user)
    if district:
        districts = [d for d in districts if d.code == district]
        if not districts:
            raise NotFound("未找到该区县，或不在您的管辖范围内")
    codes = [d.code for d in districts]
    counts = _grouped(spec, codes, today or dt.date.today())
    figures = [DistrictFigure(code=d.code, name=d.name,
                              values=[int(counts.get((d.code, value), 0)) for value, _ in spec.series])
               for d in districts]
    totals = [sum(f.values[i] for f in figures) for i in range(len(spec.series))]
    return MapFigures(measure=spec, districts=figures, series_totals=totals)


# --- a district's drill-down -----------------------------------------------------------------------------------

ORGANIZATIONS_SHOWN = 30


@dataclass
class OrganizationRow:
    id: int
    name: str
    industry: str
    n: int


@dataclass
class DistrictDetail:
    code: str
    name: str
    talents: int
    organizations: list[OrganizationRow]
    organizations_total: int
    without_employer: int
    industries: list[tuple[str, int]]  # (中文, talents), most first


def district_detail(*, user, district: str) -> DistrictDetail:
    """One of the user's districts: its talents' employers (the most staffed first, with how many of its talents
    each employs) and industry chains. Three queries."""
    region = next((d for d in districts_of(user) if d.code == district), None)
    if region is None:
        raise NotFound("未找到该区县，或不在您的管辖范围内")
    org_rows = list(DistrictCount.objects.filter(dimension="org", district_id=region.code, n__gt=0)
                    .order_by("-n", "value").values_list("value", "n"))
    without = sum(n for v, n in org_rows if v == "")
    employed = [(int(v), n) for v, n in org_rows if v != ""]
    shown = employed[:ORGANIZATIONS_SHOWN]
    orgs = Organization.objects.in_bulk([pk for pk, _ in shown])
    organizations = [OrganizationRow(id=pk, name=orgs[pk].name, industry=orgs[pk].get_industry_display() or "未注明",
                                     n=n) for pk, n in shown if pk in orgs]
    labels = dict(Industry.choices)
    industries = sorted(((labels.get(v, "未注明产业"), n) for _, v, n in _by_industry([region.code])),
                        key=lambda item: (-item[1], item[0]))
    return DistrictDetail(code=region.code, name=region.name, talents=sum(n for _, n in org_rows),
                          organizations=organizations, organizations_total=len(employed), without_employer=without,
                          industries=industries)


# --- 来源 ------------------------------------------------------------------------------------------------------

SOURCE_DIMENSIONS = (("kind", "人才来源"), ("channel", "引进渠道"), ("province", "国内来源省份"),
                     ("country", "海外学位授予国家/地区"), ("university", "海外毕业院校"))
SOURCE_ROWS_SHOWN = 20


@dataclass
class SourceTable:
    key: str
    title: str
    rows: list[tuple[str, int]]  # (中文, talents), most first
    more: int = 0  # values left off (their talents are in ``rest``)
    rest: int = 0

    def chart(self) -> dict:
        return {"key": self.key, "title": self.title, "labels": [r[0] for r in self.rows],
                "values": [r[1] for r in self.rows]}


def _source_label(dimension: str, value: str) -> str:
    if dimension == "kind":
        return OriginKind(value).label if value in OriginKind.values else "未知"
    if dimension == "channel":
        return Channel(value).label if value in Channel.values else "未知"
    if dimension == "province":
        return PROVINCES.get(value, "未知")
    return value or "未填写"


def district_choose(*, user, district: str) -> list:
    """The user's districts, or the one ``district`` chosen among them (a 4xx if it is not theirs)."""
    districts = districts_of(user)
    if district:
        districts = [d for d in districts if d.code == district]
        if not districts:
            raise ValidationFailed([FieldError("district", "所选区县不在您的管辖范围内")])
    return districts


def sources_overview(*, user, district: str = "") -> dict:
    """Where the user's talents (or one district's) came from: each origin dimension's values, most first, and
    the kinds of origin per district. Two grouped queries over the kept counts."""
    districts = district_choose(user=user, district=district)
    codes = [d.code for d in districts]
    dims = [key for key, _ in SOURCE_DIMENSIONS]
    grouped: dict[str, dict[str, int]] = {key: {} for key in dims}
    for dimension, value, n in (DistrictCount.objects.filter(dimension__in=dims, district_id__in=codes, n__gt=0)
                                .values_list("dimension", "value").annotate(total=Sum("n")).order_by()):
        label = _source_label(dimension, value)
        grouped[dimension][label] = grouped[dimension].get(label, 0) + n
    tables = []
    for key, title in SOURCE_DIMENSIONS:
        ranked = sorted(grouped[key].items(), key=lambda item: (-item[1], item[0]))
        shown, rest = ranked[:SOURCE_ROWS_SHOWN], ranked[SOURCE_ROWS_SHOWN:]
        tables.append(SourceTable(key=key, title=title, rows=shown, more=len(rest), rest=sum(n for _, n in rest)))
    kinds = {(d, v): n for d, v, n in (DistrictCount.objects.filter(dimension="kind", district_id__in=codes)
                                       .values_list("district_id", "value", "n"))}
    per_district = [(d, [kinds.get((d.code, k), 0) for k in OriginKind.values]) for d in districts]
    return {"tables": tables, "kinds": [label for _, label in OriginKind.choices], "per_district": per_district,
            "districts": districts}


# --- 流动: by industry, and the high-level talent who left -----------------------------------------------------

@dataclass
class IndustryFlow:
    industry: str
    label: str
    inflow: int = 0
    outflow: int = 0

    @property
    def net(self) -> int:
        return self.inflow - self.outflow


def flows_by_industry(*, user, start: dt.date, end: dt.date, district: str = "") -> list[IndustryFlow]:
    """Per industry chain (the spell's industry, of its time), within the user's districts (or the one
    ``district`` of theirs): spells begun in the period (inflow) and ended in it (outflow); most movement first.
    Two grouped queries on the spells' (district, day, industry) indexes, read from the index alone. A change of
    employer within one industry counts on both sides."""
    from .models import EmploymentSpell
    from .selectors import _checked_range

    _checked_range(start, end)
    codes = [d.code for d in districts_of(user) if not district or d.code == district]
    labels = dict(Industry.choices)
    rows: dict[str, IndustryFlow] = {}
    for side, column in (("inflow", "started_on"), ("outflow", "ended_on")):
        for industry, n in (EmploymentSpell.objects.filter(district_id__in=codes, **{f"{column}__gte": start,
                                                                                     f"{column}__lte": end})
                            .values_list("industry").annotate(total=Count("*")).order_by()):
            row = rows.setdefault(industry, IndustryFlow(industry=industry, label=labels.get(industry, "未注明产业")))
            setattr(row, side, n)
    return sorted(rows.values(), key=lambda r: (-(r.inflow + r.outflow), r.label))


def high_level_leavers(*, user, year: int):
    """The high-level (A/B/C) talents who left one of the user's districts for a place outside them in ``year``:
    their moves, scoped through the talent's *current* record (a talent now in another office's district is that
    office's to see), newest first. One query."""
    codes = [d.code for d in districts_of(user)]
    return (Move.objects.filter(scope_related(user, "talent"), from_district_id__in=codes, on__year=year,
                                talent__talent_category__in=HIGH_LEVEL)
            .exclude(to_district_id__in=codes)
            .select_related("talent", "talent__organization", "from_district", "to_district")
            .order_by("-on", "-id"))
