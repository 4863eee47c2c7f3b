"""Working days across 国庆, 春节 and 调休 weekends; a year without data is an error; admin edits win."""

import datetime as dt

import pytest

from rencai.workdays import add_working_days, is_working_day, working_days_between
from rencai.workdays.services import CalendarMissing, calendar_changed, holiday_year_load, shipped_years

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    calendar_changed()
    yield
    calendar_changed()


def test_national_day_2025_and_its_makeup_weekends():
    assert not is_working_day(D(2025, 10, 1)) and not is_working_day(D(2025, 10, 8))  # 国庆+中秋, 8 days
    assert is_working_day(D(2025, 9, 28))  # a Sunday, 调休上班
    assert is_working_day(D(2025, 10, 11))  # a Saturday, 调休上班
    assert not is_working_day(D(2025, 10, 12))  # an ordinary Sunday
    # Submitted on Tuesday 30 September, 3 working days: 9 Oct (Thu), 10 Oct (Fri), 11 Oct (Sat, 调休).
    assert add_working_days(D(2025, 9, 30), 3) == D(2025, 10, 11)
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 11)) == 3


def test_spring_festival_2026_nine_days_and_two_working_saturdays():
    off = [D(2026, 2, 15) + dt.timedelta(days=i) for i in range(9)]
    assert not any(is_working_day(d) for d in off)
    assert is_working_day(D(2026, 2, 14)) and is_working_day(D(2026, 2, 28))
    # Friday 13 February + 1 working day = Saturday 14 (调休); + 2 = Tuesday 24 (after the nine days off).
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)
    assert add_working_days(D(2026, 2, 24), -2) == D(2026, 2, 13)


def test_across_new_year_2025_to_2026():
    # 31 Dec 2025 (Wed) + 1 = 4 Jan 2026 (Sunday, 调休上班: 1–3 January off).
    assert add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 4)
    assert add_working_days(D(2025, 12, 31), 0) == D(2025, 12, 31)


def test_add_and_between_agree():
    start = D(2025, 1, 20)
    for n in range(0, 60, 7):
        end = add_working_days(start, n)
        assert is_working_day(end) or n == 0
        assert working_days_between(start, end) == n
        assert working_days_between(end, start) == -n


def test_a_year_without_data_is_a_clear_error():
    with pytest.raises(CalendarMissing) as err:
        is_working_day(D(2031, 3, 3))
    assert "2031年的法定节假日安排尚未录入" in err.value.message and err.value.status == 409
    with pytest.raises(CalendarMissing):
        add_working_days(D(2027, 12, 20), 30)  # runs into 2028


def test_2027_is_shipped_provisional_with_the_statutory_days():
    cal = shipped_years()[2027]
    assert cal.provisional and "暂定" in cal.source
    assert not is_working_day(D(2027, 2, 5))  # 除夕 (statutory since the 2024 revision)
    assert not shipped_years()[2025].provisional


def test_a_year_entered_by_an_administrator_replaces_the_shipped_one(admin_user):
    from rencai.workdays.models import CalendarDay, DayKind, HolidayYear

    holiday_year_load(2027, actor=admin_user)
    row = HolidayYear.objects.get(year=2027)
    row.provisional = False
    row.source = "国务院办公厅关于2027年部分节假日安排的通知"
    row.save()
    CalendarDay.objects.create(year=row, date=D(2027, 2, 9), kind=DayKind.HOLIDAY, name="春节")
    CalendarDay.objects.create(year=row, date=D(2027, 2, 20), kind=DayKind.WORKDAY, name="调休上班")
    calendar_changed()
    try:
        assert not is_working_day(D(2027, 2, 9))  # Tuesday, now off
        assert is_working_day(D(2027, 2, 20))  # Saturday, now on
        assert not is_working_day(D(2027, 2, 5))  # the copied statutory day is still there
    finally:
        calendar_changed()


def test_the_shipped_file_is_consistent():
    years = shipped_years()
    assert {2025, 2026, 2027} <= set(years)
    assert len(years[2025].holidays) == 1 + 8 + 3 + 5 + 3 + 8
    assert len(years[2026].holidays) == 3 + 9 + 3 + 5 + 3 + 3 + 7
    for cal in years.values():
        assert all(d.weekday() >= 5 for d in cal.workdays)  # 调休上班 days are weekend days
