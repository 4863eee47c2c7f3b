"""台账's 人才对接 measures (issue 11): events held, job and 见习 posts published, hires — by district and year —
and 003's city-wide figures shown beside them as the document's reference, never as a district's target."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from rencai.ledgers import selectors
from rencai.ledgers.enums import Measure

pytestmark = pytest.mark.django_db


def _cells(row):
    return {c.measure: c for c in row.cells}


def test_events_posts_and_hires_are_counted_against_the_documents_reference(
        city_staff, heping_staff, hunnan_staff, make_talent, admin_user, client):
    from rencai.events.models import Event
    from rencai.opportunities.models import Application, ApplicationStep, Opportunity

    now = timezone.now()
    year = timezone.localdate().year

    def event(district, starts, status="published"):
        Event.objects.create(kind="returnee", title="对接会", district_id=district, venue="人才市场", starts_at=starts,
                             ends_at=starts, capacity=10, registration_deadline=starts, organizer="人社局",
                             created_by=heping_staff, status=status)

    event("210102", now)
    event("210102", now)
    event("210102", now, status="cancelled")
    event("210112", now)
    event("210102", now.replace(year=year - 1))

    def job(district, positions, status="published", kind="job", published=now):
        return Opportunity.objects.create(kind=kind, title="岗位", description="说明", sponsor_name="人社局",
                                          district_id=district, closes_on=dt.date(year + 1, 1, 1), status=status,
                                          positions=positions, created_by=admin_user, published_at=published)

    hired_job = job("210102", 5)
    job("210102", 3, kind="internship", status="closed")
    job("210112", 7, status="pending", published=None)  # not published: not counted
    job("210112", 2, kind="challenge")  # a 揭榜挂帅 榜单 is no job post
    talent = make_talent(name="录用甲")
    application = Application.objects.create(opportunity=hired_job, talent=talent, state="hired",
                                             created_by=admin_user)
    ApplicationStep.objects.create(application=application, from_state="offer", to_state="hired", actor=admin_user)

    ledger = selectors.ledger(user=city_staff, year=year)
    heping = _cells(next(r for r in ledger.rows if r.code == "210102"))
    hunnan = _cells(next(r for r in ledger.rows if r.code == "210112"))
    assert (heping[Measure.EVENTS].actual, heping[Measure.JOBS].actual, heping[Measure.HIRES].actual) == (2, 8, 1)
    assert (hunnan[Measure.EVENTS].actual, hunnan[Measure.JOBS].actual, hunnan[Measure.HIRES].actual) == (1, 0, 0)
    assert heping[Measure.EVENTS].goal is None  # no invented district target
    references = {r.measure: r for r in ledger.references}
    assert (references[Measure.EVENTS].actual, references[Measure.EVENTS].figure) == (3, 10)
    assert (references[Measure.JOBS].actual, references[Measure.JOBS].figure) == (8, 2000)
    assert _cells(selectors.ledger(user=city_staff, year=year - 1).total)[Measure.EVENTS].actual == 1
    assert {r.measure: r.actual for r in selectors.ledger(user=hunnan_staff, year=year).references} == {
        Measure.EVENTS: 1, Measure.JOBS: 0}
    client.force_login(city_staff)
    html = client.get(reverse("ledgers:year", kwargs={"ledger_year": year})).content.decode()
    assert "对照文件参考" in html and "不少于10场" in html and "2000个" in html


def test_a_posts_target_is_a_whole_number(admin_user):
    from rencai.core.errors import ValidationFailed
    from rencai.ledgers.services import targets_set

    with pytest.raises(ValidationFailed, match="应为整数（个）"):
        targets_set(actor=admin_user, year=2026, goals={("210102", Measure.JOBS): "10.5"})
    assert targets_set(actor=admin_user, year=2026, goals={("210102", Measure.EVENTS): "3"}) == 1
