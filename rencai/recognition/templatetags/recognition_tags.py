from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    """500000 → "500,000元"; nothing → "—" (the same grouping whatever the locale)."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.0f}元"
