"""The portal calculator's questions → the contract's profile: 不知道 leaves a field out (and, where the contract
reads a missing field as "none", marks it unknown), the engine answers "unknown" naming what is missing, and the
page names it in plain Chinese as the question to answer. Then the result's three parts."""

import datetime as dt

import pytest
from django.utils import timezone

from rencai.policies.calculator import calculate, default_catalog
from rencai.policies.engine import expr as ex
from rencai.policies.fields import FIELDS, input_fields
from rencai.policies.forms import CalculatorForm
from rencai.policies.presenting import UNANSWERABLE, arrange_results

AS_OF = "2026-06-01"
# The demo talent: a returnee 博士 recognised as D, in Shenyang, renting, at an enterprise.
DEMO = {
    "as_of": AS_OF, "city": "shenyang", "birth_date": "1990-03-01", "returnee": "yes", "degree": "doctor",
    "graduation_date": "2021-07-01", "talent_category": "D", "professional_title": "none", "skill_level": "none",
    "honors": ["none"], "training": "none", "employer_type": "enterprise", "renting": "yes",
    "monthly_rent": "3000", "rent_area_sqm": "60", "bought_home": "no",
}


def answered(**answers):
    form = CalculatorForm(answers)
    assert form.is_valid(), form.errors
    result = calculate(form.profile(), unknown=form.unknown_fields())
    return form, result, {r["policy"]: r for r in result["results"]}


def test_every_question_left_at_unknown_sends_nothing_but_the_day():
    form = CalculatorForm({"as_of": AS_OF, "city": ""})
    assert form.is_valid(), form.errors
    assert form.profile() == {"as_of": AS_OF}
    assert set(form.unknown_fields()) == {"talent_category", "professional_title", "skill_level", "honors",
                                          "certified_training", "has_purchase"}


def test_the_demo_talents_answers_become_the_contract_profile():
    form = CalculatorForm(DEMO)
    assert form.is_valid(), form.errors
    assert form.profile() == {
        "as_of": AS_OF, "city": "shenyang", "birth_date": "1990-03-01", "returnee": True, "degree": "doctor",
        "graduation_date": "2021-07-01", "talent_category": "D",
        "employment": {"employer_type": "enterprise", "in_city": True},
        "housing": {"renting": True, "monthly_rent": 3000, "rent_area_sqm": 60},
    }
    assert form.unknown_fields() == []  # 没有 is an answer: nothing is left unknown


def test_unknown_returnee_gives_unknown_naming_the_question_in_chinese():
    form, result, by_id = answered(as_of=AS_OF, city="nantong", degree="master", graduation_date="2025-07-01")
    station = by_id["nt-youth-station"]
    assert station["eligible"] == "unknown" and station["missing"] == ["returnee"]
    assert station["reasons"] == ["信息不全，无法判断：缺少 留学回国人员"]
    could = {r["policy"]: r for r in arrange_results(result, question=form.question)["could"]}
    assert could["nt-youth-station"]["answers"] == [{"label": "是否留学回国人员", "anchor": "q-returnee"}]
    # Answered, the same policy is decided either way.
    assert answered(as_of=AS_OF, city="nantong", degree="master", graduation_date="2025-07-01",
                    returnee="yes")[2]["nt-youth-station"]["eligible"] is True
    assert answered(as_of=AS_OF, city="nantong", degree="master", graduation_date="2025-07-01",
                    returnee="no")[2]["nt-youth-station"]["eligible"] is False


def test_unknown_category_is_not_the_same_as_no_category():
    _, _, unknown = answered(as_of=AS_OF, city="shenyang")
    _, _, none = answered(as_of=AS_OF, city="shenyang", talent_category="none")
    _, _, c = answered(as_of=AS_OF, city="shenyang", talent_category="C")
    specialist = "sy-high-level-specialist"
    assert unknown[specialist]["eligible"] == "unknown" and unknown[specialist]["missing"] == ["talent_category"]
    assert "缺少 人才类别" in unknown[specialist]["reasons"][0]
    assert none[specialist]["eligible"] is False
    assert c[specialist]["eligible"] is True


@pytest.mark.parametrize(("answers", "policy", "label"), [
    ({"honors": [], "as_of": "2020-06-01"}, "ln-craftsman-award", "获得的荣誉"),  # in force until 2020
    ({"bought_home": ""}, "sy-purchase-subsidy-graduate", "是否买过住房"),
    ({"bought_home": "yes"}, "sy-purchase-subsidy-graduate", "购房日期"),  # with 是否首套住房, at once
    ({"skill_level": ""}, "sy-living-subsidy-skilled", "职业技能等级"),
])
def test_unknown_none_fields_name_their_question(answers, policy, label):
    base = {"as_of": "2022-06-01", "city": "shenyang", "degree": "doctor", "graduation_date": "2019-07-01",
            "employer_type": "enterprise", "talent_category": "none", "skill_level": "none", "honors": ["none"],
            "bought_home": "no", "training": "none", "professional_title": "none"}
    form, result, by_id = answered(**{**base, **answers})
    assert by_id[policy]["eligible"] == "unknown", by_id[policy]["reasons"]
    item = next(r for r in arrange_results(result, question=form.question)["could"] if r["policy"] == policy)
    assert label in [a["label"] for a in item["answers"]]
    assert all(a["anchor"].startswith("q-") for a in item["answers"])


