"""The rule kinds whose situations take another app's whole path to build: a recognition (人才卡) about to expire,
a 项目申报 milestone report owed past its day (the programmes' own test path: ranked, approved, 公示, granted)."""

import datetime as dt

import pytest
from django.utils import timezone

from rencai.earlywarning import selectors
from rencai.earlywarning.enums import RuleKind, State
from rencai.earlywarning.models import EarlyWarning
from rencai.earlywarning.services import warnings_evaluate
from rencai.programmes.tests.conftest import budget, company, experts, other_company, person  # noqa: F401
from rencai.programmes.tests.test_services import _granted

pytestmark = pytest.mark.django_db


def _recognition(talent, admin_user, *, until: dt.date, serial: str):
    from rencai.recognition.models import Application, Recognition, Standard, StandardItem

    standard = Standard.objects.order_by("pk").first()
    item = StandardItem.objects.filter(standard=standard, category="C").order_by("pk").first()
    application = Application.objects.create(talent=talent, way="direct", category="C", standard=standard, item=item,
                                             status="approved", created_by=admin_user,
                                             decided_at=timezone.now(), decided_by=admin_user)
    return Recognition.objects.create(talent=talent, application=application, category="C", way="direct",
                                      valid_from=until - dt.timedelta(days=365 * 3), valid_until=until,
                                      serial=serial, granted_by=admin_user, granted_at=timezone.now())


def test_a_recognition_about_to_expire(rules, make_talent, admin_user, heping_staff, hunnan_staff):
    today = timezone.localdate()
    soon = _recognition(make_talent(name="将到期"), admin_user, until=today + dt.timedelta(days=90), serial="EW-1")
    _recognition(make_talent(name="还早"), admin_user, until=today + dt.timedelta(days=91), serial="EW-2")
    warnings_evaluate(kinds=[RuleKind.RECOGNITION_EXPIRING], on=today)
    [warning] = EarlyWarning.objects.filter(kind=RuleKind.RECOGNITION_EXPIRING)
    assert warning.talent_id == soon.talent_id and "EW-1" in warning.title
    assert selectors.warnings_visible(heping_staff).count() == 1 and not selectors.warnings_visible(hunnan_staff)
    # renewed (a later validity): the old occurrence is resolved by the system
    type(soon).objects.filter(pk=soon.pk).update(valid_until=today + dt.timedelta(days=900))
    warnings_evaluate(kinds=[RuleKind.RECOGNITION_EXPIRING], on=today)
    warning.refresh_from_db()
    assert warning.state == State.RESOLVED


def test_a_programme_report_owed_past_its_day(rules, city_staff, leader, person, experts, budget):  # noqa: F811
    from rencai.programmes.models import Report

    award = _granted(city_staff, leader, person, experts, budget)
    warnings_evaluate(kinds=[RuleKind.PROGRAMME_OVERDUE])
    assert not EarlyWarning.objects.filter(kind=RuleKind.PROGRAMME_OVERDUE).exists()  # not due yet
    report = award.reports.order_by("due_on").first()
    Report.objects.filter(pk=report.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    warnings_evaluate(kinds=[RuleKind.PROGRAMME_OVERDUE])
    [warning] = EarlyWarning.objects.filter(kind=RuleKind.PROGRAMME_OVERDUE)
    assert warning.talent_id == person.pk and award.number in warning.title
