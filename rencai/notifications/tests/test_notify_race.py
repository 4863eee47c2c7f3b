"""The same notice sent by ten requests at once: one message, one e-mail (SQLite and PostgreSQL)."""

import pytest
from django.core import mail
from django.db import transaction

from rencai.accounts.enums import Role
from rencai.core.tests.races import race
from rencai.notifications.models import EmailState, Notification
from rencai.notifications.services import notification_send_email, notify


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_notifies_with_one_key_give_one_message_and_one_email(make_user):
    user = make_user("racer", Role.TALENT)
    user.email = "racer@example.cn"
    user.save()

    def send(_client, i):
        with transaction.atomic():  # each in its own transaction, e-mail queued after its commit
            notify(recipients=[user.pk], kind="k", title="您的申请已受理", key="race:1")
        return "ok"

    answers = race(send, [None] * 10)
    assert answers == ["ok"] * 10, answers
    assert Notification.objects.filter(recipient=user, key="race:1").count() == 1
    assert len(mail.outbox) == 1
    n = Notification.objects.get(recipient=user)
    assert n.email_state == EmailState.SENT
    # And the e-mail task delivered ten times at once, for a fresh message, still sends once.
    Notification.objects.filter(pk=n.pk).update(email_state=EmailState.PENDING)
    mail.outbox.clear()
    results = race(lambda _c, i: notification_send_email(n.pk), [None] * 10)
    assert sorted(results) == ["already handled"] * 9 + ["sent"], results
    assert len(mail.outbox) == 1
