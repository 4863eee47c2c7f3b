"""Working days (工作日): weekends and the official holidays do not count, 调休 weekends do.

    is_working_day(day) -> bool
    add_working_days(day, n) -> date       # the n-th working day after ``day`` (before it when n < 0)
    working_days_between(start, end) -> int  # working days in (start, end]; add_working_days(s, k) == e ⇒ k

A year with no data (neither in the admin site nor in the shipped file) raises ``CalendarMissing`` — a deadline
is never computed on a guess.
"""

import datetime as dt
import threading
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from rencai.core.errors import AppError

DATA_FILE = Path(__file__).resolve().parent / "data" / "holidays.yaml"
_CACHE_SECONDS = 60  # an administrator's edit is seen by every process within a minute
_MAX_SPAN_DAYS = 3660  # add_working_days never walks more than ten years


class CalendarMissing(AppError):
    def __init__(self, year: int):
        super().__init__(message=f"{year}年的法定节假日安排尚未录入，无法计算工作日；请系统管理员在“工作日历”中录入"
                                 f"国务院办公厅的放假通知", code="calendar_missing", status=409)
        self.year = year


@dataclass(frozen=True)
class YearCalendar:
    year: int
    source: str
    provisional: bool
    holidays: dict[dt.date, str] = field(default_factory=dict)
    workdays: frozenset[dt.date] = frozenset()


def _parse_day(text) -> dt.date:
    return text if isinstance(text, dt.date) else dt.date.fromisoformat(str(text))


def _expand(spec) -> list[dt.date]:
    text = str(spec)
    if ".." in text:
        a, b = (_parse_day(p.strip()) for p in text.split("..", 1))
        if b < a:
            raise ValueError(f"holiday range {text} ends before it starts")
        return [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]
    return [_parse_day(spec)]


@cache
def shipped_years() -> dict[int, YearCalendar]:
    """The years in data/holidays.yaml, checked: every date within its year, no day both off and on."""
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8")) or {}
    years: dict[int, YearCalendar] = {}
    for year, entry in raw.items():
        holidays = {d: name for name, specs in (entry.get("holidays") or {}).items() for s in specs
                    for d in _expand(s)}
        workdays = frozenset(_parse_day(d) for d in entry.get("workdays") or [])
        bad = [d for d in [*holidays, *workdays] if d.year != int(year)] + sorted(set(holidays) & workdays)
        if bad:
            raise ValueError(f"{DATA_FILE.name}: {year}: day out of its year or both off and on: {bad[0]}")
        years[int(year)] = YearCalendar(int(year), entry["source"], bool(entry.get("provisional")), holidays,
                                        workdays)
    return years


_lock = threading.Lock()
_cache: dict[int, tuple[float, YearCalendar | None]] = {}


def _db_year(year: int) -> YearCalendar | None:
    from .models import DayKind, HolidayYear

    row = HolidayYear.objects.filter(year=year).first()
    if row is None:
        return None
    holidays, workdays = {}, set()
    for d, kind, name in row.days.values_list("date", "kind", "name"):
        if kind == DayKind.HOLIDAY:
            holidays[d] = name
        else:
            workdays.add(d)
    return YearCalendar(year, row.source, row.provisional, holidays, frozenset(workdays))


def year_calendar(year: int) -> YearCalendar:
    now = time.monotonic()
    with _lock:
        hit = _cache.get(year)
    if hit is None or now - hit[0] > _CACHE_SECONDS:
        cal = _db_year(year) or shipped_years().get(year)
        with _lock:
            _cache[year] = (now, cal)
    else:
        cal = hit[1]
    if cal is None:
        raise CalendarMissing(year)
    return cal


def calendar_changed() -> None:
    """Forget the cached years (called when an administrator saves a year)."""
    with _lock:
        _cache.clear()


def is_working_day(day: dt.date) -> bool:
    if isinstance(day, dt.datetime):
        day = day.date()
    cal = year_calendar(day.year)
    if day in cal.workdays:
        return True
    if day in cal.holidays:
        return False
    return day.weekday() < 5


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``day`` (``day`` itself not counted; before it when ``n`` < 0;
    ``day`` when ``n`` == 0). A deadline of 5 working days from a Friday submission is the next Friday."""
    if isinstance(day, dt.datetime):
        day = day.date()
    step = 1 if n >= 0 else -1
    left, current = abs(int(n)), day
    for _ in range(_MAX_SPAN_DAYS):
        if not left:
            return current
        current += dt.timedelta(days=step)
        if is_working_day(current):
            left -= 1
    raise ValueError(f"add_working_days: {n} working days is more than ten years")


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end] (negative when ``end`` is before ``start``): how many working days after
    ``start`` the day ``end`` is — e.g. how late a step is (overdue by N working days)."""
    if isinstance(start, dt.datetime):
        start = start.date()
    if isinstance(end, dt.datetime):
        end = end.date()
    if end < start:
        return -working_days_between(end, start)
    if (end - start).days > _MAX_SPAN_DAYS:
        raise ValueError("working_days_between: more than ten years")
    return sum(1 for i in range(1, (end - start).days + 1) if is_working_day(start + dt.timedelta(days=i)))


def is_provisional(day: dt.date) -> bool:
    """Whether ``day``'s year is shipped provisional (statutory days only, the year's 调休 not yet entered)."""
    return year_calendar(day.year).provisional


def holiday_year_load(year: int, *, actor=None) -> None:
    """Copy a shipped year into the database, where an administrator can edit it (replaces that year)."""
    from django.db import transaction

    from .models import CalendarDay, DayKind, HolidayYear

    cal = shipped_years().get(year)
    if cal is None:
        raise CalendarMissing(year)
    with transaction.atomic():
        HolidayYear.objects.filter(year=year).delete()
        row = HolidayYear.objects.create(year=year, source=cal.source, provisional=cal.provisional,
                                         updated_by=actor)
        CalendarDay.objects.bulk_create(
            [CalendarDay(year=row, date=d, kind=DayKind.HOLIDAY, name=name) for d, name in cal.holidays.items()]
            + [CalendarDay(year=row, date=d, kind=DayKind.WORKDAY, name="调休上班") for d in cal.workdays])
    transaction.on_commit(calendar_changed)
