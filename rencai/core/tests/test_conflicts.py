"""The last safety net of issue 14 item 4: a database conflict no service turned into its own 409 (a stray
uniqueness violation, a lock not got in time) is a 409 with a Chinese message on pages and the API, logged."""

import pytest
from django.db import IntegrityError, OperationalError

from rencai.core.errors import BUSY_MESSAGE, CONCURRENT_MESSAGE, conflict_from_database

pytestmark = pytest.mark.django_db


def test_which_database_errors_are_conflicts():
    assert conflict_from_database(IntegrityError("UNIQUE constraint failed")).status == 409
    locked = conflict_from_database(OperationalError("database is locked"))
    assert locked.status == 409 and locked.code == "busy"
    assert conflict_from_database(OperationalError("no such table: x")) is None
    assert conflict_from_database(ValueError("x")) is None

    class Deadlock(Exception):
        sqlstate = "40P01"

    try:
        raise OperationalError("deadlock detected") from Deadlock()
    except OperationalError as exc:
        assert conflict_from_database(exc).code == "busy"


@pytest.mark.parametrize(("error", "message"), [
    (IntegrityError("UNIQUE constraint failed: talents_talent.id_number_hash"), CONCURRENT_MESSAGE),
    (OperationalError("database is locked"), BUSY_MESSAGE),
], ids=["duplicate", "locked"])
def test_pages_and_api_answer_409(client, heping_staff, monkeypatch, caplog, error, message):
    from rencai.talents import selectors

    def fail(**kwargs):
        raise error

    monkeypatch.setattr(selectors, "talent_list", fail)
    client.force_login(heping_staff)
    client.raise_request_exception = False
    api = client.get("/api/talents")
    assert api.status_code == 409 and api.json()["message"] == message
    page = client.get("/talents/")
    assert page.status_code == 409 and message in page.content.decode()
    assert "concurrent conflict on GET /api/talents" in caplog.text
    assert "concurrent conflict on GET /talents/" in caplog.text


def test_other_errors_stay_server_errors(client, heping_staff, monkeypatch):
    from rencai.talents import selectors

    def fail(**kwargs):
        raise OperationalError("no such column: x")

    monkeypatch.setattr(selectors, "talent_list", fail)
    client.force_login(heping_staff)
    client.raise_request_exception = False
    assert client.get("/api/talents").status_code == 500
    assert client.get("/talents/").status_code == 500
