"""Edits an officer makes with a form rather than in the rule's text: written into the text with ruamel.yaml's
round trip, so the rest of the file — its order, comments and quoting — stays as it was. The result is a new
draft's text; it is checked like any other (services.rule_check)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from .services import RuleError


def _yaml() -> YAML:
    yaml = YAML()  # round trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long quote onto two lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _load(text: str) -> CommentedMap:
    try:
        data = _yaml().load(text)
    except YAMLError as error:
        raise RuleError([f"规则文本无法读取：{error}"]) from None
    if not isinstance(data, CommentedMap):
        raise RuleError(["规则文本的顶层应为映射"])
    return data


def _dump(data: CommentedMap) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def _number(value) -> int | str:
    """A yuan amount as the catalog writes it: an integer when whole, else its exact decimal digits."""
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else str(value)


def table_rows(text: str) -> list[dict]:
    """The valued rows of the rule's amount tables: [{"let", "row", "value", "reason"}]."""
    data = _load(text)
    rows = []
    for name, body in (data.get("let") or {}).items():
        if isinstance(body, dict):
            for row in body.get("table") or []:
                if "value" in row:
                    rows.append({"let": name, "row": str(row["id"]), "value": Decimal(str(row["value"])),
                                 "reason": str(row.get("reason", ""))})
    return rows


def edit_fields(text: str, *, title: str | None = None, quote: str | None = None,
                in_force_from: dt.date | None = None, in_force_until: dt.date | str | None = "",
                in_force_note: str | None = None, months: int | str | None = "",
                values: dict[tuple[str, str], Decimal] | None = None) -> str:
    """The text with the given fields replaced (``""``: leave as is; for until and months, None clears it)."""
    data = _load(text)
    if title is not None:
        data["title"] = title
    if quote is not None:
        data.setdefault("source", CommentedMap())["quote"] = quote
    in_force = data.setdefault("in_force", CommentedMap())
    if in_force_from is not None:
        in_force["from"] = in_force_from
    if in_force_until != "":
        if in_force_until is None:
            in_force.pop("until", None)
        else:
            in_force["until"] = in_force_until
    if in_force_note is not None:
        in_force["note"] = in_force_note
    if months != "":
        amount = data.get("amount")
        if amount is None or "monthly" not in amount:
            raise RuleError(["这项政策不是按月发放，没有发放月数"], field="months")
        amount["months"] = months
    for (name, row_id), value in (values or {}).items():
        row = _row(data, name, row_id)
        row["value"] = _number(value)
    return _dump(data)


def _row(data: CommentedMap, name: str, row_id: str) -> CommentedMap:
    body = (data.get("let") or {}).get(name)
    for row in (body or {}).get("table") or []:
        if str(row.get("id")) == row_id:
            return row
    raise RuleError([f"金额表中没有这一档（{name} · {row_id}）"], field="row")


def decide_point(text: str, point_id: str, *, kind: str, basis: str, basis_date: dt.date,
                 effective_from: dt.date, by: str, on: dt.date, note: str = "",
                 condition: dict | None = None, number: dict | None = None) -> str:
    """The text with the open point decided: the ``decided`` record (who, when, basis, from when) and, as the
    decision is, a new condition that encodes it ({"id", "test", "fail"}) or a table row's value
    ({"let", "row", "value"}). Leaving it to the reviewer writes only the record."""
    data = _load(text)
    point = next((p for p in data.get("open_points") or [] if str(p.get("id")) == point_id), None)
    if point is None:
        raise RuleError(["这项政策没有这个开放事项"], field="point")
    decided = CommentedMap()
    decided["as"] = kind
    decided["basis"] = basis
    decided["basis_date"] = basis_date
    decided["from"] = effective_from
    decided["decided_by"] = by
    decided["decided_on"] = on
    if note:
        decided["note"] = note
    point["decided"] = decided
    if kind == "condition":
        assert condition is not None
        conditions = data.get("conditions")
        if conditions is None:
            conditions = data["conditions"] = CommentedSeq()
        if any(str(c.get("id")) == condition["id"] for c in conditions):
            raise RuleError([f"已有同名的条件（{condition['id']}），请换一个条件编号"], field="condition_id")
        item = CommentedMap()
        item["id"] = condition["id"]
        item["decision"] = point_id
        item["test"] = condition["test"]
        item["fail"] = condition["fail"]
        conditions.append(item)
    elif kind == "number":
        assert number is not None
        row = _row(data, number["let"], number["row"])
        row["value"] = _number(number["value"])
        row["decision"] = point_id
    return _dump(data)
