"""core.paging: keyset pages give the same rows as offsets, back and forth; a count beyond the cap is a floor."""

import pytest
from django.http import QueryDict

from rencai.core.paging import list_page
from rencai.talents.models import Talent

pytestmark = pytest.mark.django_db


def _ids(page) -> list[int]:
    return [t.pk for t in page]


def test_keyset_pages_walk_the_whole_list_both_ways(make_talent):
    for i in range(12):
        make_talent(name=f"翻页{i}")
    everything = list(Talent.objects.order_by("-id").values_list("pk", flat=True))
    queryset = Talent.objects.all()

    first = list_page(queryset, params=QueryDict(""), per_page=5, keys=["id"], count=12)
    assert _ids(first) == everything[:5] and first.has_next and not first.has_previous()
    assert first.num_pages == 3 and first.count_text == "12"
    walked, page, pages = _ids(first), first, [first]
    while page.has_next:
        page = list_page(queryset, params=QueryDict(f"page={page.number + 1}&after={page.next_cursor}"),
                         per_page=5, keys=["id"], count=12)
        walked += _ids(page)
        pages.append(page)
    assert walked == everything and [p.number for p in pages] == [1, 2, 3]
    # 上一页 from the last page gives the middle page again, then the first
    back = list_page(queryset, params=QueryDict(f"page=2&before={pages[2].previous_cursor}"), per_page=5,
                     keys=["id"], count=12)
    assert _ids(back) == everything[5:10] and back.number == 2
    top = list_page(queryset, params=QueryDict(f"page=1&before={back.previous_cursor}"), per_page=5,
                    keys=["id"], count=12)
    assert _ids(top) == everything[:5] and top.number == 1 and not top.has_previous()
    # a page typed in by hand is read by offset; a malformed cursor, or one beyond a bigint, is ignored
    for bad in ("x", "1.2", "1" + "0" * 40, "-9223372036854775809"):
        assert _ids(list_page(queryset, params=QueryDict(f"page=2&after={bad}"), per_page=5, keys=["id"])) \
            == everything[5:10]


def test_a_count_beyond_the_cap_is_shown_as_a_floor(make_talent):
    for i in range(4):
        make_talent(name=f"上限{i}")
    page = list_page(Talent.objects.all(), params=QueryDict(""), per_page=2, keys=["id"], cap=3)
    assert not page.count_exact and page.count_text == "超过 3" and page.has_next
    exact = list_page(Talent.objects.all(), params=QueryDict(""), per_page=2, keys=["id"], cap=10)
    assert exact.count_exact and exact.count == 4 and exact.num_pages == 2
