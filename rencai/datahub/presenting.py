"""A fact's value in Chinese words, as the pages and exports show it (never its keys or codes)."""

from __future__ import annotations

from functools import cache

from . import kinds


@cache
def _region_names() -> dict[str, str]:
    from rencai.regions.models import Region

    return dict(Region.objects.values_list("code", "name"))


def _yuan(fen) -> str:
    fen = int(fen)
    return f"{fen // 100}.{fen % 100:02d}元"


def value_parts(kind: str, value: dict) -> list[tuple[str, str]]:
    """(label, text) of each non-empty value of a fact, in the kind's column order."""
    spec = kinds.spec_of(kind)
    parts = []
    for column in spec.columns:
        if column.key not in spec.value_keys:
            continue
        raw = (value or {}).get(column.key)
        if raw in (None, ""):
            continue
        if column.type == kinds.MONEY:
            text = _yuan(raw)
        elif column.type == kinds.CHOICE:
            text = dict(column.choices).get(raw, "其他")
        elif column.type == kinds.REGION:
            text = _region_names().get(str(raw), str(raw))
        else:
            text = str(raw)
        parts.append((column.label.split("（")[0], text))
    return parts


def value_text(kind: str, value: dict) -> str:
    return "，".join(f"{label}：{text}" for label, text in value_parts(kind, value)) or "—"


def period_text(kind: str, period) -> str:
    unit = kinds.spec_of(kind).unit
    if period is None:
        return "—"
    if unit == kinds.MONTH:
        return f"{period.year}年{period.month}月"
    if unit == kinds.YEAR:
        return f"{period.year}年"
    return f"{period:%Y-%m-%d}"
