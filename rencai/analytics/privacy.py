"""Small counts in public or exported aggregates (issue 10's open data): a count below ``THRESHOLD`` is shown as
"<5", so that no person can be singled out from a cell. The one place this rule lives: every open-data answer and
every export of an aggregate passes its counts through ``suppress_small``."""

from __future__ import annotations

THRESHOLD = 5
SUPPRESSED = "<5"


def suppress_small(n: int) -> int | str:
    """``n`` itself from 5 up; "<5" for 1 to 4 — and for 0 too, since telling 0 from 1–4 would let a difference
    of two published cells single someone out."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError("suppress_small counts whole numbers")
    if n < 0:
        raise ValueError("a count is never negative")
    return n if n >= THRESHOLD else SUPPRESSED
