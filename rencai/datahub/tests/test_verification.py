"""The engine reads verified facts (issue 16): a department's feed is taken over a declaration in the profile a
policy is evaluated on — for one talent and for the whole registry alike —, the explanation and a frozen
application name the source of each deciding fact, and 政策找人's incremental run re-evaluates a talent whose
verified facts changed."""

import datetime as dt
import random

import polars as pl
import pytest
from django.urls import reverse
from django.utils import timezone

from rencai.core import crypto
from rencai.datahub import services, verification
from rencai.datahub.enums import FactKind, Resolution
from rencai.datahub.models import Discrepancy, Verification
from rencai.policies.batch import STATUS, evaluate_frame
from rencai.policies.calculator import calculate
from rencai.policies.matching import match_run
from rencai.policies.models import PolicyMatch
from rencai.policies.registry import registry_frame, talent_profile
from rencai.talents.models import Talent

from .factories import SI_HEADER, csv_bytes, feed

pytestmark = pytest.mark.django_db
DEGREE_HEADER = ["姓名", "证件号码", "学历", "毕业院校", "毕业日期"]
PROPERTY_HEADER = ["姓名", "证件号码", "登记日期", "房屋用途"]


def _load(f, header, rows, name="数据.csv"):
    load = services.load_from_bytes(feed_id=f.pk, raw=csv_bytes(header, rows), file_name=name)
    return services.load_run(load_id=load.pk)


def _number(talent) -> str:
    return crypto.decrypt(talent.id_number_cipher)


def _result(talent, policy, as_of=None):
    as_of = as_of or timezone.localdate()
    return next(r for r in calculate(talent_profile(talent, as_of=as_of))["results"] if r["policy"] == policy)


def _frame_status(talent, policy, as_of=None):
    as_of = as_of or timezone.localdate()
    frame = registry_frame(as_of=as_of).filter(pl.col("person_id") == talent.pk).drop("district")
    return evaluate_frame(frame, as_of=as_of, policies=[policy]).row(0, named=True)[f"{policy}.status"]


def test_a_verified_degree_is_taken_over_the_declared_one(make_talent):
    talent = make_talent(name="钱硕士", highest_degree="硕士", graduation_date="2022-07-01")
    assert _result(talent, "sy-living-subsidy-graduate")["monthly_amount"] == 1200
    degrees = feed(FactKind.DEGREE, name="学历学位认证数据", cadence="on_change")
    _load(degrees, DEGREE_HEADER, [[talent.name, _number(talent), "博士", "东北大学", "2024-06-30"],
                                   [talent.name, _number(talent), "硕士", "东北大学", "2021-06-30"]])
    row = Verification.objects.get(talent=talent)
    assert (row.degree, row.graduation_date) == ("doctor", dt.date(2024, 6, 30))  # the highest of the two
    living = _result(talent, "sy-living-subsidy-graduate")
    assert living["monthly_amount"] == 2500
    assert _frame_status(talent, "sy-living-subsidy-graduate") == STATUS[living["eligible"]]
    assert talent_profile(talent, as_of=timezone.localdate())["graduation_date"] == "2024-06-30"


def test_a_home_in_the_feed_ends_the_rent_subsidy_and_a_wrong_feed_is_set_aside(make_talent, heping_staff):
    talent = make_talent(name="孙租房")  # 博士, renting 80㎡ for 3200, enterprise employee
    assert _result(talent, "sy-rent-subsidy")["eligible"] is True
    homes = feed(FactKind.PROPERTY, name="不动产登记数据", cadence="on_change")
    _load(homes, PROPERTY_HEADER, [[talent.name, _number(talent), "2025-03-01", "住宅"]])
    assert Verification.objects.get(talent=talent).owns_home
    assert _result(talent, "sy-rent-subsidy")["eligible"] is False
    assert _frame_status(talent, "sy-rent-subsidy") == STATUS[False]
    # Staff find the feed wrong (申报信息属实): the registered home no longer counts.
    item = Discrepancy.objects.get(talent=talent, field="housing_status")
    services.discrepancy_transition(actor=heping_staff, discrepancy_id=item.pk,
                                    resolution=Resolution.DECLARATION_UPHELD, note="已售出，提供了交易合同")
    assert not Verification.objects.get(talent=talent).owns_home
    assert _result(talent, "sy-rent-subsidy")["eligible"] is True
    assert _frame_status(talent, "sy-rent-subsidy") == STATUS[True]


