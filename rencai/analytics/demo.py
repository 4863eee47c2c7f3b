# ruff: noqa: S608  (SQL built from this module's constants; values are parameters)
"""The demo's five-year history (issue 10): for every demo talent, employment spells, moves between districts and
an origin with the channel that brought them — believable, deterministic for the seed, and agreeing with the
registry the generator wrote (rencai/demo/generator.py), which it reads and never changes.

The story the figures tell (the demo's clock is the generator's ``TODAY``):

- Everyone's open spell is the registry's district and employer from the registry's 入职日期 (``employment_start``),
  as ``services.history_record`` writes for a new talent; their first spell begins with a move from outside.
- Some (``PREVIOUS_SHARE`` of those with room between graduation and that day) had a job before: in the same
  district (a spell, no move) or in another one (a move on the day the current job began). Districts lose people
  to others in proportion to ``PUSH``: 和平区 (the old centre) more than most, 浑南区 (the new one) fewer.
- Some left the city (their last spell ended, a move to outside, no open spell): only talents the registry says
  do not pay 社保 in the city (``social_insurance`` 未缴纳), so that 社保 stopping and leaving agree — the data
  centre's demo files (datahub/demo.py) hold 社保 rows only for those paying.
- ``OUTFLOW_DISTRICT`` (和平区, the demo's district officer's) is losing talent this year: its high-level (A/B/C)
  talents not paying 社保 here left the city in the last two months (a 流失预警 to raise), and this year's moves
  out of it exceed those into it (a net outflow to warn about) — checked and topped up, whatever the size of the
  pool.
- Origins: returnees from their degree's country and school; the others 本市 or another province (by where they
  studied, neighbouring provinces most), and a channel weighted by who they are (a returnee A/B/C talent by
  海外专场招聘, 创业周, 揭榜挂帅, 团队引进 …; a young graduate by 校园招聘; a D-class talent often by 自主认定).
  Recorded as set (``inferred`` false): they are not what the 身份证 would tell, and a later change of the record
  should not overwrite them.

Set-based: the talents are read in one query (COPY on PostgreSQL), every column drawn with numpy, the rows written
with one COPY per table (indexes made once after, when the history's tables were empty) — a million talents in
well under a minute. Only demo talents without any spell are given a history, so running it again writes nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from .enums import Channel, HistoryReason, OriginKind
from .models import EmploymentSpell, Move, Origin
from .services import CHINA, UNFILLED_SCHOOL

WINDOW_START = dt.date(2022, 1, 1)  # the five years the history tells (earlier spells keep their true days)
OUTFLOW_DISTRICT = "210102"  # 和平区: the demo's district officer (heping_staff) sees its warning
PREVIOUS_SHARE = 0.35  # of those with room before their current job, how many had one before it
SAME_DISTRICT_SHARE = 0.3  # of those earlier jobs, how many were in the district of the current one
LEAVE_SHARE = 0.4  # of those not paying 社保 in the city, how many left it (OUTFLOW_DISTRICT: LEAVE_SHARE_OUTFLOW)
LEAVE_SHARE_OUTFLOW = 0.8
THIS_YEAR_SHARE_OUTFLOW = 0.6  # of OUTFLOW_DISTRICT's leavers, how many left this year
NET_OUTFLOW_MARGIN = 1.08  # this year OUTFLOW_DISTRICT loses at least 8 % more than it gains (and 3 more)
RECENT_DAYS = 60  # OUTFLOW_DISTRICT's high-level talents left within so many days before the demo's today
HIGH_LEVEL_LEAVERS_MIN = 3  # a small pool: so many A/B/C leavers at least (see _high_level_leavers)
# How readily a district's people move to another district (the earlier job's district is drawn by its weight in
# the pool times this): the old centre loses most, the new districts keep theirs.
PUSH = {"210102": 2.5, "210103": 1.2, "210104": 1.3, "210105": 1.1, "210106": 1.2, "210111": 1.4, "210112": 0.5,
        "210113": 0.9, "210114": 0.8, "210115": 1.5, "210123": 1.6, "210124": 1.6, "210181": 1.4}

LIAONING = "210000"
SCHOOL_PROVINCE = {"清华大学": "110000", "北京大学": "110000", "哈尔滨工业大学": "230000", "吉林大学": "220000",
                   "浙江大学": "330000", "上海交通大学": "310000", "西安交通大学": "610000",
                   "华中科技大学": "420000"}  # every other school of the demo's lists is in 辽宁
# Where those from another part of the country came from: 辽宁's other cities and the neighbouring provinces most.
PROVINCE_WEIGHTS = {LIAONING: 0.16, "220000": 0.2, "230000": 0.18, "150000": 0.12, "370000": 0.09,
                    "130000": 0.07, "410000": 0.06, "110000": 0.04, "140000": 0.03, "340000": 0.02,
                    "320000": 0.02, "510000": 0.01}
C = Channel
CHANNELS = {  # (channels, weights) per group of talents
    "overseas_high": ([C.OVERSEAS_FAIR, C.STARTUP_WEEK, C.CHALLENGE, C.TEAM, C.HEADHUNTER, C.TALENT_CONFERENCE,
                       C.EMPLOYER_RECOGNITION, C.OTHER, C.UNKNOWN],
                      [0.25, 0.15, 0.15, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05]),
    "overseas": ([C.OVERSEAS_FAIR, C.STARTUP_WEEK, C.ONLINE, C.TALENT_CONFERENCE, C.JOB_FAIR,
                  C.EMPLOYER_RECOGNITION, C.OTHER, C.UNKNOWN],
                 [0.35, 0.15, 0.13, 0.1, 0.1, 0.04, 0.08, 0.05]),
    "high": ([C.CHALLENGE, C.TEAM, C.HEADHUNTER, C.TALENT_CONFERENCE, C.EMPLOYER_RECOGNITION, C.JOB_FAIR,
              C.CAMPUS, C.OTHER, C.UNKNOWN],
             [0.15, 0.15, 0.15, 0.1, 0.15, 0.1, 0.1, 0.05, 0.05]),
    "d": ([C.EMPLOYER_RECOGNITION, C.CAMPUS, C.ONLINE, C.JOB_FAIR, C.TALENT_CONFERENCE, C.RETURNING_GRADUATES,
           C.OTHER, C.UNKNOWN],
          [0.25, 0.22, 0.15, 0.13, 0.05, 0.05, 0.1, 0.05]),
    "graduate": ([C.CAMPUS, C.ONLINE, C.JOB_FAIR, C.RETURNING_GRADUATES, C.OTHER, C.UNKNOWN],
                 [0.4, 0.2, 0.15, 0.1, 0.1, 0.05]),
    "skilled": ([C.JOB_FAIR, C.ONLINE, C.RETURNING_GRADUATES, C.OTHER, C.UNKNOWN], [0.3, 0.3, 0.1, 0.2, 0.1]),
}

_EPOCH = dt.date(1970, 1, 1)


@dataclass
class HistoryResult:
    talents: int
    spells: int
    moves: int
    origins: int
    seconds: float


def _day(value: dt.date) -> int:
    return (value - _EPOCH).days


def _read(sql: str, params: list, schema: dict) -> pl.DataFrame:
    """A SELECT as a frame: one COPY on PostgreSQL (no Python object per row), the rows elsewhere."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from rencai.core.bulk import read_frame

            return read_frame(cursor, sql, params, schema)
        cursor.execute(sql, params)
        rows = [tuple(None if v is None else str(v) if isinstance(v, dt.date) else v for v in row)
                for row in cursor.fetchall()]
    frame = pl.DataFrame(rows, schema={k: (pl.String if v == pl.Date else v) for k, v in schema.items()},
                         orient="row", strict=False)
    return frame.with_columns([pl.col(k).str.to_date() for k, v in schema.items() if v == pl.Date])


