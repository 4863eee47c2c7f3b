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
