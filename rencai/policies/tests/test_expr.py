"""The condition language: parsing, type checks and three-valued logic."""

import datetime as dt
from fractions import Fraction

import pytest

from rencai.policies.engine import expr as ex


def _value(text: str, **ctx):
    node = ex.parse(text)
    ex.check(node, ex.Scope({}))
    return ex.evaluate(node, {key.replace("__", "."): value for key, value in ctx.items()})


def test_kleene_logic():
    assert _value("returnee and degree == \"doctor\"", returnee=False, degree=None) is False
    assert _value("returnee or degree == \"doctor\"", returnee=True, degree=None) is True
    assert _value("returnee and degree == \"doctor\"", returnee=True, degree=None) is None
    assert _value("not returnee", returnee=None) is None


def test_arithmetic_is_exact():
    value = _value("housing__monthly_rent * 75 / housing__rent_area_sqm * 50%".replace("__", "."),
                   housing__monthly_rent=Fraction(3200), housing__rent_area_sqm=Fraction(80))
    assert value == 1500
    assert _value("1 / 3 * 3") == 1


def test_dates_and_functions():
    assert _value("add_years(graduation_date, 5) >= as_of", graduation_date=dt.date(2021, 7, 1),
                  as_of=dt.date(2026, 7, 1)) is True
    assert _value('as_of >= date("2022-06-15")', as_of=dt.date(2022, 6, 15)) is True
    assert _value("year(as_of) == 2023", as_of=dt.date(2023, 1, 1)) is True


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("degre == \"doctor\"", "degre"),
        ("degree == \"phd\"", "phd"),
        ("age <= \"45\"", "比较"),
        ("age <=", "结尾"),
        ("open('x')", "open"),
        ("degree == 'doctor' and", "结尾"),
        ("__import__('os')", "__import__"),
        ("age @ 3", "@"),
        ("degree < \"doctor\"", "数字或日期"),
    ],
)
def test_mistakes_are_errors_with_a_column(text, fragment):
    with pytest.raises(ex.ExprError) as caught:
        ex.check(ex.parse(text), ex.Scope({}))
    assert fragment in caught.value.message
    assert 0 <= caught.value.column <= len(text)


def test_render_shows_the_numbers_used():
    node = ex.parse("if(a <= b, r * 50%, r * b / a * 50%)")
    ex.check(node, ex.Scope({"a": ex.Type.NUM, "b": ex.Type.NUM, "r": ex.Type.NUM}))
    assert ex.render(node, {"a": 80, "b": 75, "r": 3200}) == "3200×75/80×50%"
    assert ex.render(node, {"a": 60, "b": 75, "r": 3200}) == "3200×50%"