def _days(series: pl.Series, default: int) -> np.ndarray:
    return series.cast(pl.Int32).fill_null(default).to_numpy().astype(np.int64)


TALENT_COLUMNS = {"id": pl.Int64, "district": pl.String, "org": pl.Int64, "employment_status": pl.String,
                  "start": pl.Date, "graduation": pl.Date, "category": pl.String, "returnee": pl.Int32,
                  "skill": pl.String, "insurance": pl.String}
EDUCATION_COLUMNS = {"id": pl.Int64, "graduated": pl.Date, "row": pl.Int64, "school": pl.String, "country": pl.String}


def demo_talents(*, without_history: bool = True) -> pl.DataFrame:
    """The demo talents (those without any spell yet, unless told otherwise) as the history reads them, by id,
    with their latest degree's school and country: two plain reads (a grouped pick of the latest degree in SQL
    costs more than the whole read), the latest degree picked by Polars."""
    without = ("AND NOT EXISTS (SELECT 1 FROM analytics_employmentspell s WHERE s.talent_id = t.id)"
               if without_history else "")
    talents = _read(f"""
        SELECT t.id, t.district_id, t.organization_id, t.employment_status, t.employment_start, t.graduation_date,
               t.talent_category, CASE WHEN t.returnee THEN 1 ELSE 0 END, t.skill_level, t.social_insurance
        FROM talents_talent t WHERE t.source = %s {without} ORDER BY t.id""", ["demo"], TALENT_COLUMNS)
    educations = _read("""
        SELECT e.talent_id, e.graduation_date, e.id, e.school, e.country FROM talents_education e
        JOIN talents_talent t ON t.id = e.talent_id WHERE t.source = %s""", ["demo"], EDUCATION_COLUMNS)
    latest = (educations.sort(["id", "graduated", "row"], descending=[False, True, True])
              .unique("id", keep="first").select("id", "school", "country"))
    return talents.join(latest, on="id", how="left").sort("id")


