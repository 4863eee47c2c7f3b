"""Numbers as policy texts write them: 600, 1.5, 10万 and Chinese numerals (三, 十五, 二十, 一百, 两); Decimal, never
float."""

from decimal import Decimal, InvalidOperation

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE = "零〇一二两三四五六七八九十百千"


def chinese_number(text: str) -> int | None:
    """三 → 3, 十五 → 15, 二十 → 20, 一百零五 → 105, 两千 → 2000; None for anything else."""
    if not text or any(ch not in DIGITS and ch not in UNITS for ch in text):
        return None
    total, current = 0, None
    for ch in text:
        if ch in DIGITS:
            current = DIGITS[ch] if current is None else current * 10 + DIGITS[ch]
        else:
            total += (1 if current is None else current) * UNITS[ch]
            current = None
    return total + (current or 0)


def parse_number(text: str) -> Decimal | None:
    """An Arabic (600, 1.5, 1,200) or Chinese (三, 十五) number as a Decimal."""
    text = text.replace(",", "").replace("，", "").strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        value = chinese_number(text)
        return Decimal(value) if value is not None else None


def plain(value: Decimal) -> str:
    """A Decimal as written in a rule: 600, 1.5, 0.5 (no exponent, no trailing zeros)."""
    return format(value.normalize(), "f")


def yuan_words(value: Decimal) -> str:
    """An amount in yuan as a person reads it: 600元, 1.5万元, 500万元."""
    if value >= 10000 and value % 1000 == 0:
        return f"{plain(value / 10000)}万元"
    return f"{plain(value)}元"
