"""Two officers moving one talent at the same moment: both answered (200, or the documented 409), never a 500, and
the history stays whole — one open spell, each spell ending where the next begins, a move per change of district."""

import itertools

import pytest

from rencai.analytics.models import EmploymentSpell, Move
from rencai.core.tests.races import assert_success_or_conflict, clients_for, race

pytestmark = pytest.mark.django_db(transaction=True)
TARGETS = ["浑南区", "沈河区", "皇姑区", "铁西区"]


def test_moves_at_once_leave_one_open_spell(make_talent, city_staff):
    talent = make_talent(name="同时迁移")
    answers = race(lambda client, i: client.patch(f"/api/talents/{talent.pk}", {"district": TARGETS[i]},
                                                  content_type="application/json"),
                   clients_for(city_staff, len(TARGETS)))
    counts = assert_success_or_conflict(answers, success=(200,))
    assert counts.get(200, 0) >= 1
    spells = list(EmploymentSpell.objects.filter(talent=talent).order_by("id"))
    assert [s.ended_on is None for s in spells].count(True) == 1
    talent.refresh_from_db()
    assert spells[-1].ended_on is None and spells[-1].district_id == talent.district_id
    for earlier, later in itertools.pairwise(spells):
        assert earlier.ended_on == later.started_on
    moves = list(Move.objects.filter(talent=talent).order_by("id"))
    assert len(moves) == len(spells)  # the arrival, then one per change of district
    assert [m.to_district_id for m in moves] == [s.district_id for s in spells]
    assert all(a.to_district_id == b.from_district_id for a, b in itertools.pairwise(moves))
