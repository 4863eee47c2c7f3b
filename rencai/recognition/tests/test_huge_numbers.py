"""Issue 14 item 9, the numbers in bodies: ids, scores and amounts far beyond any column's range are refused
with a 4xx and a Chinese message, never a 500 (the API's other numeric inputs besides the query string)."""

import json

import pytest

from .conftest import assignment_of, create, submitted

pytestmark = pytest.mark.django_db
HUGE = 10**40
CHINESE = ("\u4e00", "\u9fff")


def _chinese(text: str) -> bool:
    return any(CHINESE[0] <= ch <= CHINESE[1] for ch in text)


def _post(client, path, body):
    client.raise_request_exception = False
    return client.post(path, json.dumps(body), content_type="application/json")


def _assert_refused(response):
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert _chinese(response.json()["message"]), response.content[:300]


@pytest.mark.parametrize("number", [HUGE, -HUGE, 2**63])
def test_huge_ids_in_bodies(client, employer_user, authorization, make_talent, org, number):
    client.force_login(employer_user)
    _assert_refused(_post(client, "/api/recognition/applications",
                          {"way": "employer", "category": "D", "talent_id": number, "annual_salary": "300000"}))
    talent = make_talent(name="员工乙", organization_uscc=org.uscc)
    draft = create(employer_user, way="employer", category="D", talent_id=talent.pk, annual_salary="300000")
    client.raise_request_exception = False
    response = client.post(f"/api/recognition/applications/{draft.pk}/attachments",
                           {"requirement_id": str(number)})
    assert 400 <= response.status_code < 500, response.content[:300]


@pytest.mark.parametrize("number", [HUGE, -HUGE, 2**63])
def test_huge_scores_and_experts(client, talent_user, city_staff, experts, number):
    from rencai.recognition.services import application_accept, application_panel_form

    application = submitted(talent_user, way="review", category="C")
    client.force_login(city_staff)
    _assert_refused(_post(client, f"/api/recognition/applications/{application.pk}/actions/panel",
                          {"expert_ids": [number, experts[0].pk]}))
    application_accept(actor=city_staff, application_id=application.pk)
    application_panel_form(actor=city_staff, application_id=application.pk,
                           expert_ids=[e.pk for e in experts[:3]])
    assignment = assignment_of(application, experts[0])
    client.force_login(experts[0].user)
    scores = dict.fromkeys(["professional", "potential", "experience", "contribution", "remuneration"], number)
    _assert_refused(_post(client, f"/api/recognition/assignments/{assignment.pk}/score", scores))


@pytest.mark.parametrize("amount", [HUGE, "1e30", "9" * 30])
def test_huge_amounts_in_talent_bodies(client, heping_staff, make_talent, amount):
    from rencai.conftest import talent_data

    client.force_login(heping_staff)
    _assert_refused(_post(client, "/api/talents", talent_data(monthly_rent=amount)))
    talent = make_talent()
    client.raise_request_exception = False
    response = client.patch(f"/api/talents/{talent.pk}", json.dumps({"rent_area_sqm": amount}),
                            content_type="application/json")
    _assert_refused(response)
