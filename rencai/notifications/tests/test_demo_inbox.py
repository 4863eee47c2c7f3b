"""The demo gives every demo account a message in 站内消息, once however often it is loaded."""

import pytest

from rencai.demo.accounts import demo_accounts_create
from rencai.demo.generator import demo_load
from rencai.demo.inbox import MESSAGES, inbox_demo_load
from rencai.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_every_demo_account_has_a_message_and_a_second_load_adds_none(django_capture_on_commit_callbacks):
    demo_load(seed=3, size=100)
    demo_accounts_create()
    with django_capture_on_commit_callbacks(execute=True):
        inbox_demo_load()
        inbox_demo_load()
    names = set(Notification.objects.values_list("recipient__username", flat=True))
    assert set(MESSAGES) <= names
    assert Notification.objects.count() == len(names)
    for n in Notification.objects.all():
        assert n.link.startswith("/") and n.title
