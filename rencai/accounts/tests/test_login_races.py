"""Issue 14 item 4 meets item 5: twenty wrong passwords for one account at once (the throttle's records are
written concurrently) answer the form again or the lock-out page, never a 500, on SQLite and PostgreSQL."""

import pytest
from axes.models import AccessAttempt

from rencai.accounts.enums import Role
from rencai.core.tests.races import clients_for, race

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_wrong_passwords_at_once(make_user):
    make_user("target", Role.STAFF, "210102")
    answers = race(lambda client, i: client.post("/accounts/login/", {"username": "target", "password": f"x{i}"},
                                                 REMOTE_ADDR="10.2.2.2"),
                   clients_for(None, 20))
    for answer in answers:
        assert not isinstance(answer, BaseException), repr(answer)
        assert answer.status_code in (200, 429), (answer.status_code, answer.content[:300])
    assert any(a.status_code == 429 for a in answers)
    assert AccessAttempt.objects.filter(username="target").exists()
