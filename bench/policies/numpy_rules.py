"""The living, rent and purchase subsidies written directly in numpy: the practical speed limit.

The same rules as the catalog files (rencai/policies/catalog/sy-living-subsidy-graduate.yaml, ...), coded
by hand over the arrays of population.SubsetArrays: boolean masks, lookup tables indexed by the category
codes, exact integer fen (no floating point anywhere). Per policy the result is who is entitled (the
calculator's ``eligible: true``) and the amount in fen: monthly for the monthly subsidies, else the one-time
sum; 0 for everyone else. Nothing is explained: this is the lower bound the engine is compared with.

A missing degree or city (code 0) never entitles: where the engine would answer "unknown" the rule is not
met here either (see ``_degree_decides`` for the two tables where a later row could otherwise match).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import numpy as np
from population import CATEGORIES, DEGREES, NANTONG, SHENYANG, SKILLS, TITLES, SubsetArrays

SUBSET = (
    "sy-living-subsidy-graduate",
    "sy-living-subsidy-skilled",
    "sy-rent-subsidy",
    "sy-purchase-subsidy-graduate",
    "sy-purchase-subsidy-skilled",
    "sy-purchase-subsidy-high-level",
    "nt-returnee-purchase-subsidy",
)
MONTHLY = {"sy-living-subsidy-graduate": 36, "sy-living-subsidy-skilled": 36, "sy-rent-subsidy": None}
IN_FORCE_FROM = {pid: dt.date(2022, 1, 1) for pid in SUBSET} | {"nt-returnee-purchase-subsidy": dt.date(2025, 8, 25)}

# Amounts in yuan by table row, keyed like the what-if parameters ("<policy>.<row>").
AMOUNTS: dict[str, int] = {
    "sy-living-subsidy-graduate.doctor": 2500,
    "sy-living-subsidy-graduate.master": 1200,
    "sy-living-subsidy-graduate.bachelor": 600,
    "sy-living-subsidy-skilled.senior-technician": 1000,
    "sy-living-subsidy-skilled.technician": 800,
    "sy-living-subsidy-skilled.senior-worker": 600,
    "sy-purchase-subsidy-graduate.doctor": 70000,
    "sy-purchase-subsidy-graduate.master": 40000,
    "sy-purchase-subsidy-graduate.bachelor": 20000,
    "sy-purchase-subsidy-graduate.technician": 20000,
    "sy-purchase-subsidy-skilled.china-skills-award": 500000,
    "sy-purchase-subsidy-skilled.national-technical-expert": 300000,
    "sy-purchase-subsidy-skilled.senior-technician": 100000,
    "sy-purchase-subsidy-high-level.category-b": 1500000,
    "sy-purchase-subsidy-high-level.category-c": 1000000,
    "nt-returnee-purchase-subsidy.doctor-level": 300000,
    "nt-returnee-purchase-subsidy.master-level": 150000,
}
# Rent subsidy: area cap (㎡) and the age limit (周岁, inclusive) per degree; D category 90㎡ at any age.
RENT_AREA_CAP = {"category-d": 90, "doctor": 75, "master": 50, "bachelor": 40, "junior-college": 30}
RENT_MAX_AGE = {"doctor": 45, "master": 40, "bachelor": 35, "junior-college": 30}
RENT_SHARE_PERCENT = 50

DOCTOR, MASTER, BACHELOR, JUNIOR = (DEGREES.index(d) + 1 for d in ("doctor", "master", "bachelor",
                                                                  "junior_college"))
CAT_A, CAT_B, CAT_C, CAT_D = (CATEGORIES.index(c) + 1 for c in "ABCD")
SENIOR_WORKER, TECHNICIAN, SENIOR_TECHNICIAN, SPECIAL_TECHNICIAN = (SKILLS.index(s) + 1 for s in SKILLS)
ASSOCIATE_SENIOR, SENIOR = TITLES.index("associate_senior") + 1, TITLES.index("senior") + 1


@dataclass
class Result:
    eligible: np.ndarray  # bool
    amount_fen: np.ndarray  # int64, 0 unless eligible
    months: int | None  # duration of a monthly subsidy (None: open); one-time sums have none


def latest_birth_for_age(as_of: dt.date, years: int) -> np.datetime64:
    """The latest birth date with at least `years` full years (周岁) on `as_of`.

    full_years(birth, as_of) >= years  ⇔  add_years(birth, years) <= as_of, where 29 February becomes
    28 February in a common year (expr.add_years): so one scalar cut-off per age limit, no per-person age.
    """
    year = as_of.year - years
    if (as_of.month, as_of.day) == (2, 28) and not calendar.isleap(as_of.year) and calendar.isleap(year):
        return np.datetime64(dt.date(year, 2, 29), "D")
    try:
        return np.datetime64(as_of.replace(year=year), "D")
    except ValueError:  # as_of is 29 February, `year` a common year
        return np.datetime64(dt.date(year, 2, 28), "D")


def age_at_most(birth: np.ndarray, as_of: dt.date, years: int) -> np.ndarray:
    """full_years(birth, as_of) <= years (以下 includes the number)."""
    return birth > latest_birth_for_age(as_of, years + 1)


def add_years(day: np.ndarray, years: int) -> np.ndarray:
    """The same day `years` later, clamped to the month's end (29 February → 28 February)."""
    month = day.astype("datetime64[M]")
    offset = day - month.astype("datetime64[D]")
    target = month + 12 * years
    return np.minimum(target.astype("datetime64[D]") + offset, (target + 1).astype("datetime64[D]") - 1)


