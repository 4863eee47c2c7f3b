"""One page of a long list, at a million rows (issue 15).

Django's paginator counts the whole list and reads a page by OFFSET: at a million talents the count scans the
table on every page and page 10,000 walks half a million index entries first. Here instead:

- the total is given by the caller when a kept aggregate knows it (``count=``: talents.TalentCount,
  policies.MatchCount), or counted up to ``cap`` rows (1,000) and shown as “超过 1000” beyond (``count_exact``);
- 下一页 and 上一页 carry a keyset cursor (the sort key of the page's last or first row): the next page is
  ``WHERE (key) < (cursor) ORDER BY key DESC LIMIT n``, an index range scan however deep; a page number typed
  in by hand is still read by offset, and the number shown travels with the cursor.

The list must be ordered by ``keys`` descending, and the keys must identify a row (end with a unique column).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

COUNT_CAP = 1_000
MAX_CURSOR_PARTS = 8
BIGINT = 2**63 - 1


@dataclass
class ListPage:
    """What the pager template (core/_pager.html) and the lists read: iterable, with Django Page's names."""

    object_list: list
    number: int
    per_page: int
    count: int
    count_exact: bool
    has_next: bool
    cap: int = COUNT_CAP
    next_cursor: str = ""
    previous_cursor: str = ""

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def paginator(self) -> ListPage:  # page.paginator.count / num_pages, as with Django's Page
        return self

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def count_text(self) -> str:
        return str(self.count) if self.count_exact else f"超过 {self.cap}"

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def _cursor_values(text: str | None, n: int) -> tuple[int, ...] | None:
    """A cursor is the keys' integers joined by '.'; anything else is no cursor (the page number decides)."""
    if not text or len(text) > 200:
        return None
    parts = text.split(".")
    if len(parts) != n or len(parts) > MAX_CURSOR_PARTS:
        return None
    try:
        values = tuple(int(p) for p in parts)
    except ValueError:
        return None
    return values if all(-BIGINT <= v <= BIGINT for v in values) else None  # beyond a bigint: no cursor


def _page_number(value) -> int:
    try:
        return max(1, min(int(value), 1_000_000))
    except (TypeError, ValueError):
        return 1


def list_page(queryset: QuerySet, *, params, per_page: int, keys: Sequence[str],
              count: int | None = None, cap: int = COUNT_CAP, clamp: bool = True) -> ListPage:
    """The page that ``params`` (request.GET: ``page``, ``after``, ``before``) asks for. ``keys``: the integer
    fields or annotations the list is sorted by, all descending, the last one unique. ``count``: the exact total
    if a kept aggregate knows it (else counted up to ``cap``). ``clamp``: a page number past the end shows the
    last page (pages, as Django's ``get_page``); without it, an empty page (the API)."""
    exprs = [F(name) for name in keys]
    ordered = queryset.order_by(*[e.desc() for e in exprs])
    number = _page_number(params.get("page"))
    count_exact = count is not None
    if count is None:
        count = queryset.order_by()[:cap + 1].count()
        count_exact = count <= cap
    if count_exact and clamp:
        number = min(number, max(1, -(-count // per_page)))
    after = _cursor_values(params.get("after"), len(keys))
    before = _cursor_values(params.get("before"), len(keys)) if after is None else None
    if after is not None:
        rows = list(ordered.filter(TupleLessThan(Tuple(*exprs), after))[:per_page + 1])
        has_next = len(rows) > per_page
        rows = rows[:per_page]
    elif before is not None:
        rows = list(queryset.order_by(*[e.asc() for e in exprs])
                    .filter(TupleGreaterThan(Tuple(*exprs), before))[:per_page + 1])
        if len(rows) <= per_page:
            number = 1  # reached the top
        rows = rows[:per_page][::-1]
        has_next = True
    else:
        start = (number - 1) * per_page
        rows = list(ordered[start:start + per_page + 1])
        has_next = len(rows) > per_page
        rows = rows[:per_page]

    def cursor(row) -> str:
        return ".".join(str(int(getattr(row, name))) for name in keys)

    return ListPage(object_list=rows, number=number, per_page=per_page, count=count, count_exact=count_exact,
                    has_next=has_next, cap=cap, next_cursor=cursor(rows[-1]) if rows and has_next else "",
                    previous_cursor=cursor(rows[0]) if rows and number > 1 else "")
