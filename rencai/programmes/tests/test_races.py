"""Real races through the pages (core/tests/races.py), on SQLite and PostgreSQL: two staff fixing the same ranking at
once cannot both succeed; twenty award proposals at once never exceed the call's money or places."""

import pytest

from rencai.core.tests.races import assert_success_or_conflict, clients_for, race
from rencai.programmes import services
from rencai.programmes.models import ApplicationEvent, Award, Call

from .conftest import PERSON, make_call
from .test_services import _close_window, _ranked_call, _review

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_staff_fixing_the_same_ranking_at_once_make_one_ranking(other_city_staff, city_staff, person, experts):
    call = make_call(other_city_staff, PERSON)
    app = services.application_create(actor=person.user, data=services.ApplicationInput(
        call_id=call.pk, project_title="工业机器人视觉检测"))
    services.application_submit(actor=person.user, application_id=app.pk)
    _review(other_city_staff, app, experts, (0.9, 0.8, 0.7))
    _close_window(call)
    clients = clients_for(other_city_staff, 5) + clients_for(city_staff, 5)
    answers = race(lambda client, i: client.post(f"/programmes/calls/{call.pk}/rank/", {"confirmed": "1"}), clients)
    counts = assert_success_or_conflict(answers)
    assert counts.get(302) == 1 and counts.get(409) == 9
    assert ApplicationEvent.objects.filter(application=app, action="rank").count() == 1
    assert Call.objects.get(pk=call.pk).ranked_at is not None


def test_proposals_at_once_stay_within_the_calls_money(other_city_staff, city_staff, person, make_member, experts):
    people = [person] + [make_member(f"成员{i}") for i in range(3)]
    call, apps = _ranked_call(other_city_staff, people, experts, [(0.9, 0.9, 0.9)] * 4,
                              tiers=[services.TierInput(label="30万元档", places=4, amount="300000")],
                              money="600000")
    tier = call.tiers.get()
    clients = clients_for(other_city_staff, 4) + clients_for(city_staff, 4)
    answers = race(lambda client, i: client.post(f"/programmes/calls/{call.pk}/awards/", {
        "application": apps[i % 4].pk, "tier": tier.pk}), clients)
    assert_success_or_conflict(answers)
    awards = Award.objects.filter(call=call)
    assert awards.count() == 2 and sum(a.amount_fen for a in awards) == 60_000_000
