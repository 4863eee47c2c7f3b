"""Pieces every API router shares: the error body, money as a decimal string, bounded ids and pages.

Money crosses the API as a string of yuan with two decimals ("2500.00"): never a JSON number, so that no
client reads it into a binary float."""

from decimal import Decimal
from typing import Annotated

from ninja import Path, Schema
from pydantic import ConfigDict, Field

from .parsing import MAX_PAGE, bounded_int

MAX_ID = 2**62  # an id beyond the database's integer range is simply not found (never an overflow)


# A record id in a path: beyond the database's range is a 422 naming the field, never an overflow.
ID_PATH = Path(..., ge=1, le=MAX_ID)


class StrictIn(Schema):
    """A request body that refuses unknown fields (a 422 naming them)."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    code: str
    message: str
    errors: list[dict]


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut,
          422: ErrorOut}

Money = Annotated[str, Field(pattern=r"^-?[0-9]+\.[0-9]{2}$", examples=["2500.00"],
                             description="金额（元），两位小数的十进制字符串")]


def money(value) -> str | None:
    """Fen (int) → "2500.00"; None stays None."""
    if value is None:
        return None
    return format(Decimal(int(value)).scaleb(-2).quantize(Decimal("0.01")), "f")


def money_yuan(value) -> str | None:
    """Yuan as the engine or a service gives it (int, Decimal or its text; never a float) → "2500.00"."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    return format(Decimal(str(value)).quantize(Decimal("0.01")), "f")


def page_number(page) -> int:
    return bounded_int(page, field="page", label="页码", minimum=1, maximum=MAX_PAGE, default=1)


def paginate(queryset, page: int, size: int) -> tuple[dict, list]:
    """(count, page, pages) and the page's rows; ``page`` already bounded (``page_number``)."""
    count = queryset.count()
    start = (page - 1) * size
    return {"count": count, "page": page, "pages": max(1, -(-count // size))}, list(queryset[start:start + size])