def test_training_answers_map_to_certified_training():
    assert answered(as_of=AS_OF, city="shenyang", training="both")[2]["ln-startup-training-subsidy"][
        "one_time_amount"] == 2000
    assert answered(as_of=AS_OF, city="shenyang", training="startup_guidance")[2]["ln-startup-training-subsidy"][
        "one_time_amount"] == 500
    assert answered(as_of=AS_OF, city="shenyang", training="none")[2]["ln-startup-training-subsidy"][
        "eligible"] is False
    assert answered(as_of=AS_OF, city="shenyang")[2]["ln-startup-training-subsidy"]["eligible"] == "unknown"


def test_every_field_a_policy_needs_is_asked_or_said_who_decides_it():
    """Whatever a person policy of the catalog may find missing is named as a question of the form, or as a fact
    someone else decides (never a field key): no talent is asked what they cannot know."""
    form = CalculatorForm()
    needed = set()
    for policy in default_catalog().person_policies():
        nodes = [c.test for c in policy.conditions] + [r.when for let in policy.lets for r in let.rows]
        nodes += [let.expr for let in policy.lets if let.expr is not None]
        if policy.amount:
            nodes += [n for n in (policy.amount.monthly, policy.amount.one_time) if n is not None]
        for node in nodes:
            for name in ex.names_used(node):
                if name in FIELDS and name not in ("as_of", "received"):
                    needed.update(input_fields(name))
    assert "housing.apartment_available" in needed  # the catalog does need it ...
    assert "apartment_available" not in form.fields  # ... and the talent is not asked
    for name in needed:
        assert form.question(name) or name in UNANSWERABLE, name


def test_a_fact_only_the_office_knows_is_said_to_be_decided_by_it():
    form, result, by_id = answered(as_of=AS_OF, city="shenyang", talent_category="C")
    assert by_id["sy-apartment-free-rent"]["missing"] == ["housing.apartment_available"]
    item = next(r for r in arrange_results(result, question=form.question)["could"]
                if r["policy"] == "sy-apartment-free-rent")
    assert item["answers"] == [] and "住房保障部门" in item["decided_elsewhere"][0]
    assert "A类人才 → 免租补贴上限每月5000元" in item["standard"]


def test_checks_between_answers_are_all_reported_at_once():
    form = CalculatorForm({"as_of": "2024-01-01", "city": "shenyang", "birth_date": "2025-01-01",
                           "graduation_date": "2020-01-01", "bought_home": "no", "purchase_date": "2023-01-01",
                           "honors": ["none", "liaoning_craftsman"], "monthly_rent": "abc"})
    assert not form.is_valid()
    assert set(form.errors) == {"birth_date", "graduation_date", "purchase_date", "honors", "monthly_rent"}
    assert "出生日期不能晚于计算日期（2024-01-01）" in form.errors["birth_date"]
    assert "毕业日期不能早于出生日期" in form.errors["graduation_date"]
    assert "每月房租应为数字" in form.errors["monthly_rent"]


def test_the_date_loads_as_today_in_the_format_a_date_picker_reads():
    html = str(CalculatorForm()["as_of"])
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in html and 'type="date"' in html
    form = CalculatorForm({"as_of": "2026/12/01", "city": "shenyang"})  # a slashed date is still read
    assert form.is_valid() and form.cleaned_data["as_of"] == dt.date(2026, 12, 1)
    answered_without_a_day = CalculatorForm({"city": "shenyang"})  # after 计算, the day used is shown
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in str(answered_without_a_day["as_of"])


def test_the_result_puts_what_they_get_first_and_folds_the_rest():
    form, result, _ = answered(**DEMO)
    arranged = arrange_results(result, question=form.question)
    get = [r["policy"] for r in arranged["get"]]
    assert get[:2] == ["sy-living-subsidy-graduate", "sy-rent-subsidy"]  # the most money first
    folded = {r["policy"]: r["folded_as"] for r in arranged["folded"]}
    assert folded["nt-youth-station"] == "其他地区" and folded["zz-talent-loan"] == "其他地区"
    assert folded["ln-academician-grant"] == "已失效"
    assert folded["sy-purchase-subsidy-high-level"] == "不符合"
    parts = [set(get), {r["policy"] for r in arranged["could"]}, set(folded)]
    assert sum(map(len, parts)) == len(result["results"]) and len(set.union(*parts)) == len(result["results"])
    counts = {label: list(folded.values()).count(label) for label in set(folded.values())}
    for label, n in counts.items():
        assert f"{label} {n} 项" in arranged["folded_summary"]
    # The competitive programme is something they could get, with what it takes.
    urgent = next(r for r in arranged["could"] if r["policy"] == "sy-urgent-talent-reward")
    assert urgent.get("program") is True


def test_a_home_not_yet_bought_is_what_they_could_get_with_the_deadline():
    form, result, _ = answered(**{**DEMO, "as_of": "2024-06-01"})
    item = next(r for r in arrange_results(result, question=form.question)["could"]
                if r["policy"] == "sy-purchase-subsidy-graduate")
    assert item["hints"] == ["如在2026-07-01前（含当日）在沈首次购房，可获70000元首次购房补贴"]


def test_without_a_city_what_they_could_get_is_grouped_by_where_they_would_be():
    form, result, _ = answered(as_of=AS_OF, city="", degree="doctor", returnee="yes")
    arranged = arrange_results(result, question=form.question)
    regions = [region for region, _ in arranged["could_by_region"]]
    assert regions[0] == "沈阳市" and "辽宁省" in regions and "南通市" in regions
    assert not any("city" in r["missing"] for r in arranged["could"])
