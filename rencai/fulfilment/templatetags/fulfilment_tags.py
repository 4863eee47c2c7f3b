from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(fen):
    """Integer fen → "2500.00" (Decimal, never float)."""
    if fen is None or fen == "":
        return "—"
    return f"{Decimal(int(fen)).scaleb(-2):,.2f}"
