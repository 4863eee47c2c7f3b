"""The batch path compares an age with a number as a birth date with one cut-off (no age column): the same
answer as the single-person path's full_years for every comparison, around anniversaries and 29 February."""

import datetime as dt

import polars as pl
import pytest

from rencai.policies.engine import expr as ex
from rencai.policies.engine.polars_compile import Compiler, latest_birth

# A common year's 28 February (a 29 February birth turns a year older on it), a leap day, and ordinary days.
DAYS = [dt.date(2023, 2, 28), dt.date(2024, 2, 29), dt.date(2024, 3, 1), dt.date(2025, 9, 1), dt.date(2022, 12, 31)]


def _births(as_of: dt.date, years: int) -> list[dt.date]:
    anniversary = ex.add_years(as_of, -years)
    return [anniversary + dt.timedelta(days=d) for d in range(-3, 4)] + [dt.date(as_of.year - years, 2, 28),
                                                                       dt.date(1976, 2, 29), dt.date(2000, 2, 29)]


@pytest.mark.parametrize("as_of", DAYS)
def test_latest_birth_is_the_full_years_cut_off(as_of):
    for years in (0, 1, 18, 35, 45, 55, 60):
        cut = latest_birth(as_of, years)
        for birth in [*_births(as_of, years), cut, cut + dt.timedelta(days=1)]:
            assert (ex.full_years(birth, as_of) >= years) == (birth <= cut), (as_of, years, birth)


@pytest.mark.parametrize("as_of", DAYS)
def test_every_age_comparison_agrees_with_the_single_path(as_of):
    births = [*sorted({b for years in (35, 36, 45) for b in _births(as_of, years)}), None]
    frame = pl.DataFrame({"birth_date": births}, schema={"birth_date": pl.Date})
    texts = [f"{left} {op} {right}" for op in ("<", "<=", ">", ">=", "==", "!=")
             for left, right in (("age", "35"), ("age", "35.5"), ("45", "age"), ("36.5", "age"))]
    for text in texts:
        node = ex.parse(text)
        compiler = Compiler(as_of)
        column = frame.with_columns(compiler.base_columns()).select(compiler.bool(node).alias("x"))["x"].to_list()
        for birth, got in zip(births, column, strict=True):
            ctx = {"as_of": as_of, "age": None if birth is None else ex.full_years(birth, as_of)}
            assert got == ex.evaluate(node, ctx), (text, as_of, birth)


def test_age_used_as_a_number_still_reads_the_age_column():
    as_of = dt.date(2025, 9, 1)
    compiler = Compiler(as_of)
    value = compiler.rat(ex.parse("age + 1"))
    frame = pl.DataFrame({"birth_date": [dt.date(1990, 9, 1), dt.date(1990, 9, 2)]})
    got = frame.with_columns(compiler.base_columns()).select(value.num.alias("x"))["x"].to_list()
    assert got == [36, 35]
