"""Issue 14 item 4 for recognition: the same decision sent twenty times at once, and the employer's 自主认定
submitted at once, through the API, on SQLite and PostgreSQL: successes and 409s only, one decision, the
quota never overrun."""

import pytest

from rencai.core.tests.races import assert_success_or_conflict, clients_for, race
from rencai.recognition.models import ApplicationEvent, EmployerQuota, Recognition

from .conftest import attach_all, create, submitted

pytestmark = pytest.mark.django_db(transaction=True)
N = 20
BASE = "/api/recognition/applications"


def act(application_id: int, action: str, body: dict | None = None):
    return lambda client, i: client.post(f"{BASE}/{application_id}/actions/{action}", body or {},
                                         content_type="application/json")


def test_twenty_accepts_of_one_application_make_one_decision(talent_user, heping_staff, city_staff):
    application = submitted(talent_user)
    clients = clients_for(heping_staff, N // 2) + clients_for(city_staff, N // 2)
    answers = race(act(application.pk, "accept"), clients)
    counts = assert_success_or_conflict(answers)
    assert counts.get(200, 0) >= 1
    for answer in answers:
        if answer.status_code == 409:
            assert answer.json()["code"] == "wrong_status"
    assert ApplicationEvent.objects.filter(application=application, action="approve").count() == 1
    assert Recognition.objects.filter(application=application).count() == 1


def test_twenty_accepts_and_rejects_at_once_make_one_decision(talent_user, heping_staff, city_staff):
    application = submitted(talent_user)
    clients = clients_for(heping_staff, N // 2) + clients_for(city_staff, N // 2)
    answers = race(lambda client, i: (act(application.pk, "accept") if i % 2 else
                                      act(application.pk, "reject", {"reason": "材料不符合条件"}))(client, i),
                   clients)
    assert_success_or_conflict(answers)
    decisions = ApplicationEvent.objects.filter(application=application, action__in=["approve", "reject"])
    assert decisions.count() == 1
    application.refresh_from_db()
    assert Recognition.objects.count() == (1 if application.status == "approved" else 0)


def test_twenty_identical_employer_submits(employer_user, authorization, make_talent, org):
    talent = make_talent(name="员工甲", organization_uscc=org.uscc)
    draft = create(employer_user, way="employer", category="C", talent_id=talent.pk,
                   annual_salary="800000", annual_tax="150000")
    attach_all(employer_user, draft)
    answers = race(act(draft.pk, "submit"), clients_for(employer_user, N))
    assert assert_success_or_conflict(answers).get(200, 0) >= 1
    assert EmployerQuota.objects.get(authorization=authorization, category="C").used == 1
    assert Recognition.objects.filter(application=draft).count() == 1
    assert ApplicationEvent.objects.filter(application=draft, action="submit").count() == 1


def test_employer_submits_at_once_never_overrun_the_quota(employer_user, authorization, make_talent, org):
    """Twelve drafts for ten 类 D places, twenty requests at once (some drafts sent twice)."""
    drafts = []
    for n in range(12):
        talent = make_talent(name=f"员工{n}", organization_uscc=org.uscc)
        draft = create(employer_user, way="employer", category="D", talent_id=talent.pk, annual_salary="300000")
        attach_all(employer_user, draft)
        drafts.append(draft)
    answers = race(lambda client, i: act(drafts[i % len(drafts)].pk, "submit")(client, i),
                   clients_for(employer_user, N))
    assert_success_or_conflict(answers)
    assert {a.json()["code"] for a in answers if a.status_code == 409} <= {"quota_exhausted", "wrong_status"}
    assert EmployerQuota.objects.get(authorization=authorization, category="D").used == 10
    assert Recognition.objects.count() == 10


def test_twenty_accepts_through_the_page(talent_user, heping_staff, city_staff):
    application = submitted(talent_user)
    clients = clients_for(heping_staff, N // 2) + clients_for(city_staff, N // 2)
    answers = race(lambda client, i: client.post(f"/recognition/applications/{application.pk}/accept/",
                                                 {"confirmed": "1"}), clients)
    counts = assert_success_or_conflict(answers)
    assert counts.get(302, 0) >= 1
    assert ApplicationEvent.objects.filter(application=application, action="approve").count() == 1


def test_twenty_employer_submits_through_the_page(employer_user, authorization, make_talent, org):
    talent = make_talent(name="员工丙", organization_uscc=org.uscc)
    draft = create(employer_user, way="employer", category="C", talent_id=talent.pk,
                   annual_salary="800000", annual_tax="150000")
    attach_all(employer_user, draft)
    answers = race(lambda client, i: client.post(f"/recognition/applications/{draft.pk}/submit/", {"confirmed": "1"}),
                   clients_for(employer_user, N))
    assert assert_success_or_conflict(answers).get(302, 0) >= 1
    assert EmployerQuota.objects.get(authorization=authorization, category="C").used == 1
    assert Recognition.objects.filter(application=draft).count() == 1
