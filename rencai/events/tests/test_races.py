"""Races (SQLite and PostgreSQL alike, through the whole stack): twenty talents registering at once for an event's
last place — exactly one registration, nineteen 409s with a Chinese message, never a 500; twenty scans of one QR
at once — one attendance and one follow-up."""

import pytest
from django.test import Client
from django.urls import reverse

from rencai.core.tests.races import assert_success_or_conflict, clients_for, race
from rencai.events import services
from rencai.events.models import FollowUp, Registration

pytestmark = pytest.mark.django_db(transaction=True)
PEOPLE = 20


def test_twenty_talents_at_once_for_the_last_place_one_gets_it(make_event, make_talent_user):
    event = make_event(capacity=PEOPLE)
    for i in range(PEOPLE - 1):  # all but the last place taken
        services.registration_create(actor=make_talent_user(f"early{i}"), event_id=event.pk)
    clients = []
    for i in range(PEOPLE):
        client = Client(raise_request_exception=False)
        client.force_login(make_talent_user(f"late{i}"))
        clients.append(client)
    url = reverse("events:register", args=[event.pk])
    answers = race(lambda client, i: client.post(url), clients)
    counts = assert_success_or_conflict(answers, success=(302,))
    assert counts == {302: 1, 409: PEOPLE - 1}, counts
    assert all("名额已满" in a.content.decode() for a in answers if a.status_code == 409)
    assert Registration.objects.filter(event=event).count() == PEOPLE


def test_twenty_scans_of_one_code_record_one_attendance(make_event, talent_user, heping_staff):
    event = make_event()
    registration = services.registration_create(actor=talent_user, event_id=event.pk)
    url = reverse("events:checkin", args=[registration.token])
    answers = race(lambda client, i: client.post(url), clients_for(heping_staff, PEOPLE))
    assert assert_success_or_conflict(answers, success=(200,)) == {200: PEOPLE}
    assert sum("签到成功" in a.content.decode() for a in answers) == 1
    assert FollowUp.objects.filter(event=event).count() == 1
