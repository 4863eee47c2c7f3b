"""Every threshold read per 《民法典》第一千二百五十九条: 以上/以下/以内/届满 include the number."""

import datetime as dt

import pytest

from rencai.policies.engine.expr import add_years, full_years
from rencai.policies.tests.helpers import result_for

D = dt.date


def _renting_doctor(birth: str, as_of: str, degree: str = "doctor") -> dict:
    return {
        "as_of": as_of, "city": "shenyang", "birth_date": birth, "degree": degree,
        "employment": {"employer_type": "enterprise", "in_city": True},
        "housing": {"renting": True, "monthly_rent": 2000, "rent_area_sqm": 60},
    }


@pytest.mark.parametrize(
    ("birth", "as_of", "age", "eligible"),
    [
        ("1978-06-01", "2023-05-31", 44, True),   # the day before the 45th birthday
        ("1978-06-01", "2023-06-01", 45, True),   # "45岁以下" includes 45
        ("1977-06-01", "2023-05-31", 45, True),   # the day before the 46th birthday
        ("1977-06-01", "2023-06-01", 46, False),  # on the 46th birthday
    ],
)
def test_doctor_rent_area_cap_age_45(birth, as_of, age, eligible):
    result = result_for(_renting_doctor(birth, as_of), "sy-rent-subsidy")
    assert result["eligible"] is eligible
    if eligible:
        assert result["monthly_amount"] == 1000  # 60㎡ is within 75㎡: 2000 × 50%
        assert f"年龄{age}周岁" in " ".join(result["reasons"])
    else:
        assert result["decided_by"] == "sy-rent-subsidy/area_cap:none"
        assert f"年龄{age}周岁" in result["reasons"][0]


@pytest.mark.parametrize(
    ("degree", "limit", "cap"),
    [("master", 40, 50), ("bachelor", 35, 40), ("junior_college", 30, 30)],
)
def test_other_degree_age_limits_include_the_number(degree, limit, cap):
    # Rent 100㎡ for 3000: the subsidy shows which cap applied.
    at_limit = _renting_doctor(f"{2023 - limit}-06-01", "2023-06-01", degree)
    at_limit["housing"]["rent_area_sqm"] = 100
    at_limit["housing"]["monthly_rent"] = 3000
    result = result_for(at_limit, "sy-rent-subsidy")
    assert result["eligible"] is True
    assert result["monthly_amount"] == 3000 * cap / 100 / 2
    over = dict(at_limit, birth_date=f"{2023 - limit - 1}-06-01")
    assert result_for(over, "sy-rent-subsidy")["eligible"] is False


def _graduate_buyer(purchase_date: str, as_of: str = "2026-08-01") -> dict:
    return {
        "as_of": as_of, "city": "210100", "degree": "master", "graduation_date": "2021-07-01",
        "employment": {"employer_type": "institution", "in_city": True},
        "purchase": {"date": purchase_date, "first_home": True, "self_occupied": True},
    }


def test_purchase_on_the_fifth_anniversary_of_graduation_counts():
    result = result_for(_graduate_buyer("2026-07-01"), "sy-purchase-subsidy-graduate")
    assert result["eligible"] is True
    assert result["one_time_amount"] == 40000


def test_purchase_the_day_after_the_fifth_anniversary_does_not():
    result = result_for(_graduate_buyer("2026-07-02"), "sy-purchase-subsidy-graduate")
    assert result["eligible"] is False
    assert result["decided_by"] == "sy-purchase-subsidy-graduate/within-five-years"


def test_purchase_hint_only_while_the_window_is_open():
    profile = _graduate_buyer("2026-07-01", as_of="2026-07-01")
    del profile["purchase"]
    assert any("2026-07-01" in r for r in result_for(profile, "sy-purchase-subsidy-graduate")["reasons"])
    profile["as_of"] = "2026-07-02"
    reasons = result_for(profile, "sy-purchase-subsidy-graduate")["reasons"]
    assert not any("可获" in r for r in reasons)


def _senior_technician(birth: str, as_of: str) -> dict:
    return {
        "as_of": as_of, "city": "shenyang", "birth_date": birth, "skill_level": "senior_technician",
        "purchase": {"date": "2023-01-10", "first_home": True},
    }


@pytest.mark.parametrize(
    ("as_of", "eligible"),
    [("2023-03-09", True), ("2023-03-10", False)],  # 56th birthday on 2023-03-10
)
def test_senior_technician_purchase_subsidy_55_full_years(as_of, eligible):
    result = result_for(_senior_technician("1967-03-10", as_of), "sy-purchase-subsidy-skilled")
    assert result["eligible"] is eligible
    assert result["one_time_amount"] == (100000 if eligible else None)


def test_senior_technician_aged_exactly_55_on_the_birthday():
    result = result_for(_senior_technician("1968-03-10", "2023-03-10"), "sy-purchase-subsidy-skilled")
    assert result["eligible"] is True


def test_age_counts_the_birthday_and_29_february_in_common_years():
    assert full_years(D(1985, 6, 15), D(2023, 6, 14)) == 37
    assert full_years(D(1985, 6, 15), D(2023, 6, 15)) == 38
    assert full_years(D(2000, 2, 29), D(2023, 2, 27)) == 22
    assert full_years(D(2000, 2, 29), D(2023, 2, 28)) == 23  # 《民法典》第二百零二条: month end
    assert full_years(D(2000, 2, 29), D(2024, 2, 28)) == 23
    assert full_years(D(2000, 2, 29), D(2024, 2, 29)) == 24
    assert add_years(D(2020, 2, 29), 5) == D(2025, 2, 28)


def _nantong_returnee(graduated: str, as_of: str) -> dict:
    return {"as_of": as_of, "city": "nantong", "returnee": True, "degree": "master",
            "graduation_date": graduated}


@pytest.mark.parametrize(
    ("graduated", "as_of", "eligible"),
    [
        ("2023-09-01", "2025-09-01", True),   # exactly two years: 两年内 includes the day
        ("2023-09-01", "2025-09-02", False),  # one day more
        ("2025-12-20", "2025-09-01", True),   # 应届: graduating this year
        ("2026-06-30", "2025-09-01", False),  # next year's graduate is not 应届 yet
    ],
)
def test_youth_station_this_year_or_within_two_years(graduated, as_of, eligible):
    assert result_for(_nantong_returnee(graduated, as_of), "nt-youth-station")["eligible"] is eligible


@pytest.mark.parametrize(
    ("as_of", "eligible"),
    [("2020-12-31", True), ("2021-01-01", False), ("2018-03-05", False), ("2018-03-06", True)],
)
def test_craftsman_award_in_force_2018_03_06_to_2020_12_31(as_of, eligible):
    profile = {"as_of": as_of, "city": "shenyang", "honors": ["liaoning_craftsman"]}
    result = result_for(profile, "ln-craftsman-award")
    assert result["eligible"] is eligible
    if eligible:
        assert result["one_time_amount"] == 100000
    else:
        assert "in-force" in result["decided_by"]


@pytest.mark.parametrize(("as_of", "eligible"), [("2021-12-31", False), ("2022-01-01", True)])
def test_shenyang_living_subsidy_from_2022(as_of, eligible):
    profile = {"as_of": as_of, "city": "shenyang", "degree": "bachelor"}
    assert result_for(profile, "sy-living-subsidy-graduate")["eligible"] is eligible
