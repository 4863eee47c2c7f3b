"""政策找人 over the registry: the registry frame agrees with the single-person profile, runs are stored and
scoped to the jurisdiction, and a Dask cluster gives the same answer as the in-process run."""

import datetime as dt
import io

import polars as pl
import pytest
from django.db import connection
from openpyxl import load_workbook

from rencai.demo.generator import demo_load
from rencai.policies.batch import STATUS, evaluate_frame
from rencai.policies.calculator import calculate, default_catalog
from rencai.policies.distributed import evaluate_distributed
from rencai.policies.matching import match_run
from rencai.policies.models import MatchRun, PolicyMatch
from rencai.policies.registry import registry_frame, talent_profile
from rencai.talents.models import Talent

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2024, 6, 1)


def fen(value) -> int | None:
    return None if value is None else int(value * 100)


def _verified_at_random(seed: int) -> None:
    """Verification rows (what the data centre vouches for) for a third of the registry, every override mixed:
    a degree above or below the declared one, a returnee certificate, a skill level (初级工 included), a home,
    social insurance paid elsewhere."""
    import random

    from django.utils import timezone

    from rencai.datahub.models import Verification

    rng, now = random.Random(seed), timezone.now()
    rows = []
    for pk in Talent.objects.order_by("pk").values_list("pk", flat=True)[::3]:
        rows.append(Verification(
            talent_id=pk, degree=rng.choice(["", "bachelor", "master", "doctor"]),
            graduation_date=dt.date(rng.randint(2012, 2024), 7, 1), returnee=rng.random() < 0.3,
            skill_level=rng.choice(["", "junior_worker", "senior_worker", "technician"]), owns_home=rng.random() < 0.3,
            insured_in_city=rng.choice([None, True, False]), changed_at=now, updated_at=now))
    Verification.objects.bulk_create(rows)


def test_registry_frame_agrees_with_the_single_person_profile():
    demo_load(seed=3, size=300)
    _verified_at_random(3)
    results = evaluate_frame(registry_frame(as_of=AS_OF).drop("district"), as_of=AS_OF)
    rows = {row["person_id"]: row for row in results.iter_rows(named=True)}
    checked = 0
    for talent in Talent.objects.select_related("district").order_by("pk"):
        single = calculate(talent_profile(talent, as_of=AS_OF))
        for result in single["results"]:
            pid = result["policy"]
            row = rows[talent.pk]
            assert row[f"{pid}.status"] == STATUS[result["eligible"]], (talent.pk, pid)
            assert row[f"{pid}.code"] == result["decided_by"], (talent.pk, pid)
            if f"{pid}.monthly_fen" in row:
                assert row[f"{pid}.monthly_fen"] == fen(result["monthly_amount"]), (talent.pk, pid)
                assert row[f"{pid}.total_fen"] == fen(result["total"]), (talent.pk, pid)
            checked += 1
    assert checked == 300 * len(default_catalog().person_policies())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY reader is PostgreSQL's")
def test_the_copy_reader_reads_what_the_orm_reads(make_talent):
    """PostgreSQL's reader (columns computed by the database, one COPY) and the ORM's give the same frame,
    honours with repeats, rents, unconfirmed employment, received policies and a queryset's scope included."""
    from rencai.payments.models import Entitlement
    from rencai.policies.registry import _orm_frame, _postgres_frame
    from rencai.recognition.selectors import categories_on

    demo_load(seed=5, size=400)
    odd = make_talent(name="多荣誉者", monthly_rent="3333.33")
    Talent.objects.filter(pk=odd.pk).update(honors=["national_talent_plan", "a,b\"c", "national_talent_plan"])
    Entitlement.objects.create(talent=odd, policy="sy-rent-subsidy", monthly_fen=150000, months=12,
                               start_month=dt.date(2024, 1, 1), end_month=dt.date(2024, 12, 1))
    _verified_at_random(5)
    recognised = categories_on(on=AS_OF)
    for scope in (None, Talent.objects.filter(district_id="210102")):
        fast, orm = _postgres_frame(scope, AS_OF, recognised), _orm_frame(scope, AS_OF, recognised)
        assert fast.height == orm.height > 0
        assert fast.equals(orm), fast.join(orm, on="person_id", suffix="_orm").head()
    row = registry_frame(as_of=AS_OF).filter(pl.col("person_id") == odd.pk).row(0, named=True)
    assert row["received"] == ["sy-rent-subsidy"] and row["housing.monthly_rent"] == 333333


def test_a_run_stores_who_is_entitled_and_not_yet_received(make_talent):
    renting_doctor = make_talent(name="租房博士")  # 和平区, 博士 2021, renting 80㎡ for 3200
    owner = make_talent(name="有房者", housing_status="本市自有住房", monthly_rent="", rent_area_sqm="")
    run = match_run(as_of=AS_OF)
    assert run.status == MatchRun.Status.FINISHED and run.talents == 2
    rent = PolicyMatch.objects.get(run=run, talent=renting_doctor, policy="sy-rent-subsidy")
    assert rent.monthly_fen == 150000 and rent.total_fen is None and rent.district.code == "210102"
    assert not PolicyMatch.objects.filter(run=run, talent=owner, policy="sy-rent-subsidy").exists()
    living = PolicyMatch.objects.get(run=run, talent=renting_doctor, policy="sy-living-subsidy-graduate")
    assert (living.monthly_fen, living.total_fen) == (250000, 9000000)
    assert run.matches == PolicyMatch.objects.filter(run=run).count()