def demo_organizations() -> pl.DataFrame:
    return _read("SELECT id, district_id, industry FROM organizations_organization WHERE district_id IS NOT NULL "
                 "ORDER BY id", [], {"id": pl.Int64, "district": pl.String, "industry": pl.String})


def history_demo_load(*, seed: int = 2023, today: dt.date | None = None,
                      progress: Callable[[str], None] = lambda _: None) -> HistoryResult:
    """Give every demo talent without a spell their history (see the module's docstring)."""
    from rencai.demo.generator import TODAY

    started = time.perf_counter()
    today = today or TODAY

    def step(label: str) -> None:
        progress(f"  {label}（{time.perf_counter() - started:.1f}秒）")

    talents = demo_talents()
    if talents.height == 0:
        return HistoryResult(0, 0, 0, 0, time.perf_counter() - started)
    step(f"已读取人才 {talents.height}")
    spells, moves, origins = history_frames(talents, demo_organizations(), seed=seed, today=today)
    step("已生成任职经历、流动和来源")
    with transaction.atomic():
        with _indexes_deferred():
            for model, frame in ((EmploymentSpell, spells), (Move, moves), (Origin, origins)):
                _write(model, frame)
                step(f"已写入{model._meta.verbose_name} {frame.height}")
        step("已建好索引")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (EmploymentSpell, Move, Origin):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return HistoryResult(talents.height, spells.height, moves.height, origins.height,
                         time.perf_counter() - started)


