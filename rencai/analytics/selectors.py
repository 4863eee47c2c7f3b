"""Reads of the registry's dated history, for 人才地图 (flows, sources) and its warnings. Every figure is scoped by
the viewer's jurisdiction (accounts.permissions): a district officer sees their district, a leader or city
staff every district of the city, an administrator every district; other roles none (403).

Two kinds of scope, on purpose:
- flows and headcounts count by the *historical* district of a move or a spell (a talent who left 和平区 last
  year is 和平区's outflow of last year wherever they are now) — aggregates only, never names;
- anything about people now is scoped through the talent's *current* record, as every list derived from
  talents: 社保 starting and stopping by ``scope_related``, origins per district by the kept counts of the
  talents' current districts (DistrictCount).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from rencai.accounts.permissions import jurisdiction_codes, require_government
from rencai.core.errors import FieldError, ValidationFailed
from rencai.regions.models import Region, RegionLevel

from .enums import PROVINCES, Channel, OriginKind
from .models import DistrictCount, EmploymentSpell, Move

MAX_MONTHS = 120  # ten years of months in one read


def districts_of(user) -> list[Region]:
    """The districts whose figures the user may see, in code order; read once per user object (a request), as
    jurisdiction_codes is."""
    require_government(user)
    cached = getattr(user, "_analytics_districts", None)
    if cached is not None:
        return list(cached)
    districts = Region.objects.filter(level=RegionLevel.DISTRICT).order_by("code")
    if not user.is_administrator:
        districts = districts.filter(code__in=jurisdiction_codes(user))
    user._analytics_districts = list(districts)
    return list(user._analytics_districts)


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first days of the months from ``start``'s to ``end``'s, both included."""
    months, month = [], _month(start)
    while month <= end:
        months.append(month)
        month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return months


def _checked_range(start: dt.date, end: dt.date) -> list[dt.date]:
    if end < start:
        raise ValidationFailed([FieldError("end", "结束日期不能早于开始日期")])
    months = months_between(start, end)
    if len(months) > MAX_MONTHS:
        raise ValidationFailed([FieldError("start", f"时间范围不能超过{MAX_MONTHS}个月")])
    return months


@dataclass
class FlowRow:
    """One district's month: who came (from another district; from outside the registry's regions, or first
    recorded), who went (to another district; out of them), and the net."""

    month: dt.date
    district_id: str
    district_name: str
    in_from_district: int = 0
    in_from_outside: int = 0
    out_to_district: int = 0
    out_to_outside: int = 0

    @property
    def inflow(self) -> int:
        return self.in_from_district + self.in_from_outside

    @property
    def outflow(self) -> int:
        return self.out_to_district + self.out_to_outside

    @property
    def net(self) -> int:
        return self.inflow - self.outflow


def flows_monthly(*, user, start: dt.date, end: dt.date) -> list[FlowRow]:
    """Monthly inflow, outflow and net per district of the user's jurisdiction, from ``start``'s month to
    ``end``'s (every month and district, zeros included; ordered by month, then district). Two grouped queries
    over the moves, read from their (district, day, other district) indexes alone."""
    months = _checked_range(start, end)
    districts = districts_of(user)
    codes = [d.code for d in districts]
    first, last = months[0], end
    rows = {(m, d.code): FlowRow(month=m, district_id=d.code, district_name=d.name) for m in months for d in districts}
    for side, other, inside, outside in (("to_district", "from_district", "in_from_district", "in_from_outside"),
                                         ("from_district", "to_district", "out_to_district", "out_to_outside")):
        grouped = (Move.objects.filter(**{f"{side}_id__in": codes}, on__gte=first, on__lte=last)
                   .annotate(month=TruncMonth("on")).values("month", f"{side}_id")
                   .annotate(total=Count("*"), inside=Count(other)).order_by())  # the columns of the index only
        for item in grouped:
            row = rows[(_as_date(item["month"]), item[f"{side}_id"])]
            setattr(row, inside, item["inside"])
            setattr(row, outside, item["total"] - item["inside"])
    return sorted(rows.values(), key=lambda r: (r.month, r.district_id))


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def moves_between(*, user, start: dt.date, end: dt.date) -> list[tuple[str | None, str | None, int]]:
    """(from district, to district, how many) of the moves in the period touching the user's districts — the
    Sankey's links; None is outside the registry's regions."""
    _checked_range(start, end)
    codes = [d.code for d in districts_of(user)]
    return list(Move.objects.filter(Q(from_district_id__in=codes) | Q(to_district_id__in=codes),
                                    on__gte=start, on__lte=end)
                .values("from_district_id", "to_district_id").annotate(n=Count("id"))
                .order_by("from_district_id", "to_district_id")
                .values_list("from_district_id", "to_district_id", "n"))


def headcount(*, user, on: dt.date) -> dict[str, int]:
    """{district code: talents whose spell there was open on ``on``} for the user's districts (a spell covers its
    first day up to, not including, the day it ended)."""
    codes = [d.code for d in districts_of(user)]
    counts = dict(EmploymentSpell.objects.filter(district_id__in=codes, started_on__lte=on)
                  .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
                  .values("district_id").annotate(n=Count("id")).order_by().values_list("district_id", "n"))
    return {code: counts.get(code, 0) for code in codes}


