"""政策找人's write path: the run's rows are written with COPY on PostgreSQL and bulk inserts elsewhere (the
same rows either way), and a finished run replaces the previous one's figures in the one result set: no stale
rows are kept."""

import datetime as dt

import pytest

from rencai.demo.generator import demo_load
from rencai.policies import matching
from rencai.policies.matching import match_run
from rencai.policies.models import MatchRun, PolicyMatch

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2024, 6, 1)
FIELDS = ("talent_id", "policy", "eligible", "decided_by", "monthly_fen", "one_time_fen", "total_fen",
          "exclusive_group", "alternative")


def _rows(run):
    return sorted(PolicyMatch.objects.filter(run=run).values_list(*FIELDS))


def test_a_new_run_replaces_the_previous_one_and_its_rows():
    demo_load(seed=3, size=300)
    first = match_run(as_of=AS_OF)
    rows = _rows(first)
    assert len(rows) == first.matches > 300  # several policies per person on average
    second = match_run(as_of=AS_OF)
    assert list(MatchRun.objects.values_list("pk", flat=True)) == [second.pk]
    assert PolicyMatch.objects.count() == second.matches == len(rows)
    assert _rows(second) == rows  # the same registry gives the same answer


def test_the_database_path_and_the_portable_path_store_the_same_rows(monkeypatch):
    from django.db import connection

    demo_load(seed=4, size=300)
    native = _rows(match_run(as_of=AS_OF))
    MatchRun.objects.all().delete()  # (and their rows) so that the portable path writes every row again
    monkeypatch.setattr(connection, "vendor", "sqlite" if connection.vendor == "postgresql" else "other")
    portable = _rows(match_run(as_of=AS_OF))
    assert native == portable and any(r[7] for r in native) and any(r[8] for r in native)


def test_a_failed_run_keeps_the_previous_results(monkeypatch):
    demo_load(seed=5, size=200)
    good = match_run(as_of=AS_OF)

    def broken(*args, **kwargs):
        raise RuntimeError("写入失败")

    monkeypatch.setattr(matching, "_store", broken)
    with pytest.raises(RuntimeError):
        match_run(as_of=AS_OF)
    assert PolicyMatch.objects.filter(run=good).count() == good.matches > 0
    assert MatchRun.objects.filter(status=MatchRun.Status.FINISHED).get() == good


@pytest.mark.django_db(transaction=True)  # as in `rencai match`: the registry's writes committed before the run
def test_a_first_large_set_is_written_with_its_indexes_made_after(monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("COPY and deferred indexes are PostgreSQL's")

    def schema():
        with connection.cursor() as cursor:
            cursor.execute("""SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'policies_policymatch'
                              UNION ALL SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                              WHERE conrelid = 'policies_policymatch'::regclass ORDER BY 1, 2""")
            return cursor.fetchall()

    demo_load(seed=6, size=200)
    before = schema()
    monkeypatch.setattr(matching, "DEFER_INDEXES_FROM", 1)
    deferred = _rows(match_run(as_of=AS_OF))
    assert schema() == before and deferred
    MatchRun.objects.all().delete()
    monkeypatch.setattr(matching, "DEFER_INDEXES_FROM", 10**9)
    assert _rows(match_run(as_of=AS_OF)) == deferred