def history_frames(talents: pl.DataFrame, orgs: pl.DataFrame, *, seed: int, today: dt.date
                   ) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The spells', moves' and origins' rows for ``talents`` (ordered by id), drawn from one generator of
    (seed, "history"): the same rows for the same seed and pool. Districts, channels and provinces are drawn as
    small integers and turned into their codes once, by Polars (no Python object per row)."""
    rng = np.random.default_rng([seed, 0x4849])  # "HI": apart from the generator's own streams
    n = talents.height
    today_d, window, year_start = _day(today), _day(WINDOW_START), _day(dt.date(today.year, 1, 1))
    codes = sorted(set(PUSH) | set(talents["district"].unique().to_list()) | set(orgs["district"].unique().to_list()))
    district = _codes(talents["district"], codes)
    outflow_code = codes.index(OUTFLOW_DISTRICT)
    flags = talents.select(
        high=pl.col("category").is_in(["A", "B", "C"]), d=pl.col("category") == "D",
        skilled=(pl.col("category").fill_null("") == "") & (pl.col("skill").fill_null("") != ""),
        not_paying=pl.col("insurance") == "not_paying", returnee=pl.col("returnee").fill_null(0) == 1,
        overseas_degree=~pl.col("country").fill_null("").is_in(["", *CHINA]))
    high, is_d, skilled, not_paying = (flags[c].fill_null(False).to_numpy() for c in ("high", "d", "skilled",
                                                                                        "not_paying"))
    start = np.minimum(_days(talents["start"], today_d), today_d)
    graduation = _days(talents["graduation"], today_d - 365 * 5)

    org_ids = orgs["id"].to_numpy()
    org_district = _codes(orgs["district"], codes)
    by_district = [org_ids[org_district == i] for i in range(len(codes))]
    pool_share = np.bincount(district, minlength=len(codes)).astype(float) + 1
    push = np.array([PUSH.get(code, 1.0) for code in codes])

    # An earlier job: somewhere between a month after graduation and half a year before the current one.
    low, high_day = graduation + 30, start - 180
    prev = (high_day >= low) & (rng.random(n) < PREVIOUS_SHARE)
    prev_start = low + (rng.random(n) * np.maximum(high_day - low, 0)).astype(np.int64)
    weights = pool_share * push
    drawn = np.searchsorted(np.cumsum(weights / weights.sum()), rng.random(n), side="right").clip(0, len(codes) - 1)
    same = rng.random(n) < SAME_DISTRICT_SHARE
    prev_district = np.where(same, district, drawn)
    u_org = rng.random(n)

    # Leaving the city: only those the registry says do not pay 社保 here, some time after starting the job.
    outflow = district == outflow_code
    may_leave = not_paying & (start < today_d - 120)
    leaves = may_leave & (rng.random(n) < np.where(outflow, LEAVE_SHARE_OUTFLOW, LEAVE_SHARE))
    leave_low = np.maximum(start + 90, window)
    this_year = outflow & (rng.random(n) < THIS_YEAR_SHARE_OUTFLOW) & (start + 90 < year_start)
    leave_low = np.where(this_year, np.maximum(leave_low, year_start), leave_low)
    leave_day = leave_low + (rng.random(n) * np.maximum(today_d - 1 - leave_low, 0)).astype(np.int64)
    forced = _high_level_leavers(rng, high & outflow & (start < year_start - 90), not_paying)
    leaves |= forced
    # in the last two months: "this year", and recent enough for a 流失预警 looking back 90 days a month on
    forced_day = today_d - RECENT_DAYS + (rng.random(n) * (RECENT_DAYS - 1)).astype(np.int64)
    leave_day = np.where(forced, forced_day, leave_day)
    leaves &= leave_day > start

    prev, prev_district, prev_start = _net_outflow(rng, outflow_code, district=district, start=start,
                                                   graduation=graduation, prev=prev, prev_district=prev_district,
                                                   prev_start=prev_start, leaves=leaves, leave_day=leave_day,
                                                   year_start=year_start, today_d=today_d)
    prev_org = np.zeros(n, dtype=np.int64)
    for i in range(len(codes)):
        rows = prev & (prev_district == i)
        pool = by_district[i] if len(by_district[i]) else org_ids
        if rows.any() and len(pool):
            prev_org[rows] = pool[(u_org[rows] * len(pool)).astype(int)]
    industry = dict(zip(orgs["id"].to_list(), orgs["industry"].fill_null("").to_list(), strict=True))
    spells, moves = _spells_and_moves(talents, pl.Series(codes), industry, district=district, start=start,
                                      prev=prev, prev_district=prev_district, prev_org=prev_org,
                                      prev_start=prev_start, leaves=leaves, leave_day=leave_day)
    overseas = flags["returnee"].to_numpy() | flags["overseas_degree"].to_numpy()
    origins = _origins(rng, talents, overseas=overseas, high=high, is_d=is_d, skilled=skilled, start=start,
                       graduation=graduation)
    return spells, moves, origins


def _codes(series: pl.Series, codes: list[str]) -> np.ndarray:
    """Each value's index in ``codes``."""
    return series.replace_strict(codes, list(range(len(codes))), return_dtype=pl.Int16).to_numpy().astype(np.int64)