ORIGIN_DIMENSIONS = {"kind": OriginKind, "channel": Channel, "province_code": None, "country": None,
                     "university": None}
ORIGIN_COUNT_DIMENSION = {"kind": "kind", "channel": "channel", "province_code": "province", "country": "country",
                          "university": "university"}


@dataclass
class OriginRow:
    district_id: str
    value: str
    label: str
    n: int


def origins_by_district(*, user, by: str) -> list[OriginRow]:
    """How many of each district's talents (their current district) came from each value of ``by`` (来源 kind,
    channel, province, country or university of an overseas degree), for the user's districts. Read from the
    kept district counts (DistrictCount, kept by the database in the transaction of every write of a talent or
    an origin: analytics.triggers) — a few hundred rows, where grouping a million origins joined to their talents
    took 1.6 s. Provinces by name; an empty value is 未知."""
    if by not in ORIGIN_DIMENSIONS:
        raise ValidationFailed([FieldError("by", "请选择统计口径：来源、引进渠道、省份、国家/地区或院校")])
    codes = [d.code for d in districts_of(user)]
    choices = ORIGIN_DIMENSIONS[by]
    rows = []
    for district_id, value, n in (DistrictCount.objects
                                  .filter(dimension=ORIGIN_COUNT_DIMENSION[by], district_id__in=codes, n__gt=0)
                                  .order_by("district_id", "-n", "value").values_list("district_id", "value", "n")):
        if choices is not None:
            label = choices(value).label if value in choices.values else "未知"
        elif by == "province_code":
            label = PROVINCES.get(value, "未知")
        else:
            label = value or "未知"
        rows.append(OriginRow(district_id=district_id, value=value, label=label, n=n))
    return rows


# --- social insurance starting and stopping: read from the data centre's 社保 facts, never copied -------------


@dataclass(frozen=True)
class InsuranceChange:
    talent_id: int
    month: dt.date
    started: bool  # True: paid in the city this month and not the month before; False: the reverse

    @property
    def label(self) -> str:
        return "开始在本市缴纳社保" if self.started else "停止在本市缴纳社保"


def insurance_months_delivered(*, start: dt.date, end: dt.date) -> list[dt.date]:
    """The months in the range that an active 社保 feed has delivered (a finished load covering them)."""
    from rencai.datahub.enums import FactKind, LoadStatus
    from rencai.datahub.models import Load

    months = set(months_between(start, end))
    delivered = set()
    for low, high in (Load.objects.filter(feed__kind=FactKind.SOCIAL_INSURANCE, feed__active=True,
                                          status=LoadStatus.DONE, period_min__lte=end, period_max__gte=_month(start))
                      .values_list("period_min", "period_max")):
        delivered.update(m for m in months if low <= m <= high)
    return sorted(delivered)


def _paid_in_city(facts) -> set[int]:
    """The talents of ``facts`` paid (正常缴费, the status's default) in the city (a 参保地 in the city, or none:
    the feed's own) — the payment run's rule (payments/compliance.py)."""
    from django.db.models.fields.json import KT

    from rencai.datahub.discrepancies import city_prefix

    prefix = city_prefix()
    rows = (facts.annotate(v_status=KT("value__status"), v_district=KT("value__district")).order_by()
            .values_list("talent_id", "v_status", "v_district"))
    return {talent_id for talent_id, status, district in rows
            if (status or "paid") == "paid" and (not district or district.startswith(prefix))}


def insurance_changes(*, user, start: dt.date, end: dt.date) -> list[InsuranceChange]:
    """Talents of the user's jurisdiction (their current record) whose 社保 in the city started or stopped in a
    month of the range, by the data centre's monthly facts: started — a paid row in the city this month, none the
    month before; stopped — the reverse (no row at all, 欠费, 暂停缴费 or paid elsewhere). Only where the feed
    delivered both months: a month not delivered says nothing (as the payment run's check). One query per month
    delivered (the month's rows on the facts' (feed, period) index), compared as sets of talents;
    ordered by month, then talent."""
    from rencai.datahub.enums import FactKind
    from rencai.datahub.selectors import scoped_facts

    months = _checked_range(start, end)
    require_government(user)
    before_first = months_between(months[0] - dt.timedelta(days=1), months[0] - dt.timedelta(days=1))[0]
    delivered = set(insurance_months_delivered(start=before_first, end=end))
    facts = scoped_facts(user=user).filter(kind=FactKind.SOCIAL_INSURANCE, feed__active=True)
    paid: dict[dt.date, set[int]] = {}

    def paid_in(month: dt.date) -> set[int]:
        if month not in paid:
            paid[month] = _paid_in_city(facts.filter(period=month))
        return paid[month]

    changes: list[InsuranceChange] = []
    for month in months:
        previous = months_between(month - dt.timedelta(days=1), month - dt.timedelta(days=1))[0]
        if month not in delivered or previous not in delivered:
            continue
        now, then = paid_in(month), paid_in(previous)
        changes += [InsuranceChange(t, month, True) for t in now - then]
        changes += [InsuranceChange(t, month, False) for t in then - now]
    return sorted(changes, key=lambda c: (c.month, c.talent_id, c.started))