def test_social_insurance_stopped_in_the_latest_month_means_not_working_in_the_city(make_talent):
    talent = make_talent(name="李社保", employer_type="企业")  # registered by staff: employment confirmed
    si = feed(name="社会保险缴费数据")
    _load(si, SI_HEADER, [[talent.name, _number(talent), "2026-10", "正常缴费", "和平区", "6000"]])
    first = Verification.objects.get(talent=talent)
    assert first.insured_in_city and first.insured_month == dt.date(2026, 10, 1)
    assert talent_profile(talent, as_of=timezone.localdate())["employment"]["in_city"] is True
    # An older month delivered late changes nothing; the next month paid again moves the month, not changed_at.
    _load(si, SI_HEADER, [[talent.name, _number(talent), "2026-09", "暂停缴费", "和平区", "6000"]], name="9月.csv")
    _load(si, SI_HEADER, [[talent.name, _number(talent), "2026-11", "正常缴费", "和平区", "6000"]], name="11月.csv")
    again = Verification.objects.get(talent=talent)
    assert again.insured_month == dt.date(2026, 11, 1) and again.insured_in_city
    assert again.changed_at == first.changed_at
    _load(si, SI_HEADER, [[talent.name, _number(talent), "2026-12", "正常缴费", "210000", "6000"]],
          name="12月.csv")
    moved = Verification.objects.get(talent=talent)
    assert moved.insured_in_city is False and moved.changed_at > first.changed_at
    profile = talent_profile(talent, as_of=timezone.localdate())
    assert profile["employment"]["in_city"] is False
    frame = registry_frame(as_of=timezone.localdate()).filter(pl.col("person_id") == talent.pk)
    assert frame.row(0, named=True)["employment.in_city"] is False


def test_the_same_file_again_changes_nothing_and_rebuild_agrees_with_the_loads(make_talent):
    rng = random.Random(7)
    talents = [make_talent(name=f"核验{i}") for i in range(12)]
    degrees = feed(FactKind.DEGREE, name="学历学位认证数据", cadence="on_change")
    si = feed(name="社会保险缴费数据")
    words = {"doctor": "博士", "master": "硕士", "bachelor": "本科"}
    for month in ("2026-08", "2026-09", "2026-10"):
        rows = [[t.name, _number(t), month, rng.choice(["正常缴费", "暂停缴费"]), rng.choice(["和平区", "210000"]),
                 "6000"] for t in talents if rng.random() < 0.8]
        _load(si, SI_HEADER, rows, name=f"{month}.csv")
        rows = [[t.name, _number(t), words[rng.choice(list(words))], "东北大学", f"{rng.randint(2010, 2024)}-07-01"]
                for t in talents if rng.random() < 0.5]
        _load(degrees, DEGREE_HEADER, rows, name=f"学历{month}.csv")
    columns = ["talent_id", "degree", "graduation_date", "degree_fact_id", "insured_month", "insured_in_city",
               "insured_fact_id"]
    kept = sorted(Verification.objects.values_list(*columns))
    assert kept and any(row[5] is False for row in kept) and any(row[1] for row in kept)
    stamps = dict(Verification.objects.values_list("talent_id", "changed_at"))
    last = si.loads.order_by("-pk").first()
    again = services.load_from_bytes(feed_id=si.pk, raw=csv_bytes(SI_HEADER, [
        [t.name, _number(t), "2026-10", "正常缴费", "和平区", "6000"] for t in talents]), file_name="十月更正.csv")
    services.load_run(load_id=again.pk)  # October corrected: all paid in the city
    corrected = dict(Verification.objects.values_list("talent_id", "insured_in_city"))
    assert all(corrected[t.pk] for t in talents)
    moved = {pk for pk, at in Verification.objects.values_list("talent_id", "changed_at") if at != stamps.get(pk)}
    # Moved: those who were not paid in the city (stopped, elsewhere) or had no 社保 month, and the new rows.
    assert moved == {pk for pk, _d, _g, _f, _m, was, _i in kept if was is not True} | (
        {t.pk for t in talents} - set(stamps))
    # Rebuilt from every fact: what the loads kept, one by one.
    kept = sorted(Verification.objects.values_list(*columns))
    assert verification.rebuild() == len(kept)
    assert sorted(Verification.objects.values_list(*columns)) == kept
    assert last.pk < again.pk


