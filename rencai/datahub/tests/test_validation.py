"""The vectorised checks agree with the registry's own validators, and read the forms departments write."""

import datetime as dt
import random

import polars as pl
import pytest
from stdnum.exceptions import ValidationError as StdnumError

from rencai.conftest import make_resident_id
from rencai.datahub import kinds
from rencai.datahub.validation import _amounts, _dates, _resident_ids
from rencai.talents.validation import resident_id_validate


def _registry_says(number: str) -> bool:
    try:
        resident_id_validate(number)
    except StdnumError:
        return False
    return True


def test_the_vectorised_id_check_agrees_with_the_registry_validator():
    rng = random.Random(16)
    numbers = []
    for _ in range(400):
        good = make_resident_id(district=rng.choice(["210102", "210112", "110101", "990101"]),
                                birth=dt.date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28)))
        chars = list(good)
        mutation = rng.randrange(6)
        if mutation == 1:  # one character changed
            chars[rng.randrange(18)] = rng.choice("0123456789X")
        elif mutation == 2:  # one dropped or one added
            chars = chars[:-1] if rng.random() < .5 else [*chars, "1"]
        elif mutation == 3:  # an impossible date, check digit recomputed
            from stdnum.cn import ric

            body = "".join(chars[:6]) + rng.choice(["19900230", "19901301", "00000101", "19900000"]) + "".join(
                chars[14:17])
            chars = list(body + ric.calc_check_digit(body + "0"))
        elif mutation == 4:
            chars[-1] = "x"  # a lower-case check character
        numbers.append("".join(chars))
    _normal, message = _resident_ids(pl.Series(numbers, dtype=pl.String))
    vectorised = message.is_null().to_list()
    assert vectorised == [_registry_says(n) for n in numbers]
    assert 50 < sum(vectorised) < 390  # both outcomes are exercised
    assert all(m is None or "无效" in m for m in message.to_list())


@pytest.mark.parametrize("unit, text, expected", [
    (kinds.MONTH, "2026-11", dt.date(2026, 11, 1)), (kinds.MONTH, "2026/1", dt.date(2026, 1, 1)),
    (kinds.MONTH, "202611", dt.date(2026, 11, 1)), (kinds.MONTH, "2026年11月", dt.date(2026, 11, 1)),
    (kinds.MONTH, "2026-11-01 00:00:00", dt.date(2026, 11, 1)), (kinds.MONTH, "2026-13", None),
    (kinds.YEAR, "2025", dt.date(2025, 1, 1)), (kinds.YEAR, "2025年度", dt.date(2025, 1, 1)),
    (kinds.YEAR, "25", None), (kinds.DATE, "2026-02-28", dt.date(2026, 2, 28)),
    (kinds.DATE, "2026/2/8", dt.date(2026, 2, 8)), (kinds.DATE, "20260208", dt.date(2026, 2, 8)),
    (kinds.DATE, "2026年2月8日", dt.date(2026, 2, 8)), (kinds.DATE, "2026-02-30", None),
    (kinds.DATE, "1850-01-01", None),
])
def test_periods_in_the_forms_departments_write(unit, text, expected):
    day, message = _dates(pl.Series([text]), "期间", unit)
    assert day.to_list() == [expected]
    assert (message.to_list()[0] is None) == (expected is not None)


@pytest.mark.parametrize("text, fen", [("6000", 600000), ("6,000.5", 600050), ("0.07", 7), ("6000元", 600000),
                                       ("-5", None), ("1.234", None), ("abc", None)])
def test_amounts_are_exact_fen_never_floats(text, fen):
    value, message = _amounts(pl.Series([text]), "缴费基数", as_fen=True)
    assert value.to_list() == [fen]
    assert value.dtype == pl.Int64
    assert (message.to_list()[0] is None) == (fen is not None)
