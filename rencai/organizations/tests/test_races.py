"""Issue 14 item 4: the same employer registered by twenty threads at once is one employer and nineteen 409s."""

import threading

import pytest
from django.db import connections

from rencai.conftest import make_uscc
from rencai.core.errors import Conflict
from rencai.organizations.models import Organization
from rencai.organizations.services import organization_create


@pytest.mark.django_db(transaction=True)
def test_twenty_registrations_of_one_employer(regions):
    code = make_uscc()
    barrier = threading.Barrier(20)
    outcomes = []

    def register():
        try:
            barrier.wait(timeout=60)
            organization_create(name="沈阳并发测试有限公司", uscc=code, kind="enterprise", district="和平区")
            outcomes.append("created")
        except Conflict as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # anything else is what this test is for
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["created"] + ["duplicate_uscc"] * 19
    assert Organization.objects.filter(uscc=code).count() == 1