def _high_level_leavers(rng, candidates: np.ndarray, not_paying: np.ndarray) -> np.ndarray:
    """OUTFLOW_DISTRICT's A/B/C talents not paying 社保 in the city leave it this year; in a pool so small that
    fewer than HIGH_LEVEL_LEAVERS_MIN such exist, others of them are taken too (the registry's 社保 field then
    disagrees for those few: a small test pool only)."""
    chosen = candidates & not_paying
    missing = HIGH_LEVEL_LEAVERS_MIN - int(chosen.sum())
    if missing > 0:
        others = np.flatnonzero(candidates & ~not_paying)
        chosen[rng.permutation(others)[:missing]] = True
    return chosen


def year_flows(code, *, district, start, prev, prev_district, prev_start, leaves, leave_day, year_start,
               today_d) -> tuple[int, int]:
    """(moves into ``code``, moves out of it) dated from ``year_start`` to ``today_d``, from the drawn arrays: the
    arrival from outside (into the first spell's district), the move between the spells, the move out."""
    def within(days):
        return (days >= year_start) & (days <= today_d)

    moved = prev & (prev_district != district)
    first_district = np.where(prev, prev_district, district)
    first_day = np.where(prev, prev_start, start)
    inflow = ((first_district == code) & within(first_day)).sum() + (moved & (district == code) & within(start)).sum()
    outflow = ((moved & (prev_district == code) & within(start)).sum()
               + (leaves & (district == code) & within(leave_day)).sum())
    return int(inflow), int(outflow)


def _net_outflow(rng, code: int, *, district, start, graduation, prev, prev_district, prev_start, leaves,
                 leave_day, year_start, today_d):
    """This year OUTFLOW_DISTRICT loses more than it gains: if the draw left it short, people who started their
    current job elsewhere this year get an earlier job in it, begun before this year — each adds one move out of
    it this year and none into it."""
    inflow, outflow = year_flows(code, district=district, start=start, prev=prev,
                                 prev_district=prev_district, prev_start=prev_start, leaves=leaves,
                                 leave_day=leave_day, year_start=year_start, today_d=today_d)
    deficit = int(np.ceil(inflow * NET_OUTFLOW_MARGIN)) + 3 - outflow
    if deficit <= 0:
        return prev, prev_district, prev_start
    low, high = graduation + 30, np.minimum(start - 180, year_start - 1)
    year = (start >= year_start) & (start <= today_d)
    candidates = np.flatnonzero((district != code) & year & (high >= low) & ~(prev & (prev_district == code)))
    chosen = rng.permutation(candidates)[:deficit]
    prev, prev_district, prev_start = prev.copy(), prev_district.copy(), prev_start.copy()
    prev[chosen] = True
    prev_district[chosen] = code
    prev_start[chosen] = low[chosen] + (rng.random(len(chosen)) * (high[chosen] - low[chosen])).astype(np.int64)
    return prev, prev_district, prev_start


def _dates(days: np.ndarray) -> pl.Series:
    return pl.Series(days.astype(np.int32)).cast(pl.Date)


