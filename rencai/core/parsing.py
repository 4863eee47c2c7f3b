"""Lenient readers for values typed by people or read from Excel cells; each names the field on error."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from .errors import FieldError

TRUE_WORDS = {"true", "1", "是", "y", "yes", "有", "√"}
FALSE_WORDS = {"false", "0", "否", "n", "no", "无", "×"}


class FieldErrors(list):
    """Collects every problem of one record so that all are reported at once (一次性告知)."""

    def add(self, field: str, message: str) -> None:
        self.append(FieldError(field, message))


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def optional_int(value) -> int | None:
    """A number posted by a form (an id picked from a list), or None when it is not one — the caller then finds
    nothing. An id beyond the column's range matches no row (Django 5), so it needs no bound here."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_date(value, *, field: str, label: str, errors: FieldErrors) -> dt.date | None:
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors.add(field, f"{label}“{value}”不是有效日期，请按 YYYY-MM-DD 填写")
        return None


def parse_bool(value, *, field: str, label: str, errors: FieldErrors) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    errors.add(field, f"{label}应填写“是”或“否”，而不是“{value}”")
    return None


def parse_decimal(value, *, field: str, label: str, errors: FieldErrors, minimum=Decimal(0)) -> Decimal | None:
    if is_blank(value):
        return None
    if isinstance(value, float):
        value = repr(value)  # an Excel number: keep the digits it shows, never binary rounding
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        errors.add(field, f"{label}“{value}”不是有效数字")
        return None
    if not number.is_finite():
        errors.add(field, f"{label}“{value}”不是有效数字")
        return None
    if number < minimum:
        errors.add(field, f"{label}不能为负数")
        return None
    return number


def parse_choice(value, choices, *, field: str, label: str, errors: FieldErrors) -> str:
    """A TextChoices value given as its code (doctor) or its label (博士); '' when blank."""
    if is_blank(value):
        return ""
    text = str(value).strip()
    for code, name in choices.choices:
        if text in (code, name) or text == name.split("（")[0]:
            return code
    allowed = "、".join(name.split("（")[0] for _, name in choices.choices)
    errors.add(field, f"{label}“{value}”无效，可选：{allowed}")
    return ""


# Numeric query parameters (issue 14, item 9): one reader for every page and API call, so that no number a
# person can type into an address reaches the database or an arithmetic unbounded.
MAX_PAGE = 100_000  # 5,000,000 rows at 50 a page: beyond the registry's target scale
_DIGITS = re.compile(r"[+-]?[0-9]{1,19}")


def bounded_int(value, *, field: str, label: str, minimum: int, maximum: int, default: int | None = None) -> int:
    """An integer query parameter within [minimum, maximum]; ``default`` when it is absent or blank. Anything
    else (not an integer, out of range, too long to be one) is an AppError (400) naming the field."""
    from .errors import AppError, FieldError

    if value is None or (isinstance(value, str) and not value.strip()):
        if default is not None:
            return default
        message = f"{label}不能为空"
    elif isinstance(value, bool):
        message = f"{label}应为整数"
    else:
        text = str(value).strip()
        if not _DIGITS.fullmatch(text):
            message = f"{label}应为{minimum}到{maximum}之间的整数"
        else:
            number = int(text)
            if minimum <= number <= maximum:
                return number
            message = f"{label}应为{minimum}到{maximum}之间的整数"
    raise AppError(message, code="invalid", status=400, errors=[FieldError(field, message)])
