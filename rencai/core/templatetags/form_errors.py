"""The error summary at the top of a form: every problem found on the submit, at once, each naming its field in
Chinese (core/labels.py) and linking to the field, beside which the same message stands."""

import re

from django import forms, template

from rencai.core.errors import AppError, FieldError
from rencai.core.labels import field_label

register = template.Library()
_NOTE = re.compile(r"（[^（）]*）$")  # a label's note: "出生日期（持护照时必填）" → 出生日期


def _labelled(label: str | None, message: str) -> str:
    return message if not label or label in message else f"{label}：{message}"


def _items(errors, anchor: str | None, prefix: bool = True) -> list[dict]:
    if isinstance(errors, forms.BaseForm):
        items = [{"text": str(m)} for m in errors.non_field_errors()]
        for name, messages in errors.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS or name not in errors.fields:
                continue
            bound = errors[name]
            label = _NOTE.sub("", str(bound.label or "")) or field_label(name)  # the form's own words first
            items += [{"href": f"#{bound.id_for_label}", "text": _labelled(label, str(m))} for m in messages]
        return items
    if isinstance(errors, AppError):
        if not errors.errors:
            return [{"text": errors.message}]
        return [{"href": f"#{anchor}{e.field}" if anchor is not None else "", "text": str(e)} for e in errors.errors]
    if isinstance(errors, dict):
        items = []
        for key, messages in errors.items():
            for message in messages if isinstance(messages, list | tuple) else [messages]:
                items.append({"href": f"#{anchor}{key}" if anchor is not None else "",
                              "text": str(FieldError(key, message)) if prefix else str(message)})
        return items
    return [{"text": str(e)} for e in errors or []]


@register.inclusion_tag("core/_error_summary.html")
def error_summary(errors, anchor: str | None = "err-", prefix: bool = True):
    """``errors``: a bound Django form, an AppError, a {field: message(s)} dict or a list of messages. Each item
    links to ``#<anchor><field>`` (a Django form: its fields' own ids); ``anchor=None``: no links. A dict's
    messages are prefixed with their field's label unless they name it already, or ``prefix`` is False (messages
    written to name their field themselves)."""
    return {"items": _items(errors, anchor, prefix)}