def test_the_explanation_and_a_frozen_application_name_each_deciding_facts_source(make_talent, client,
                                                                                   talent_user, talent):
    from rencai.datahub.tests.factories import verify
    from rencai.fulfilment.services import evaluate
    from rencai.policies.selectors import policies_for_talent

    def facts_of(result):
        return {f["label"]: (f["source"], f["verified"]) for f in result["facts"]}

    living = next(r for r in policies_for_talent(talent=talent)["result"]["results"]
                  if r["policy"] == "sy-living-subsidy-graduate")
    assert facts_of(living)["学历"] == ("本人或单位申报", False)
    verify([talent], month="2026-10")
    living = next(r for r in policies_for_talent(talent=talent)["result"]["results"]
                  if r["policy"] == "sy-living-subsidy-graduate")
    facts = facts_of(living)
    assert facts["社保缴纳"] == ("人社局数据，截至2026年10月", True)
    assert facts["学历"][1] and facts["学历"][0].startswith("教育局数据，截至")
    assert facts["所在城市"] == ("公安局数据，截至2026年10月", True)
    frozen = evaluate(talent, "sy-living-subsidy-graduate")
    assert facts_of(frozen["result"]) == facts
    client.force_login(talent_user)
    page = client.get(reverse("talents:me")).content.decode()
    assert "社保缴纳：人社局数据，截至2026年10月" in page


def test_an_incremental_run_re_evaluates_a_talent_whose_verified_facts_changed(make_talent):
    talent = make_talent(name="周增量")
    other = make_talent(name="吴不变")
    as_of = timezone.localdate()
    match_run(as_of=as_of)
    assert PolicyMatch.objects.filter(talent=talent, policy="sy-rent-subsidy").exists()
    # Their registry rows are old news: only the data centre's change can make the next run read the talent.
    Talent.objects.update(updated_at=timezone.now() - dt.timedelta(days=1))
    homes = feed(FactKind.PROPERTY, name="不动产登记数据", cadence="on_change")
    _load(homes, PROPERTY_HEADER, [[talent.name, _number(talent), "2025-03-01", "住宅"]])
    run = match_run(as_of=as_of)
    assert run.mode == run.Mode.INCREMENTAL and run.reevaluated == 1
    assert not PolicyMatch.objects.filter(talent=talent, policy="sy-rent-subsidy").exists()
    assert PolicyMatch.objects.filter(talent=other, policy="sy-rent-subsidy").exists()


def test_a_fact_matched_later_verifies_the_talent_who_registered_since(make_talent):
    from rencai.conftest import make_resident_id

    number = make_resident_id("210102")
    si = feed(name="社会保险缴费数据")
    _load(si, SI_HEADER, [["冯后来", number, "2026-10", "正常缴费", "和平区", "6000"]])
    assert not Verification.objects.exists()  # not in the registry yet: kept unmatched
    talent = make_talent(name="冯后来", id_number=number)
    _load(si, SI_HEADER, [["冯后来", number, "2026-10", "正常缴费", "和平区", "6000"]], name="again.csv")
    row = Verification.objects.get(talent=talent)  # the same content again: matched, and verified
    assert row.insured_in_city and row.insured_month == dt.date(2026, 10, 1)

