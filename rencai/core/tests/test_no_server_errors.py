"""Bad input never gets a 500: random JSON bodies and query strings against the API's write endpoints,
checked with hypothesis. Every answer is a 2xx or a 4xx with a Chinese message."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rencai.talents.validation import FIELDS

pytestmark = pytest.mark.django_db

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
    st.sampled_from(["2023-06-01", "2023-02-30", "1985-06-15", "doctor", "shenyang", "210102", "和平区", "-1", "",
                     "a\x00b"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                             max_size=3), max_leaves=6)
CALC_KEYS = ["as_of", "city", "birth_date", "returnee", "degree", "graduation_date", "talent_category",
             "professional_title", "skill_level", "honors", "employment", "housing", "purchase", "training",
             "received", "unknown_key"]
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@settings(max_examples=150, deadline=None, suppress_health_check=HEALTH)
@given(body=st.dictionaries(st.sampled_from(CALC_KEYS), values, max_size=8))
def test_calculator_api_never_fails_on_any_profile(client, body):
    response = client.post("/api/calc", json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 400, 422), response.content[:300]
    if response.status_code != 200:
        assert has_chinese(response.json()["message"])


@settings(max_examples=120, deadline=None, suppress_health_check=HEALTH)
@given(body=st.dictionaries(st.sampled_from([*FIELDS, "salary"]), values, max_size=8))
def test_registration_api_never_fails_on_any_body(client, heping_staff, body):
    client.force_login(heping_staff)
    response = client.post("/api/talents", json.dumps(body), content_type="application/json")
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        assert has_chinese(response.json()["message"])


@settings(max_examples=80, deadline=None, suppress_health_check=HEALTH)
@given(query=st.dictionaries(st.sampled_from(["name", "district", "category", "degree", "returnee", "page"]),
                             st.text(max_size=12) | st.just("\x00"), max_size=5))
def test_list_pages_never_fail_on_any_query(client, heping_staff, query):
    client.force_login(heping_staff)
    assert client.get("/talents/", query).status_code in (200, 400)
    assert client.get("/api/talents", query).status_code in (200, 400, 422)
    assert client.get("/calc/", query).status_code in (200, 400, 422)


def test_nul_characters_are_refused_everywhere(client, heping_staff):
    client.force_login(heping_staff)
    page = client.get("/talents/", {"name": "a\x00b"})
    assert page.status_code == 400 and "空字符" in page.content.decode()
    api = client.post("/api/talents", json.dumps({"name": "a\x00", "id_number": "1", "district": "和平区"}),
                      content_type="application/json")
    assert api.status_code == 400 and "空字符" in api.json()["message"]
    form = client.post("/talents/new/", {"name": "a\x00"})
    assert form.status_code == 400
