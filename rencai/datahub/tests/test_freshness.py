"""A feed's freshness against its schedule, on the working-day calendar (2026: the State Council's holidays)."""

import datetime as dt

import pytest

from rencai.datahub.enums import Cadence
from rencai.datahub.models import Feed
from rencai.datahub.selectors import expected_period, feed_freshness

from .factories import feed

pytestmark = pytest.mark.django_db


def _registered_early(f: Feed) -> Feed:
    Feed.objects.filter(pk=f.pk).update(created_at=dt.datetime(2025, 1, 2, tzinfo=dt.UTC))
    return Feed.objects.get(pk=f.pk)


def test_monthly_data_is_due_by_the_nth_working_day_of_the_next_month():
    f = feed(due_working_day=10)
    # November 2026: Mon 2 … Fri 6, Mon 9 … Fri 13 — the 10th working day is the 13th.
    assert expected_period(f, dt.date(2026, 11, 20)) == (dt.date(2026, 10, 1), dt.date(2026, 11, 13))
    assert expected_period(f, dt.date(2026, 11, 13))[0] == dt.date(2026, 9, 1)  # October's may still come
    # October 2026: National Day (1–7 October, and the 8th) is off; the 10th working day is later than the 14th.
    assert expected_period(f, dt.date(2026, 11, 13))[1] > dt.date(2026, 10, 14)
    assert expected_period(f, dt.date(2026, 1, 20))[0] == dt.date(2025, 12, 1)  # across the year


def test_late_counts_working_days_since_the_due_day():
    f = _registered_early(feed(due_working_day=10))
    late = feed_freshness(f, today=dt.date(2026, 11, 20), latest=dt.date(2026, 9, 1))
    assert late.late and late.late_days == 5 and late.expected_label == "2026年10月"
    assert "逾期5个工作日" in late.label and "2026-11-13" in late.label
    ok = feed_freshness(f, today=dt.date(2026, 11, 20), latest=dt.date(2026, 10, 1))
    assert ok.status == "ok" and not ok.late


def test_a_yearly_feed_a_feed_without_schedule_and_a_new_feed():
    yearly = _registered_early(feed(cadence=Cadence.YEARLY, due_month=6, due_working_day=10, name="年报"))
    # June 2026: Mon 1 … Fri 5, Mon 8 … Fri 12 (端午 is the 19th) — due 12 June for 2025's data.
    assert expected_period(yearly, dt.date(2026, 7, 1)) == (dt.date(2025, 1, 1), dt.date(2026, 6, 12))
    assert feed_freshness(yearly, today=dt.date(2026, 7, 1), latest=None).late
    assert feed_freshness(yearly, today=dt.date(2026, 7, 1), latest=dt.date(2025, 1, 1)).status == "ok"
    irregular = feed(cadence=Cadence.ON_CHANGE, name="不定期")
    assert feed_freshness(irregular, today=dt.date(2026, 7, 1)).status == "irregular"
    new = feed(due_working_day=10, name="新登记")  # registered after October's data was due: not late for it
    Feed.objects.filter(pk=new.pk).update(created_at=dt.datetime(2026, 11, 16, 2, 0, tzinfo=dt.UTC))
    assert feed_freshness(Feed.objects.get(pk=new.pk), today=dt.date(2026, 11, 20)).status == "waiting"


def test_a_year_without_a_calendar_is_unknown_not_a_guess():
    f = _registered_early(feed())
    assert feed_freshness(f, today=dt.date(2031, 5, 20)).status == "unknown"