def _table(codes: np.ndarray, size: int, values: dict[int, int]) -> np.ndarray:
    """A lookup array indexed by the category code: fen per code, 0 where no row applies."""
    table = np.zeros(size + 1, dtype=np.int64)
    for code, yuan in values.items():
        table[code] = yuan * 100
    return table[codes]


def _result(eligible: np.ndarray, fen: np.ndarray, months: int | None = None) -> Result:
    return Result(eligible, np.where(eligible, fen, 0), months)


def evaluate(p: SubsetArrays, as_of: dt.date, amounts: dict[str, int] | None = None) -> dict[str, Result]:
    """Entitlement and amount (fen) per policy of the subset for every talent."""
    a = AMOUNTS if amounts is None else {**AMOUNTS, **amounts}
    n = len(p)
    none = np.zeros(n, dtype=bool)
    live = {pid: as_of >= start for pid, start in IN_FORCE_FROM.items()}
    in_sy = p.city == SHENYANG
    bought_first = p.has_purchase & p.first_home
    results: dict[str, Result] = {}

    # 高校毕业生生活补贴: 本科 600, 硕士 1200, 博士 2500 元/月, 36 months.
    pid = "sy-living-subsidy-graduate"
    fen = _table(p.degree, len(DEGREES), {DOCTOR: a[f"{pid}.doctor"], MASTER: a[f"{pid}.master"],
                                          BACHELOR: a[f"{pid}.bachelor"]})
    results[pid] = _result((in_sy & (fen > 0)) if live[pid] else none, fen, 36)

    # 高技能人才生活补贴: 高级工 600, 技师 800, 高级技师 1000 元/月, 36 months.
    pid = "sy-living-subsidy-skilled"
    fen = _table(p.skill_level, len(SKILLS), {SENIOR_TECHNICIAN: a[f"{pid}.senior-technician"],
                                              TECHNICIAN: a[f"{pid}.technician"],
                                              SENIOR_WORKER: a[f"{pid}.senior-worker"]})
    results[pid] = _result((in_sy & (fen > 0)) if live[pid] else none, fen, 36)

    # 房租补贴: 50% of the rent within the area cap; not for A/B/C (they have the apartment instead).
    pid = "sy-rent-subsidy"
    rows = ((JUNIOR, "junior-college"), (BACHELOR, "bachelor"), (MASTER, "master"), (DOCTOR, "doctor"))
    cap_by_degree = np.zeros(len(DEGREES) + 1, dtype=np.int64)
    born_after = np.full(len(DEGREES) + 1, np.datetime64("9999-12-31"), dtype="datetime64[D]")
    for degree, row in rows:
        cap_by_degree[degree] = RENT_AREA_CAP[row]
        born_after[degree] = latest_birth_for_age(as_of, RENT_MAX_AGE[row] + 1)  # 以下: age <= limit
    cap = np.where(p.birth_date > born_after[p.degree], cap_by_degree[p.degree], 0)
    cap[p.talent_category == CAT_D] = RENT_AREA_CAP["category-d"]
    eligible = in_sy & p.renting & (cap > 0) & (p.talent_category != CAT_A) & (p.talent_category != CAT_B)
    eligible &= p.talent_category != CAT_C
    # Exact half-up rounding of rent × share × min(1, cap / area) to the fen, for the entitled only.
    who = np.flatnonzero(eligible) if live[pid] else np.zeros(0, dtype=np.intp)
    rent, area, cap_h = p.monthly_rent[who], p.rent_area[who], cap[who] * 100  # area in hundredths of a ㎡
    within = area <= cap_h
    num = np.where(within, rent * RENT_SHARE_PERCENT, rent * RENT_SHARE_PERCENT * cap_h)
    den = np.where(within, 100, 100 * area)
    fen = np.zeros(n, dtype=np.int64)
    fen[who] = (2 * num + den) // (2 * den)
    results[pid] = Result(eligible if live[pid] else none, fen, None)

    # 高校毕业生首次购房补贴: first home within five years of graduation.
    pid = "sy-purchase-subsidy-graduate"
    fen = _table(p.degree, len(DEGREES), {DOCTOR: a[f"{pid}.doctor"], MASTER: a[f"{pid}.master"],
                                          BACHELOR: a[f"{pid}.bachelor"]})
    fen = np.where((fen == 0) & (p.skill_level == TECHNICIAN), a[f"{pid}.technician"] * 100, fen)
    eligible = in_sy & (fen > 0) & _degree_decides(p) & p.works_in_city & bought_first
    eligible &= p.purchase_date >= p.graduation_date
    # The five-year deadline costs calendar arithmetic: only for the candidates left (a few per cent).
    candidates = np.flatnonzero(eligible)
    eligible[candidates] = p.purchase_date[candidates] <= add_years(p.graduation_date[candidates], 5)
    results[pid] = _result(eligible if live[pid] else none, fen)

    # 高技能人才一次性购房补贴: the highest of 中华技能大奖 50万, 全国技术能手 30万, 55岁以下高级技师 10万.
    pid = "sy-purchase-subsidy-skilled"
    fen = np.where(p.china_skills_award, a[f"{pid}.china-skills-award"] * 100,
                   np.where(p.national_technical_expert, a[f"{pid}.national-technical-expert"] * 100,
                            np.where((p.skill_level == SENIOR_TECHNICIAN) & age_at_most(p.birth_date, as_of, 55),
                                     a[f"{pid}.senior-technician"] * 100, 0)))
    results[pid] = _result((in_sy & (fen > 0) & bought_first) if live[pid] else none, fen)

    # 高层次人才首套购房补贴: 高精尖优才奖励 holders, B 150万, C 100万 (A 一人一议: no amount, not counted).
    pid = "sy-purchase-subsidy-high-level"
    fen = _table(p.talent_category, len(CATEGORIES), {CAT_B: a[f"{pid}.category-b"],
                                                      CAT_C: a[f"{pid}.category-c"]})
    results[pid] = _result((in_sy & p.top_talent_award & (fen > 0) & bought_first) if live[pid] else none, fen)

    # 南通 归国人才购房补贴: 硕士/副高/高级技师 15万, 博士/正高/特级技师 30万, self-occupied home.
    pid = "nt-returnee-purchase-subsidy"
    top = (p.degree == DOCTOR) | (p.professional_title == SENIOR) | (p.skill_level == SPECIAL_TECHNICIAN)
    second = (p.degree == MASTER) | (p.professional_title == ASSOCIATE_SENIOR) | (p.skill_level == SENIOR_TECHNICIAN)
    fen = np.where(top, a[f"{pid}.doctor-level"] * 100, np.where(second, a[f"{pid}.master-level"] * 100, 0))
    decided = top | (p.degree != 0)  # an undeclared degree leaves the first row open unless title/skill decide
    eligible = (p.city == NANTONG) & p.returnee & (fen > 0) & decided & p.has_purchase & p.self_occupied
    results[pid] = _result(eligible if live[pid] else none, fen)
    return results


def _degree_decides(p: SubsetArrays) -> np.ndarray:
    """The graduate purchase table tries the degree rows before 技师: with no degree it cannot decide."""
    return p.degree != 0
