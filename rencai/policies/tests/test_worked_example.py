"""The contract's worked example (contracts/examples/README.md), figure by figure."""

import json

from rencai.policies.calculator import calculate, to_json
from rencai.policies.tests.helpers import example_path


def _example() -> dict:
    return json.loads(example_path().read_text(encoding="utf-8"))


def _by_id(result: dict) -> dict:
    return {r["policy"]: r for r in result["results"]}


def test_person_is_37_full_years_in_shenyang():
    result = calculate(_example())
    assert result["as_of"] == "2023-06-01"
    assert result["person"] == {"age": 37, "city": "210100"}


def test_rent_subsidy_is_half_the_rent_of_75_of_80_sqm_without_end():
    rent = _by_id(calculate(_example()))["sy-rent-subsidy"]
    assert rent["eligible"] is True
    assert rent["monthly_amount"] == 3200 * 75 // 80 // 2 == 1500
    assert rent["months"] is None
    assert rent["total"] is None
    assert any("75㎡" in reason and "80㎡" in reason for reason in rent["reasons"])
    assert any("3200×75/80×50% = 1500" in reason for reason in rent["reasons"])
    assert any("未规定" in reason and "期限" in reason for reason in rent["reasons"])


def test_living_subsidy_is_2500_a_month_for_36_months():
    living = _by_id(calculate(_example()))["sy-living-subsidy-graduate"]
    assert living["eligible"] is True
    assert (living["monthly_amount"], living["months"], living["total"]) == (2500, 36, 90000)
    assert living["one_time_amount"] is None


def test_enterprise_employee_chooses_and_living_subsidy_is_recommended():
    result = calculate(_example())
    assert result["choices"] == [{
        "exclusive_group": "sy-housing-or-living",
        "options": ["sy-rent-subsidy", "sy-living-subsidy-graduate"],
        "recommended": "sy-living-subsidy-graduate",
        "basis": "monthly_amount",
    }]
    results = _by_id(result)
    assert results["sy-rent-subsidy"]["exclusive_group"] == "sy-housing-or-living"
    assert results["sy-living-subsidy-graduate"]["exclusive_group"] == "sy-housing-or-living"


def test_no_group_choice_for_an_institution_employee_and_the_open_point_is_said():
    profile = _example()
    profile["employment"]["employer_type"] = "institution"
    result = calculate(profile)
    assert result["choices"] == []
    rent = _by_id(result)["sy-rent-subsidy"]
    assert rent["exclusive_group"] is None
    assert any("未作规定" in reason for reason in rent["reasons"])


def test_purchase_subsidy_not_now_but_hint_of_70000_by_2026_07_01():
    purchase = _by_id(calculate(_example()))["sy-purchase-subsidy-graduate"]
    assert purchase["eligible"] is False
    assert purchase["one_time_amount"] is None
    assert "购房" in purchase["reasons"][0]
    assert any("2026-07-01" in reason and "70000" in reason for reason in purchase["reasons"])


def test_nantong_purchase_subsidy_refused_because_the_person_is_in_shenyang():
    nantong = _by_id(calculate(_example()))["nt-returnee-purchase-subsidy"]
    assert nantong["eligible"] is False
    assert "南通" in nantong["reasons"][0] and "沈阳" in nantong["reasons"][0]
    assert nantong["decided_by"] == "nt-returnee-purchase-subsidy/jurisdiction"


def test_every_result_has_the_contract_fields_and_a_first_reason():
    for item in calculate(_example())["results"]:
        for key in ("policy", "title", "kind", "eligible", "monthly_amount", "months", "one_time_amount",
                    "total", "exclusive_group", "reasons", "source"):
            assert key in item, (item["policy"], key)
        assert item["kind"] in ("entitlement", "program", "service")
        assert item["eligible"] in (True, False, "manual", "unknown")
        assert item["reasons"], item["policy"]
        assert set(item["source"]) == {"document", "quote"}


def test_json_output_writes_money_as_numbers():
    text = to_json(calculate(_example()))
    data = json.loads(text)
    rent = next(r for r in data["results"] if r["policy"] == "sy-rent-subsidy")
    assert rent["monthly_amount"] == 1500
    assert '"monthly_amount": 1500,' in text
