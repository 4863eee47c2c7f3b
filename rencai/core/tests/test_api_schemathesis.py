"""Schemathesis over the whole API, as three roles: whatever its OpenAPI document allows it to send, the API
never answers with a server error, and every refusal carries a Chinese message."""

import secrets

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from rencai.accounts.enums import Role

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

# A fixed CSRF pair (cookie and header agree), so that writes reach the views instead of stopping at 403.
CSRF = secrets.token_hex(16)


@pytest.fixture(autouse=True)
def keep_test_connection():
    """The WSGI handler closes the database connection after each request (as a server must); the test's
    transaction lives on that connection, so keep it open as Django's own test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def signed_in(request, client, make_user, make_talent, city_staff):
    """Session cookies of a user of the role under test, with a few talents to find."""
    make_talent(name="甲")
    make_talent(name="乙", district="浑南区")
    role = request.param
    user = {"staff": city_staff, "talent": None, "anonymous": None}[role]
    if role == "talent":
        user = make_user("fuzz-talent", Role.TALENT)
    if user is None:
        return {"csrftoken": CSRF}
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", ["staff", "talent", "anonymous"], indirect=True)
@schema.parametrize()
@hypothesis_settings(max_examples=8, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                            HealthCheck.filter_too_much])
def test_no_server_error_anywhere_in_the_api(case, signed_in):
    cookie = "; ".join(f"{k}={v}" for k, v in signed_in.items())
    response = case.call(headers={"Cookie": cookie, "X-CSRFToken": CSRF})
    case.validate_response(response, checks=[not_a_server_error])
    if 400 <= response.status_code < 500 and response.headers.get("Content-Type", "").startswith(
            "application/json"):
        assert has_chinese(response.json().get("message", "")), response.text[:300]
