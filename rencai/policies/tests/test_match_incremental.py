"""政策找人's incremental runs: only the talents whose inputs changed since the last run are read and evaluated
(a change of the talent's record, or of their entitlements, recognitions or applications, marked by the
database), and the result is exactly what a full run gives; a full run writes only what changed."""

import datetime as dt

import pytest
from django.utils import timezone

from rencai.demo.generator import demo_load
from rencai.payments.models import Entitlement
from rencai.policies import matching
from rencai.policies.matching import match_run
from rencai.policies.models import MatchRun, PolicyMatch
from rencai.policies.tests.test_counts import _actual, _kept
from rencai.talents.models import Talent

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2024, 6, 1)
FIELDS = ("talent_id", "policy", "eligible", "decided_by", "monthly_fen", "one_time_fen", "total_fen",
          "exclusive_group", "alternative")


def _rows():
    return sorted(PolicyMatch.objects.values_list(*FIELDS))


def _settled(size: int, seed: int) -> MatchRun:
    """A demo registry whose records were last changed yesterday, and its first (full) run."""
    demo_load(seed=seed, size=size)
    Talent.objects.update(updated_at=timezone.now() - dt.timedelta(days=1))
    return match_run(as_of=AS_OF)


def test_an_incremental_run_gives_exactly_what_a_full_run_gives(make_talent):
    first = _settled(300, 11)
    before = _rows()
    renters = list(Talent.objects.filter(housing_status="renting", highest_degree="doctor").order_by("pk")[:2])
    owners = list(Talent.objects.filter(housing_status="owns").order_by("pk")[:1])
    assert len(renters) == 2 and owners
    # A record edited (the owner starts renting), an entitlement granted (received: no longer a match), one
    # ended, and a talent registered: four talents changed, each by another path.
    owner = owners[0]
    owner.housing_status, owner.monthly_rent, owner.rent_area_sqm = "renting", 3000, 60
    owner.save()
    granted = Entitlement.objects.create(talent=renters[0], policy="sy-rent-subsidy", monthly_fen=150000, months=12,
                                         start_month=dt.date(2024, 1, 1), end_month=dt.date(2024, 12, 1))
    Entitlement.objects.filter(pk=granted.pk).update(status="active")  # an UPDATE marks too (no-op here)
    ended = Entitlement.objects.create(talent=renters[1], policy="sy-rent-subsidy", monthly_fen=150000, months=12,
                                       start_month=dt.date(2024, 1, 1), end_month=dt.date(2024, 12, 1))
    Talent.objects.filter(pk=renters[1].pk).update(updated_at=timezone.now() - dt.timedelta(days=1))
    Entitlement.objects.filter(pk=ended.pk).update(status="ended")  # `rencai pay`'s kind of set-based write
    newcomer = make_talent(name="新登记博士")

    incremental = match_run(as_of=AS_OF)
    assert incremental.pk == first.pk and incremental.mode == MatchRun.Mode.INCREMENTAL
    assert incremental.reevaluated == 4  # exactly the four changed talents, nobody else
    after = _rows()
    assert after != before
    assert any(r[0] == newcomer.pk for r in after) and not any(r[0] == newcomer.pk for r in before)
    assert (renters[0].pk, "sy-rent-subsidy") not in {(r[0], r[1]) for r in after}
    assert incremental.matches == len(after) == PolicyMatch.objects.count()
    assert _kept(incremental) == _actual(incremental)  # the kept counts moved with the rows

    full = match_run(as_of=AS_OF, full=True)
    assert full.mode == MatchRun.Mode.FULL and full.reevaluated == Talent.objects.count()
    assert _rows() == after  # the incremental run gave exactly what the full run gives
    assert _kept(full) == _actual(full)
    assert full.matches == len(after) and list(MatchRun.objects.values_list("pk", flat=True)) == [first.pk]


def test_with_nothing_changed_nothing_is_evaluated_or_rewritten():
    _settled(200, 12)
    ids = sorted(PolicyMatch.objects.values_list("pk", flat=True))
    again = match_run(as_of=AS_OF)
    assert again.mode == MatchRun.Mode.INCREMENTAL and again.reevaluated == 0
    full = match_run(as_of=AS_OF, full=True)
    assert full.reevaluated == 200
    assert sorted(PolicyMatch.objects.values_list("pk", flat=True)) == ids  # the same rows, not rewritten
    assert set(full.seconds) == {"read", "evaluate", "store", "swap"}


def test_another_day_or_another_catalog_is_a_full_run(monkeypatch):
    _settled(150, 13)
    on_another_day = match_run(as_of=AS_OF + dt.timedelta(days=1))
    assert on_another_day.mode == MatchRun.Mode.FULL and on_another_day.reevaluated == 150
    monkeypatch.setattr(matching, "catalog_version", lambda: "a-published-rule")
    published = match_run(as_of=AS_OF + dt.timedelta(days=1))
    assert published.mode == MatchRun.Mode.FULL and published.catalog_version == "a-published-rule"
    same = match_run(as_of=AS_OF + dt.timedelta(days=1))
    assert same.mode == MatchRun.Mode.INCREMENTAL


def test_a_bulk_load_marks_its_new_talents():
    """Bulk paths write updated_at too: a demo load after a run is picked up by the next incremental run."""
    _settled(100, 14)
    demo_load(seed=15, size=100)  # another hundred, by the bulk path
    incremental = match_run(as_of=AS_OF)
    assert incremental.mode == MatchRun.Mode.INCREMENTAL and incremental.reevaluated == 100
    assert PolicyMatch.objects.values("talent_id").distinct().count() > 100


def test_talents_imported_from_excel_are_picked_up(heping_staff):
    from rencai.conftest import make_resident_id
    from rencai.talents import excel
    from rencai.talents.tests.test_excel import workbook

    _settled(100, 16)
    rows = [["导入博士", make_resident_id(), "和平区", "博士", "2023-07-01", "东北大学", "中国", ""],
            ["导入硕士", make_resident_id(), "和平区", "硕士", "2023-07-01", "辽宁大学", "中国", ""]]
    assert excel.talent_import(actor=heping_staff, upload=workbook(rows)).imported_rows == 2
    incremental = match_run(as_of=AS_OF)
    assert incremental.mode == MatchRun.Mode.INCREMENTAL and incremental.reevaluated == 2
    imported = set(Talent.objects.filter(name__startswith="导入").values_list("pk", flat=True))
    assert imported <= set(PolicyMatch.objects.values_list("talent_id", flat=True))