def _spells_and_moves(talents: pl.DataFrame, codes: pl.Series, industry: dict, *, district, start, prev,
                      prev_district, prev_org, prev_start, leaves, leave_day) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Per talent: the earlier spell (if any) and the current one, the arrival from outside, the move between
    them when the district changed, and the move out when they left. ``history_record``'s invariants hold: at
    most one open spell (none once left), a move never from a district to itself, each move from where the
    previous one went. Earlier spells, then current ones; arrivals, moves between, moves out (the order the
    rows are written in)."""
    backfill, other = HistoryReason.BACKFILL.value, HistoryReason.OTHER.value
    ids = talents["id"]
    # a rejected claim was never an employment: the spell keeps no employer (services._spell)
    org = talents.select(pl.when(pl.col("employment_status") == "rejected").then(None)
                         .otherwise(pl.col("org"))).to_series()

    def industry_of(orgs: pl.Series) -> pl.Series:
        return orgs.replace_strict(list(industry), list(industry.values()), default="", return_dtype=pl.String)

    def dates_or_null(days, mask):
        return pl.select(pl.when(pl.Series(mask)).then(_dates(days))).to_series()

    def repeated(value, size):
        return pl.repeat(value, size, dtype=pl.String, eager=True)

    p = np.flatnonzero(prev)
    earlier_orgs = pl.Series(prev_org[p]).replace(0, None)  # 0: no organization at all to name
    earlier = pl.DataFrame({
        "talent_id": ids.gather(p), "organization_id": earlier_orgs, "district_id": codes.gather(prev_district[p]),
        "industry": industry_of(earlier_orgs), "started_on": _dates(prev_start[p]), "ended_on": _dates(start[p]),
        "reason": repeated(other, len(p))})
    current = pl.DataFrame({
        "talent_id": ids, "organization_id": org, "district_id": codes.gather(district),
        "industry": industry_of(org.fill_null(0)), "started_on": _dates(start),
        "ended_on": dates_or_null(leave_day, leaves), "reason": repeated(backfill, len(ids))})
    spells = pl.concat([earlier, current])

    first_district = np.where(prev, prev_district, district)
    first_day = np.where(prev, prev_start, start)
    arrive = pl.DataFrame({
        "talent_id": ids, "from_district_id": pl.repeat(None, len(ids), dtype=pl.String, eager=True),
        "to_district_id": codes.gather(first_district), "on": _dates(first_day),
        "reason": pl.select(pl.when(pl.Series(prev)).then(pl.lit(other)).otherwise(pl.lit(backfill))).to_series()})
    m = np.flatnonzero(prev & (prev_district != district))
    between = pl.DataFrame({"talent_id": ids.gather(m), "from_district_id": codes.gather(prev_district[m]),
                            "to_district_id": codes.gather(district[m]), "on": _dates(start[m]),
                            "reason": repeated(other, len(m))})
    g = np.flatnonzero(leaves)
    out = pl.DataFrame({"talent_id": ids.gather(g), "from_district_id": codes.gather(district[g]),
                        "to_district_id": pl.repeat(None, len(g), dtype=pl.String, eager=True),
                        "on": _dates(leave_day[g]), "reason": repeated(other, len(g))})
    return spells, pl.concat([arrive, between, out])


CHANNEL_VALUES = [c.value for c in Channel]


def _pick(rng, group: str, rows: np.ndarray, out: np.ndarray) -> None:
    """Draw a channel (its index in CHANNEL_VALUES) for ``rows`` by ``group``'s weights."""
    options, weights = CHANNELS[group]
    cumulative = np.cumsum(weights) / sum(weights)
    index = np.searchsorted(cumulative, rng.random(int(rows.sum())), side="right").clip(0, len(options) - 1)
    out[rows] = np.array([CHANNEL_VALUES.index(o.value) for o in options])[index]


