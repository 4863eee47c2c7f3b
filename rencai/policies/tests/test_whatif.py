"""What-if: changing one table value changes only that policy's money, by the expected amount."""

import datetime as dt

import pytest

from rencai.policies.batch import profiles_to_frame
from rencai.policies.whatif import simulate

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
    with pytest.raises(KeyError):
        simulate(_frame(), AS_OF, overrides={key: 1})
