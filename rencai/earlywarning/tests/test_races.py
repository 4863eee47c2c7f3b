"""Races (SQLite and PostgreSQL alike): twenty owners acknowledging one warning at once through the page — one
wins, the others a 409 with a Chinese message, never a 500, one event in the history; two evaluations at once raise
each warning once (the unique (rule, subject) constraint)."""

import threading

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from rencai.analytics.models import Move
from rencai.core.tests.races import assert_success_or_conflict, clients_for, race
from rencai.earlywarning.enums import Action, RuleKind, State
from rencai.earlywarning.models import EarlyWarning, WarningEvent
from rencai.earlywarning.services import warnings_evaluate

pytestmark = pytest.mark.django_db(transaction=True)
OWNERS = 20


def _outflow(make_talent, n=5):
    today = timezone.localdate()
    for i in range(n):
        Move.objects.create(talent=make_talent(name=f"流出{i}"), from_district_id="210102", to_district_id=None,
                            on=today, reason="other")


def test_twenty_acknowledging_at_once_one_wins(rules, make_talent, heping_staff):
    _outflow(make_talent)
    warnings_evaluate(kinds=[RuleKind.NET_OUTFLOW])
    warning = EarlyWarning.objects.get()
    url = reverse("earlywarning:act", args=[warning.pk])
    answers = race(lambda client, i: client.post(url, {"action": "acknowledge", "version": warning.version}),
                   clients_for(heping_staff, OWNERS))
    counts = assert_success_or_conflict(answers, success=(302,))
    assert counts == {302: 1, 409: OWNERS - 1}, counts
    warning.refresh_from_db()
    assert (warning.state, warning.version) == (State.ACKNOWLEDGED, 2)
    assert WarningEvent.objects.filter(warning=warning, action=Action.ACKNOWLEDGE).count() == 1


def test_two_evaluations_at_once_raise_each_warning_once(rules, make_talent):
    _outflow(make_talent)
    barrier, errors = threading.Barrier(2), []

    def run():
        try:
            barrier.wait(timeout=30)
            warnings_evaluate(kinds=[RuleKind.NET_OUTFLOW])
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    warning = EarlyWarning.objects.get()
    assert WarningEvent.objects.filter(warning=warning, action=Action.RAISE).count() == 1
