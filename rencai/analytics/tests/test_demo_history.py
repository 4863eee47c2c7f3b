"""The demo's five-year history (analytics/demo.py): consistent with the registry and with itself, flows that
differ per district, the outflow to warn about, the same rows for the same seed — on SQLite and, by COPY with the
indexes made after, on PostgreSQL."""

import datetime as dt
import itertools
from collections import Counter, defaultdict

import polars as pl
import pytest
from django.db import IntegrityError, connection, transaction

from rencai.analytics import demo as history
from rencai.analytics import selectors
from rencai.analytics.enums import OriginKind
from rencai.analytics.models import EmploymentSpell, Move, Origin
from rencai.demo.generator import TODAY, demo_load
from rencai.talents.models import Talent

pytestmark = pytest.mark.django_db
SIZE = 6000
HEPING = history.OUTFLOW_DISTRICT


@pytest.fixture
def pool():
    demo_load(seed=3, size=SIZE)
    return history.history_demo_load(seed=3)


def _history_by_talent():
    spells, moves = defaultdict(list), defaultdict(list)
    for row in EmploymentSpell.objects.order_by("talent_id", "started_on", "id").values(
            "talent_id", "district_id", "organization_id", "started_on", "ended_on"):
        spells[row["talent_id"]].append(row)
    for row in Move.objects.order_by("talent_id", "on", "id").values("talent_id", "from_district_id",
                                                                     "to_district_id", "on"):
        moves[row["talent_id"]].append(row)
    return spells, moves


def test_every_demo_talent_has_a_history_that_agrees_with_the_registry(pool):
    assert pool.talents == SIZE and Origin.objects.count() == SIZE
    assert pool.spells == EmploymentSpell.objects.count() > SIZE  # some had a job before this one
    spells, moves = _history_by_talent()
    leavers = []
    for talent in Talent.objects.values("id", "district_id", "organization_id", "employment_start",
                                        "social_insurance", "talent_category"):
        own, path = spells[talent["id"]], moves[talent["id"]]
        assert own and path
        open_spells = [s for s in own if s["ended_on"] is None]
        assert len(open_spells) <= 1
        last = own[-1]
        # the current (last) spell is the registry's district and employer from its 入职日期
        assert (last["district_id"], last["organization_id"], last["started_on"]) == (
            talent["district_id"], talent["organization_id"], talent["employment_start"])
        for before, after in itertools.pairwise(own):  # no overlap: each ends the day the next begins
            assert before["ended_on"] is not None and before["ended_on"] <= after["started_on"]
            assert before["started_on"] < before["ended_on"]
        # the moves chain: from outside first, each from where the last went, never to the same district
        assert path[0]["from_district_id"] is None
        for before, after in itertools.pairwise(path):
            assert after["from_district_id"] == before["to_district_id"] and after["on"] >= before["on"]
        assert all(m["from_district_id"] != m["to_district_id"] for m in path)
        assert path[0]["to_district_id"] == own[0]["district_id"] and path[0]["on"] == own[0]["started_on"]
        assert [m["to_district_id"] for m in path if m["to_district_id"]] == [
            s["district_id"] for i, s in enumerate(own) if i == 0 or s["district_id"] != own[i - 1]["district_id"]]
        if open_spells:
            assert path[-1]["to_district_id"] == talent["district_id"]
        else:  # left the city: the last spell ended on the day of the move out
            assert path[-1]["to_district_id"] is None and path[-1]["on"] == last["ended_on"]
            assert last["ended_on"] <= TODAY
            leavers.append(talent)
    assert leavers
    # who left does not pay 社保 in the city (the data centre's demo files then hold no rows for them), but for the
    # few a small pool borrows to have high-level leavers at all
    paying = [t for t in leavers if t["social_insurance"] != "not_paying"]
    assert len(paying) <= history.HIGH_LEVEL_LEAVERS_MIN


def test_flows_differ_per_district_and_one_loses_talent_this_year(pool, city_staff):
    year = dt.date(TODAY.year, 1, 1)
    rows = selectors.flows_monthly(user=city_staff, start=year, end=TODAY)
    inflow, outflow = Counter(), Counter()
    for row in rows:
        inflow[row.district_id] += row.inflow
        outflow[row.district_id] += row.outflow
    assert len(inflow) == 13
    assert len(set(inflow.values())) >= 8 and len(set(outflow.values())) >= 5  # not one figure everywhere
    assert sum(1 for code in inflow if outflow[code]) >= 10  # most districts also lose someone
    net = {code: inflow[code] - outflow[code] for code in inflow}
    assert net[HEPING] < 0 and outflow[HEPING] >= inflow[HEPING] * history.NET_OUTFLOW_MARGIN
    assert min(net, key=net.get) == HEPING and sum(v > 0 for v in net.values()) >= 10
    # its high-level talents who left the city this year (流失预警): several, each without an open spell
    left = Move.objects.filter(from_district_id=HEPING, to_district__isnull=True, on__gte=year,
                               talent__talent_category__in=["A", "B", "C"])
    assert left.count() >= history.HIGH_LEVEL_LEAVERS_MIN
    recent = left.filter(on__gte=TODAY - dt.timedelta(days=history.RECENT_DAYS), on__lt=TODAY)
    assert recent.count() >= history.HIGH_LEVEL_LEAVERS_MIN  # a 流失预警 looking back 90 days finds them
    assert not EmploymentSpell.objects.filter(talent__in=left.values("talent"), ended_on__isnull=True).exists()
    # some moved between districts over the five years, some came from outside, some left
    window = Move.objects.filter(on__gte=history.WINDOW_START)
    assert window.filter(from_district__isnull=False, to_district__isnull=False).count() > 100
    assert window.filter(from_district__isnull=True).count() > window.filter(to_district__isnull=True).count() > 20
    # 浑南区 draws people from the others; 和平区 gives
    links = Counter({(a, b): n for a, b, n in selectors.moves_between(user=city_staff, start=history.WINDOW_START,
                                                                       end=TODAY) if a and b})
    assert sum(n for (a, _), n in links.items() if a == HEPING) > sum(n for (_, b), n in links.items() if b == HEPING)


