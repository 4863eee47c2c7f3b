"""What-if: changing one table value changes only that policy's money, by the expected amount."""

import datetime as dt

import pytest

from rencai.policies.batch import profiles_to_frame
from rencai.policies.whatif import OverrideError, parameters, parse_overrides, simulate

AS_OF = dt.date(2023, 6, 1)


def _frame():
    people = [{"city": "shenyang", "degree": degree} for degree in ("doctor", "doctor", "master", "bachelor")]
    return profiles_to_frame(people, as_of=AS_OF)


def test_raising_the_doctor_living_subsidy_to_3000():
    result = simulate(_frame(), AS_OF, overrides={"sy-living-subsidy-graduate.doctor": 3000})
    row = result.row(0, named=True)
    assert row["policy"] == "sy-living-subsidy-graduate"
    assert row["eligible"] == 4
    assert row["monthly_fen_before"] == (2 * 2500 + 1200 + 600) * 100
    assert row["monthly_fen_after"] == (2 * 3000 + 1200 + 600) * 100
    assert row["total_fen_after"] - row["total_fen_before"] == 2 * 500 * 36 * 100
    assert result.height == 1  # nothing else re-computed


@pytest.mark.parametrize("key", ["sy-living-subsidy-graduate.professor", "no-such.row",
                                 "sy-purchase-subsidy-high-level.category-a"])
def test_unknown_or_manual_parameter_is_refused(key):
    with pytest.raises(OverrideError):
        simulate(_frame(), AS_OF, overrides={key: 1})


def test_this_year_and_the_duration():
    """On 2023-06-01, June to December is 7 months; the living subsidy lasts at most 36 months."""
    row = simulate(_frame(), AS_OF, overrides={"sy-living-subsidy-graduate.doctor": 3000}).row(0, named=True)
    assert row["months_this_year"] == 7
    assert row["people_changed"] == 2  # the two doctors; the master and the bachelor keep their amount
    assert row["this_year_fen_after"] - row["this_year_fen_before"] == 2 * 500 * 7 * 100
    assert row["people_before"] == row["people_after"] == 4


def test_a_subsidy_without_an_end_has_no_duration_total():
    people = [{"city": "shenyang", "degree": "doctor", "birth_date": "1985-06-15",
               "housing": {"renting": True, "owns_home_in_city": False, "monthly_rent": 3200, "rent_area_sqm": 80}}]
    frame = profiles_to_frame(people, as_of=AS_OF)
    row = simulate(frame, AS_OF, overrides={"sy-rent-subsidy.doctor": 60}).row(0, named=True)
    assert row["total_fen_before"] is None and row["total_fen_after"] is None
    assert row["monthly_fen_before"] == 150000 and row["monthly_fen_after"] == 3200 * 60 * 100 // 80 // 2


def test_parse_overrides_and_parameters():
    assert parse_overrides(["sy-living-subsidy-graduate.doctor=3000"]) == {"sy-living-subsidy-graduate.doctor": 3000}
    for bad in ["sy-living-subsidy-graduate.doctor", "=5", "sy-living-subsidy-graduate.doctor=abc"]:
        with pytest.raises(OverrideError):
            parse_overrides([bad])
    keys = {p.key: p.value for p in parameters()}
    assert keys["sy-living-subsidy-graduate.doctor"] == 2500
    assert keys["sy-living-subsidy-skilled.senior-technician"] == 1000
