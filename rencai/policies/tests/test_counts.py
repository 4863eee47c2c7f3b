"""Issue 15: 政策找人's kept counts (MatchCount) equal counting the run's rows by the talents' current districts,
after a run and after a talent moves; the summary and the per-policy lists read them in a fixed number of
queries."""

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Count, Q, Sum

from rencai.demo.generator import demo_load
from rencai.policies import selectors
from rencai.policies.matching import match_run
from rencai.policies.models import MatchCount, PolicyMatch
from rencai.talents.models import Talent
from rencai.talents.services import talent_update

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2024, 6, 1)


def _kept(run) -> Counter:
    return Counter({(c.policy, c.district_id, c.eligible, c.alternative):
                    (c.n, c.monthly_n, c.monthly_fen, c.total_n, c.total_fen)
                    for c in MatchCount.objects.filter(run=run) if c.n})


def _actual(run) -> Counter:
    rows = (PolicyMatch.objects.filter(run=run)
            .values("policy", "talent__district_id", "eligible", "alternative")
            .annotate(n=Count("id"), monthly_n=Count("monthly_fen"), monthly=Sum("monthly_fen", default=0),
                      total_n=Count("total_fen"), total=Sum("total_fen", default=0)))
    return Counter({(r["policy"], r["talent__district_id"], r["eligible"], r["alternative"]):
                    (r["n"], r["monthly_n"], r["monthly"], r["total_n"], r["total"]) for r in rows})


def _summary_counted_on_the_rows(user, run) -> dict:
    """What the summary showed before the kept counts: the rows themselves, grouped."""
    from rencai.accounts.permissions import scope_related

    rows = (PolicyMatch.objects.filter(scope_related(user, "talent"), run=run).values("policy")
            .annotate(n_eligible=Count("id", filter=Q(eligible="true")),
                      n_manual=Count("id", filter=Q(eligible="manual")),
                      n_alternative=Count("id", filter=Q(alternative=True)),
                      monthly=Sum("monthly_fen", filter=Q(alternative=False)),
                      total=Sum("total_fen", filter=Q(alternative=False))))
    return {r["policy"]: (r["n_eligible"], r["n_manual"], r["n_alternative"], r["monthly"], r["total"])
            for r in rows}


def _fen(value):
    return None if value is None else int(value * 100)


def test_counts_of_a_run_and_of_a_move(make_talent, admin_user, city_staff, heping_staff, hunnan_staff):
    demo_load(seed=3, size=300)
    mover = make_talent(name="迁出博士")
    run = match_run(as_of=AS_OF)
    assert _kept(run) == _actual(run) and sum(v[0] for v in _kept(run).values()) == run.matches > 0
    for user in (city_staff, heping_staff, hunnan_staff, admin_user):
        shown = {s.policy: (s.eligible, s.manual, s.alternative, _fen(s.monthly), _fen(s.total))
                 for s in selectors.policy_match_summary(user=user, run=run)}
        assert shown == _summary_counted_on_the_rows(user, run), user.username

    talent_update(actor=admin_user, talent_id=mover.pk, changes={"district": "浑南区"})
    moved = Talent.objects.filter(district_id="210102").exclude(pk=mover.pk).order_by("pk")[:5]
    Talent.objects.filter(pk__in=[t.pk for t in moved]).update(district_id="210112")  # a bulk move too
    assert _kept(run) == _actual(run)
    for user in (heping_staff, hunnan_staff):
        shown = {s.policy: (s.eligible, s.manual, s.alternative, _fen(s.monthly), _fen(s.total))
                 for s in selectors.policy_match_summary(user=user, run=run)}
        assert shown == _summary_counted_on_the_rows(user, run), user.username
        for policy in shown:
            assert selectors.policy_match_count(user=user, run=run, policy=policy) == \
                selectors.policy_match_list(user=user, run=run, policy=policy).count()

    Talent.objects.filter(pk=mover.pk).update(housing_status="own")  # no longer renting
    second = match_run(as_of=AS_OF)  # the next run's rows, and only its rows, are counted
    assert _kept(second) == _actual(second)
    assert set(MatchCount.objects.values_list("run_id", flat=True)) == {second.pk}


def test_the_match_pages_read_a_fixed_number_of_queries(client, make_talent, heping_staff,
                                                        django_assert_num_queries):
    for i in range(3):
        make_talent(name=f"租房博士{i}")
    match_run(as_of=AS_OF)
    client.force_login(heping_staff)
    client.get("/policies/matches/")
    # session, user, department (a district officer's jurisdiction is its district: no look-up), the latest
    # run, the kept counts, a job in progress, the inbox's unread count; the menu's question whether the officer
    # supervises (回访督办: their own and their groups' permissions, once per request)
    with django_assert_num_queries(9):
        assert client.get("/policies/matches/").status_code == 200
    client.get("/policies/matches/sy-rent-subsidy/")
    # session, user, department, the latest run, the total (kept counts), the page (matches with the talent
    # and district joined), a run in progress (数据截至…, the freshness line), the inbox's unread count; the
    # menu's supervisor question (permissions: 2)
    with django_assert_num_queries(10):
        page = client.get("/policies/matches/sy-rent-subsidy/")
    assert page.status_code == 200 and page.content.decode().count("租房博士") == 3
    for i in range(3, 10):
        make_talent(name=f"租房博士{i}")
    match_run(as_of=AS_OF)
    with django_assert_num_queries(10):
        assert client.get("/policies/matches/sy-rent-subsidy/").content.decode().count("租房博士") == 10


@pytest.mark.django_db(transaction=True)
def test_a_talent_who_moves_while_the_run_evaluates_is_counted_where_they_are(make_talent, admin_user):
    """The first set's counts are grouped from the districts read with the registry; a move between that read
    and the store must not leave them behind (the trigger cannot move counts that are not stored yet)."""
    demo_load(seed=3, size=120)
    mover = make_talent(name="迁出博士")  # 和平区, renting

    def move_once(message: str) -> None:
        if message.startswith("计算完成") and not Talent.objects.filter(pk=mover.pk, district_id="210112").exists():
            talent_update(actor=admin_user, talent_id=mover.pk, changes={"district": "浑南区"})

    run = match_run(as_of=AS_OF, progress=move_once)
    assert Talent.objects.get(pk=mover.pk).district_id == "210112"
    assert PolicyMatch.objects.filter(run=run, talent=mover).exists()
    assert _kept(run) == _actual(run)