def test_received_policies_are_left_out():
    from rencai.policies.matching import match_rows

    frame = pl.DataFrame({"person_id": [1, 2], "received": [["sy-rent-subsidy"], []]})
    results = pl.DataFrame({
        "person_id": [1, 2], "sy-rent-subsidy.status": [1, 1], "sy-rent-subsidy.code": ["a", "a"],
        "sy-rent-subsidy.monthly_fen": [100, 200], "sy-rent-subsidy.one_time_fen": [None, None],
        "sy-rent-subsidy.total_fen": [None, None],
    }, schema_overrides={"sy-rent-subsidy.status": pl.UInt8, "sy-rent-subsidy.one_time_fen": pl.Int64,
                         "sy-rent-subsidy.total_fen": pl.Int64})
    rows = match_rows(frame, results)
    assert rows["person_id"].to_list() == [2] and rows["monthly_fen"].to_list() == [200]


def test_summary_page_is_scoped_and_exports(client, heping_staff, hunnan_staff, make_talent):
    make_talent(name="和平博士")
    make_talent(name="浑南博士", district="浑南区")
    make_talent(name="浑南博士二", district="浑南区")
    match_run(as_of=AS_OF)
    client.force_login(heping_staff)
    html = client.get("/policies/matches/").content.decode()
    assert 'data-policy="sy-rent-subsidy"' in html
    row = html.split('data-policy="sy-rent-subsidy"')[1].split("</tr>")[0]
    assert '<td class="num-eligible">1</td>' in row and "1,500.00" in row
    client.force_login(hunnan_staff)
    row = client.get("/policies/matches/").content.decode().split('data-policy="sy-rent-subsidy"')[1]
    assert '<td class="num-eligible">2</td>' in row.split("</tr>")[0] and "3,000.00" in row.split("</tr>")[0]
    listing = client.get("/policies/matches/sy-rent-subsidy/").content.decode()
    assert "浑南博士" in listing and "和平博士" not in listing
    sheet = load_workbook(io.BytesIO(client.get("/policies/matches/sy-rent-subsidy/export.xlsx").getvalue())).active
    names = sorted(r[0] for r in sheet.iter_rows(min_row=2, values_only=True))
    assert names == ["浑南博士", "浑南博士二"]
    assert client.get("/policies/matches/no-such-policy/").status_code == 404


def test_talents_cannot_open_the_match_pages(client, make_user):
    client.force_login(make_user("someone", "talent"))
    assert client.get("/policies/matches/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_dask_cluster_gives_the_same_answer_as_in_process():
    from dask.distributed import LocalCluster

    demo_load(seed=9, size=400)
    frame = registry_frame(as_of=AS_OF).drop("district")
    local = evaluate_frame(frame, as_of=AS_OF)
    # Worker processes of their own, as on a real cluster: they unpickle the task without Django.
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, protocol="tcp",
                      dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://")
        distributed = evaluate_distributed(frame, as_of=AS_OF, address=cluster.scheduler_address, partitions=3)
    assert distributed.equals(local)



def test_an_option_not_chosen_is_not_counted_in_the_totals(client, city_staff, make_talent):
    """An enterprise employee renting 80㎡ for 3200 (博士): rent 1500/month or living 2500/month, not both —
    the living subsidy is recommended, and the rent subsidy is listed but kept out of the totals."""
    make_talent(name="企业博士", employer_type="企业")
    run = match_run(as_of=AS_OF)
    rent = PolicyMatch.objects.get(run=run, policy="sy-rent-subsidy")
    living = PolicyMatch.objects.get(run=run, policy="sy-living-subsidy-graduate")
    assert (rent.exclusive_group, rent.alternative) == ("sy-housing-or-living", True)
    assert (living.exclusive_group, living.alternative) == ("sy-housing-or-living", False)
    client.force_login(city_staff)
    html = client.get("/policies/matches/").content.decode()
    row = html.split('data-policy="sy-rent-subsidy"')[1].split("</tr>")[0]
    assert '<td class="num-eligible">1</td>' in row and '<td class="num-alternative">1</td>' in row
    assert '<td class="sum-monthly">—</td>' in row


def test_an_unreachable_cluster_is_a_clear_error_and_the_run_is_marked_failed(monkeypatch):
    import functools

    from django.core.management import CommandError, call_command

    from rencai.policies import matching

    # Nothing listens on port 9: the client would retry for its whole timeout (20 s) before giving up.
    monkeypatch.setattr(matching, "evaluate_distributed", functools.partial(evaluate_distributed, timeout="2s"))
    with pytest.raises(CommandError, match="无法连接 Dask 集群"):
        call_command("match", "--dask", "tcp://127.0.0.1:9", "--as-of", "2024-06-01")
    assert MatchRun.objects.get().status == MatchRun.Status.FAILED
