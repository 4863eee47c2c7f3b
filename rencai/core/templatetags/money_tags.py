"""Money as people read it on a page: yuan with two decimals and thousands separated (1,234,567.89); the
zh-hans locale groups no digits, and a budget's nine digits read badly without. ``{{ amount|yuan }}``."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f}"


@register.filter
def yuan_short(value) -> str:
    """An amount as a policy states it: thousands separated, and cents only where there are any
    (600 → "600", 888.89 → "888.89", 300000 → "300,000"); the calculator and 政策找人 printed 300000 and
    1670400.00 beside the home page's 59,169.73. ``{{ amount|yuan_short }}``."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value)
    return f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