def test_origins_are_believable(pool):
    origins = list(Origin.objects.values("kind", "channel", "country", "province_code", "talent__returnee",
                                         "talent__talent_category", "inferred"))
    assert not any(o["inferred"] for o in origins)  # as recorded: a later change of the record keeps them
    kinds = Counter(o["kind"] for o in origins)
    assert kinds[OriginKind.LOCAL] > kinds[OriginKind.DOMESTIC] > kinds[OriginKind.OVERSEAS] > 0
    assert all((o["kind"] == OriginKind.OVERSEAS) == o["talent__returnee"] for o in origins)
    assert all(o["country"] for o in origins if o["kind"] == OriginKind.OVERSEAS)
    assert len({o["province_code"] for o in origins if o["kind"] == OriginKind.DOMESTIC}) >= 8
    channels = Counter(o["channel"] for o in origins)
    assert len(channels) >= 10 and channels["unknown"] < SIZE * 0.1
    high_overseas = Counter(o["channel"] for o in origins if o["kind"] == OriginKind.OVERSEAS
                            and o["talent__talent_category"] in ("A", "B", "C"))
    assert {"overseas_fair", "startup_week", "challenge"} <= set(high_overseas)
    skilled = Counter(o["channel"] for o in origins if o["talent__talent_category"] == "" and
                      o["kind"] != OriginKind.OVERSEAS)
    assert "campus" in skilled and "challenge" not in skilled  # 揭榜挂帅 brings high-level talent only


def test_same_seed_same_history_and_running_again_writes_nothing(pool):
    talents, orgs = history.demo_talents(without_history=False), history.demo_organizations()
    first = history.history_frames(talents, orgs, seed=3, today=TODAY)
    again = history.history_frames(talents, orgs, seed=3, today=TODAY)
    other = history.history_frames(talents, orgs, seed=4, today=TODAY)
    assert all(a.equals(b) for a, b in zip(first, again, strict=True))
    assert not first[1].equals(other[1])
    # what was written is what the seed draws
    written = pl.DataFrame(list(Move.objects.order_by("talent_id", "on", "id").values_list(
        "talent_id", "from_district_id", "to_district_id", "on")), orient="row",
        schema=["talent_id", "from_district_id", "to_district_id", "on"])
    assert written.equals(first[1].select(written.columns).sort(["talent_id", "on"]))
    assert history.history_demo_load(seed=3).talents == 0
    assert Move.objects.count() == pool.moves


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_postgresql_copy_writes_the_same_and_restores_the_indexes():
    def schema():
        with connection.cursor() as cursor:
            cursor.execute("""SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)
                              UNION ALL SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                              WHERE conrelid::regclass::text = ANY(%s) ORDER BY 1, 2""", [history.TABLES] * 2)
            return cursor.fetchall()

    before = schema()
    demo_load(seed=3, size=1500)
    result = history.history_demo_load(seed=3)
    assert schema() == before
    still_here = EmploymentSpell.objects.filter(ended_on__isnull=True).count()
    assert result.talents == 1500 == still_here + Move.objects.filter(to_district__isnull=True).count()
    talent = Talent.objects.filter(spells__ended_on__isnull=True).order_by("id").first()
    with pytest.raises(IntegrityError), transaction.atomic():  # the restored partial unique index still guards
        EmploymentSpell.objects.create(talent=talent, district_id=talent.district_id, started_on=TODAY,
                                       reason="other")


def test_rencai_demo_writes_the_history_and_a_reset_writes_it_again(settings, tmp_path):
    import io

    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path

    def snapshot():
        return (sorted(Move.objects.values_list("talent__id_number_hash", "from_district_id", "to_district_id", "on"),
                       key=str),
                sorted(Origin.objects.values_list("talent__id_number_hash", "kind", "channel", "province_code")))

    out = io.StringIO()
    call_command("demo", size=300, seed=5, stdout=out)
    assert "人才流动历史" in out.getvalue()
    demo = Talent.objects.filter(source="demo")
    assert Origin.objects.filter(talent__in=demo).count() == demo.count() == 300
    assert not demo.exclude(spells__isnull=False).exists()
    first = snapshot()
    call_command("demo", size=300, seed=5, reset=True, stdout=io.StringIO())
    assert snapshot() == first
