"""Money on pages: thousands separated whatever the locale; a policy's amount without cents it does not have."""

from decimal import Decimal

import pytest
from django.template import Context, Template


@pytest.mark.parametrize(("value", "shown"), [
    (600, "600"), (Decimal("888.89"), "888.89"), (300000, "300,000"), (Decimal("1670400.00"), "1,670,400"),
    ("2000.50", "2,000.50"), (None, "—"),
])
def test_yuan_short(value, shown):
    assert Template("{% load money_tags %}{{ v|yuan_short }}").render(Context({"v": value})) == shown


def test_yuan_keeps_cents_and_groups():
    assert Template("{% load money_tags %}{{ v|yuan }}").render(Context({"v": Decimal("59169.7")})) == "59,169.70"
