"""Recognition's API never answers bad input with a 500: random bodies for applications, actions, scores and
revocations, and random tokens for the public verification, checked with hypothesis."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**9, max_value=10**9), st.text(max_size=20),
                    st.sampled_from(["direct", "review", "employer", "A", "B", "C", "D", "C03", "D01", "", "-1"]))
values = st.one_of(scalars, st.lists(scalars, max_size=3), st.dictionaries(st.text(max_size=8), scalars, max_size=3))
KEYS = ["way", "category", "item_code", "talent_id", "statement", "reason", "scores", "problems", "experts",
        "salary", "tax", "professional", "potential", "experience", "contribution", "compensation", "comment"]
ACTIONS = ["submit", "accept", "return", "approve", "reject", "withdraw", "panel", "conclude", "nonsense"]
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@settings(max_examples=120, deadline=None, suppress_health_check=HEALTH)
@given(body=st.dictionaries(st.sampled_from(KEYS), values, max_size=6), action=st.sampled_from(ACTIONS),
       target=st.integers(min_value=-2, max_value=3))
def test_writes_never_fail(client, heping_staff, talent_user, body, action, target):
    for user in (talent_user, heping_staff):
        client.force_login(user)
        for url in ("/api/recognition/applications", f"/api/recognition/applications/{target}/actions/{action}",
                    f"/api/recognition/assignments/{target}/score", f"/api/recognition/recognitions/{target}/revoke"):
            response = client.post(url, json.dumps(body), content_type="application/json")
            assert response.status_code < 500, (url, response.content[:300])


@settings(max_examples=80, deadline=None, suppress_health_check=HEALTH)
@given(token=st.text(min_size=1, max_size=60).filter(lambda t: "/" not in t and "\x00" not in t))
def test_verification_never_fails(client, token):
    assert client.get(f"/api/recognition/verify/{token}").status_code in (400, 404)
    assert client.get(f"/verify/{token}").status_code in (400, 404)
