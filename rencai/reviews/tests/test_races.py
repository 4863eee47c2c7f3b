"""Two staff forming the same item's panel at the same moment, for real: one thread and one database connection
each, released together, on SQLite and PostgreSQL. One panel is formed; the other is told (409) — or, having
chosen the same experts, finds it formed (no change) —; never a server error, never two panels or an expert
twice."""

import pytest

from rencai.core.errors import Conflict
from rencai.core.tests.races import race
from rencai.reviews.models import Assignment, Panel

from .conftest import form, item

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 4


def at_once(*calls) -> list:
    """Each call in its own thread (its own connection), all released together (core.tests.races)."""
    return race(lambda _, i: calls[i](), [None] * len(calls))


def test_two_staff_forming_different_panels_at_once_one_wins(heping_staff, city_staff, experts, orgs, sheet):
    for _ in range(ROUNDS):
        ref = item()
        first, second = [experts["丙"], experts["丁"], experts["戊"]], [experts["丙"], experts["丁"]]
        answers = at_once(lambda: form(heping_staff, ref, orgs, first, sheet, size=2),  # noqa: B023
                          lambda: form(city_staff, ref, orgs, second, sheet, size=2))  # noqa: B023
        won = [a for a in answers if isinstance(a, tuple)]
        refused = [a for a in answers if isinstance(a, Conflict)]
        assert len(won) == 1 and won[0][1] is True and len(refused) == 1, answers
        assert refused[0].status == 409 and "不能更换" in refused[0].message
        panel = Panel.objects.get(kind=ref.kind, object_id=ref.id)
        chosen = first if won[0][0].formed_by == heping_staff else second
        assert sorted(Assignment.objects.filter(panel=panel).values_list("expert_id", flat=True)) == sorted(
            e.pk for e in chosen)


def test_two_staff_forming_the_same_panel_at_once_make_one(heping_staff, city_staff, experts, orgs, sheet):
    for _ in range(ROUNDS):
        ref = item()
        chosen = [experts["丙"], experts["丁"], experts["戊"]]
        answers = at_once(lambda: form(heping_staff, ref, orgs, chosen, sheet),  # noqa: B023
                          lambda: form(city_staff, ref, orgs, list(reversed(chosen)), sheet))  # noqa: B023
        assert all(isinstance(a, tuple) for a in answers), answers
        assert sorted(created for _, created in answers) == [False, True]
        assert answers[0][0].pk == answers[1][0].pk
        assert Assignment.objects.filter(panel__object_id=ref.id).count() == 3
    assert Panel.objects.count() == ROUNDS
