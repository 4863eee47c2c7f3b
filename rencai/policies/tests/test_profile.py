"""Bad input is a ProfileError naming the field in Chinese and English; missing facts make 'unknown'."""

import datetime as dt

import pytest

from rencai.policies.calculator import ProfileError, calculate
from rencai.policies.tests.helpers import result_for

BASE = {"as_of": "2023-06-01", "city": "shenyang"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"as_of": "2023-6-1"}, "as_of"),
        ({"as_of": "2023-02-30"}, "as_of"),
        ({"city": "beijing"}, "city"),
        ({"city": "210200"}, "city"),
        ({"degree": "phd"}, "degree"),
        ({"birth_date": "2024-01-01"}, "birth_date"),
        ({"returnee": "yes"}, "returnee"),
        ({"talent_category": "E"}, "talent_category"),
        ({"honors": ["nobel"]}, "honors"),
        ({"housing": {"monthly_rent": -1}}, "housing.monthly_rent"),
        ({"housing": {"rent_area_sqm": 0}}, "housing.rent_area_sqm"),
        ({"housing": {"monthly_rent": 100.123}}, "housing.monthly_rent"),
        ({"housing": {"monthly_rent": True}}, "housing.monthly_rent"),
        ({"housing": {"rooms": 2}}, "housing.rooms"),
        ({"employment": {"employer_type": "ngo"}}, "employment.employer_type"),
        ({"purchase": {"date": "2024-01-01"}}, "purchase.date"),
        ({"training": [{"kind": "startup_guidance"}]}, "training[0].certified"),
        ({"received": ["no-such-policy"]}, "received"),
        ({"nickname": "x"}, "nickname"),
    ],
)
def test_bad_input_names_the_field(change, field):
    with pytest.raises(ProfileError) as caught:
        calculate({**BASE, **change})
    assert caught.value.field == field
    assert caught.value.message_zh and caught.value.message_en
    assert field in str(caught.value)


def test_as_of_is_required_unless_given_as_argument():
    with pytest.raises(ProfileError) as caught:
        calculate({"city": "shenyang"})
    assert caught.value.field == "as_of"
    assert calculate({"city": "shenyang"}, as_of=dt.date(2023, 6, 1))["as_of"] == "2023-06-01"


def test_argument_as_of_overrides_the_profile():
    result = calculate({**BASE, "birth_date": "1985-06-15"}, as_of=dt.date(2023, 6, 15))
    assert result["person"]["age"] == 38


def test_not_a_mapping_is_an_error():
    with pytest.raises(ProfileError):
        calculate(["not", "a", "profile"])  # type: ignore[arg-type]


def test_missing_fact_gives_unknown_naming_the_field():
    profile = {**BASE, "degree": "doctor", "housing": {"renting": True, "monthly_rent": 3000,
                                                        "rent_area_sqm": 60}}
    result = result_for(profile, "sy-rent-subsidy")
    assert result["eligible"] == "unknown"
    assert result["missing"] == ["birth_date"]
    # The reason names the field in the words people read; the key is in "missing" for programs.
    assert "出生日期" in result["reasons"][0] and "birth_date" not in result["reasons"][0]
    assert result["monthly_amount"] is None


def test_missing_city_never_decides_yes_or_no_on_the_place():
    results = calculate({"as_of": "2023-06-01", "degree": "doctor"})["results"]
    for r in results:
        assert r["eligible"] in (False, "unknown"), r["policy"]
        if r["eligible"] is False:  # false whatever the city: ended in 2020, or no training at all
            assert not r["decided_by"].endswith("/jurisdiction"), r["policy"]
        else:
            assert "city" in r["missing"], r["policy"]
    assert result_for({"as_of": "2023-06-01"}, "sy-rent-subsidy")["missing"][0] == "city"


def test_a_definite_failure_outweighs_a_missing_field():
    # Age unknown, but a junior-college graduate gets no living subsidy whatever the age.
    result = result_for({**BASE, "degree": "junior_college"}, "sy-living-subsidy-graduate")
    assert result["eligible"] is False


def test_decimal_rent_is_exact_and_rounded_half_up_to_the_fen():
    # 1234.57 × 75/80 × 50% = 578.7046875 → 578.70
    profile = {**BASE, "birth_date": "1990-01-01", "degree": "doctor",
               "housing": {"renting": True, "monthly_rent": "1234.57", "rent_area_sqm": 80}}
    result = result_for(profile, "sy-rent-subsidy")
    assert str(result["monthly_amount"]) == "578.70"


def test_received_policy_is_not_counted_twice_and_excludes_its_group_partner():
    profile = {**BASE, "degree": "doctor", "employment": {"employer_type": "enterprise"},
               "received": ["sy-living-subsidy-graduate"]}
    assert result_for(profile, "sy-living-subsidy-graduate")["eligible"] is False
    profile["birth_date"] = "1990-01-01"
    profile["housing"] = {"renting": True, "monthly_rent": 2000, "rent_area_sqm": 50}
    rent = result_for(profile, "sy-rent-subsidy")
    assert rent["eligible"] is False
    assert rent["decided_by"] == "sy-rent-subsidy/exclusive"


def test_manual_for_category_a_purchase_has_no_amount():
    profile = {**BASE, "talent_category": "A", "honors": ["top_talent_award"]}
    result = result_for(profile, "sy-purchase-subsidy-high-level")
    assert result["eligible"] == "manual"
    assert result["one_time_amount"] is None and result["total"] is None
    assert any("一人一议" in r for r in result["reasons"])


def test_category_b_gets_1_5_million_for_a_first_home():
    profile = {**BASE, "talent_category": "B", "honors": ["top_talent_award"],
               "purchase": {"date": "2023-01-01", "first_home": True}}
    assert result_for(profile, "sy-purchase-subsidy-high-level")["one_time_amount"] == 1500000
