"""Issue 14 item 9: every numeric query parameter is bounded. Every GET page and API route (the URLconf is
walked, so a new route is covered without being listed here) is asked for huge, negative, fractional and
non-numeric values of every numeric parameter the platform reads, and for huge ids in its path: never a 5xx."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from rencai.core.errors import AppError
from rencai.core.parsing import MAX_PAGE, bounded_int

pytestmark = pytest.mark.django_db

HUGE = "1" + "0" * 40
VALUES = [HUGE, "-1", "0", "1.5", "1e400", "abc"]
NUMERIC_PARAMS = ["page", "page_size", "size", "limit", "offset", "year", "month", "id", "talent", "talent_id",
                  "on", "as_of", "amount", "after", "before"]
SKIP = ("admin/", "static/", "media/", "api/docs", "api/openapi.json")
SAMPLE = {"policy": "sy-living-subsidy-graduate", "key": "001", "action": "accept", "slug": "accept",
          "token": "x"}


def _routes(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


ROUTES = sorted({r for r in _routes() if not r.startswith(SKIP) and "(?P" not in r and "<path:" not in r})


def _path(route: str, number: str = "1") -> str:
    path = re.sub(r"<int:\w+>", number, route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE.get(m.group(1), "x"), path)
    return "/" + path


def test_every_route_is_walked():
    assert "api/talents" in ROUTES and "talents/" in ROUTES and "policies/whatif/" in ROUTES
    assert any("<int:" in r for r in ROUTES)


@pytest.fixture
def staff_client(client, city_staff, make_talent):
    make_talent(name="参数测试")
    client.force_login(city_staff)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("route", ROUTES)
def test_no_numeric_parameter_causes_a_server_error(staff_client, route):
    for query in [{"page": HUGE}, *(dict.fromkeys(NUMERIC_PARAMS, value) for value in VALUES)]:
        response = staff_client.get(_path(route), query)
        assert response.status_code < 500, (route, query, response.status_code, response.content[:300])
    if "<int:" in route:
        for number in (HUGE, "9223372036854775808"):
            response = staff_client.get(_path(route, number))
            assert response.status_code < 500, (route, number, response.status_code, response.content[:300])


@pytest.mark.parametrize("amount", [HUGE, "1e30", "-1", "0.001", "1e400", "abc"])
def test_whatif_amounts_are_bounded(staff_client, amount):
    response = staff_client.get("/policies/whatif/", {"key": "sy-living-subsidy-graduate.doctor", "amount": amount})
    assert response.status_code in (200, 400, 422), response.content[:300]
    if response.status_code != 200:
        assert "金额" in response.content.decode()


@pytest.mark.parametrize("page", [HUGE, str(MAX_PAGE + 1), "0", "-1"])
def test_the_api_refuses_a_page_out_of_range_in_chinese(staff_client, page):
    response = staff_client.get("/api/talents", {"page": page})
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == "page" and "页码" in body["message"]


@pytest.mark.parametrize("after", [HUGE, "9223372036854775808", "0", "-1", "abc"])
def test_the_api_refuses_a_bad_cursor_in_chinese(staff_client, after):
    response = staff_client.get("/api/talents", {"after": after})
    assert response.status_code in (400, 422), response.content[:300]
    assert "翻页游标" in response.json()["message"]


def test_the_api_pages_within_range(staff_client):
    assert staff_client.get("/api/talents", {"page": 1}).json()["count"] == 1
    assert staff_client.get("/api/talents", {"page": MAX_PAGE}).json()["results"] == []


def test_pages_clamp_the_page_number(staff_client):
    assert staff_client.get("/talents/", {"page": HUGE}).status_code == 200


@pytest.mark.parametrize(("raw", "expected"), [("3", 3), (" 7 ", 7), (5, 5), (None, 1), ("", 1)])
def test_bounded_int_reads(raw, expected):
    assert bounded_int(raw, field="page", label="页码", minimum=1, maximum=10, default=1) == expected


@pytest.mark.parametrize("raw", [HUGE, "11", "0", "-1", "1.5", "1e3", "abc", "٣", True])
def test_bounded_int_refuses(raw):
    with pytest.raises(AppError) as caught:
        bounded_int(raw, field="page", label="页码", minimum=1, maximum=10, default=1)
    assert caught.value.status == 400 and caught.value.errors[0].field == "page"
    assert caught.value.message.startswith("页码")
