"""List and search pages never answer odd query strings with a 500 (hypothesis)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
PARAMS = ["status", "way", "category", "name", "page", "key", "amount", "as_of", "district", "degree", "returnee"]
PAGES = ["/recognition/queue/", "/recognition/mine/", "/recognition/standard/", "/policies/matches/",
         "/policies/whatif/", "/policies/", "/talents/", "/calc/", "/"]


@settings(max_examples=40, deadline=None, suppress_health_check=HEALTH)
@given(query=st.dictionaries(st.sampled_from(PARAMS), st.text(max_size=12) | st.sampled_from(["-1", "0", "99999"]),
                             max_size=5))
def test_pages_never_fail_on_odd_queries(client, heping_staff, query):
    client.force_login(heping_staff)
    for url in PAGES:
        response = client.get(url, query)
        assert response.status_code < 500, (url, response.content[:300])