def _origins(rng, talents: pl.DataFrame, *, overseas, high, is_d, skilled, start, graduation) -> pl.DataFrame:
    n = talents.height
    channel = np.full(n, CHANNEL_VALUES.index(Channel.UNKNOWN.value))
    _pick(rng, "overseas_high", overseas & high, channel)
    _pick(rng, "overseas", overseas & ~high, channel)
    _pick(rng, "high", ~overseas & high, channel)
    _pick(rng, "d", ~overseas & is_d, channel)
    _pick(rng, "skilled", ~overseas & skilled, channel)
    _pick(rng, "graduate", ~overseas & ~high & ~is_d & ~skilled, channel)
    # 校园招聘 brings those who started within two years of graduating; the others came another way
    late_campus = (channel == CHANNEL_VALUES.index(Channel.CAMPUS.value)) & (start - graduation > 730)
    channel[late_campus] = np.where(rng.random(int(late_campus.sum())) < 0.5,
                                    CHANNEL_VALUES.index(Channel.ONLINE.value),
                                    CHANNEL_VALUES.index(Channel.JOB_FAIR.value))

    provinces = list(PROVINCE_WEIGHTS)
    cumulative = np.cumsum(list(PROVINCE_WEIGHTS.values()))
    elsewhere = np.searchsorted(cumulative / cumulative[-1], rng.random(n), side="right").clip(0, len(provinces) - 1)
    u = rng.random(n)
    school = talents["school"].fill_null("")
    studied = school.replace_strict(list(SCHOOL_PROVINCE), list(SCHOOL_PROVINCE.values()), default=LIAONING,
                                    return_dtype=pl.String)
    away = (studied != LIAONING).to_numpy()
    # studied in 辽宁: 本市 mostly; studied away: from that province, home again (本市), or another
    local = np.where(away, u < 0.25, u < np.where(skilled, 0.75, 0.6))
    local |= channel == CHANNEL_VALUES.index(Channel.RETURNING_GRADUATES.value)  # 返乡: home is the city
    from_studied = away & (u >= 0.25) & (u < 0.8)
    kinds = [OriginKind.OVERSEAS.value, OriginKind.LOCAL.value, OriginKind.DOMESTIC.value]
    kind = np.where(overseas, 0, np.where(local, 1, 2))
    frame = pl.DataFrame({"studied": studied, "elsewhere": pl.Series(provinces).gather(elsewhere),
                          "from_studied": from_studied, "local": local, "overseas": overseas,
                          "country": talents["country"].fill_null(""), "school": school})
    return frame.select(
        talent_id=talents["id"], kind=pl.Series(kinds).gather(kind),
        province_code=pl.when(pl.col("overseas")).then(pl.lit("")).when(pl.col("local")).then(pl.lit(LIAONING))
        .when(pl.col("from_studied")).then(pl.col("studied")).otherwise(pl.col("elsewhere")),
        country=pl.when(pl.col("overseas") & ~pl.col("country").is_in(list(CHINA))).then(pl.col("country"))
        .otherwise(pl.lit("")),
        university=pl.when(pl.col("school") == UNFILLED_SCHOOL).then(pl.lit("")).otherwise(pl.col("school")),
        channel=pl.Series(CHANNEL_VALUES).gather(channel), inferred=pl.lit(False))


def _write(model, frame: pl.DataFrame) -> None:
    """COPY on PostgreSQL, executemany elsewhere; ``recorded_at`` / ``updated_at`` now."""
    now = timezone.now()
    stamp = "updated_at" if model is Origin else "recorded_at"
    frame = frame.with_columns(pl.lit(now).alias(stamp))
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from rencai.core.bulk import copy_frame

            copy_frame(cursor, table, frame)
            return
        columns = ", ".join(f'"{c}"' for c in frame.columns)
        marks = ", ".join(["%s"] * len(frame.columns))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", frame.rows())


TABLES = [EmploymentSpell._meta.db_table, Move._meta.db_table, Origin._meta.db_table]


@contextmanager
def _indexes_deferred():
    """PostgreSQL, the history's tables empty (a fresh demo): their indexes and constraints made once after the
    COPY (core.bulk.indexes_deferred), as the generator does for the talents."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + " OR ".join(f"EXISTS (SELECT 1 FROM {t})" for t in TABLES))
        if cursor.fetchone()[0]:
            empty = False
        else:
            empty = True
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # pending checks first: the tables can then be altered
    if not empty:
        yield
        return
    from rencai.core.bulk import indexes_deferred

    with indexes_deferred(TABLES):
        yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
