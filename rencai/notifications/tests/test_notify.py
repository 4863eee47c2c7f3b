"""notify(): one message and one e-mail per (recipient, key), nothing when the act rolls back, the inbox."""

import pytest
from django.core import mail
from django.db import transaction

from rencai.accounts.enums import Role
from rencai.notifications.models import EmailState, Notification
from rencai.notifications.services import notification_send_email, notify


@pytest.fixture
def alice(make_user):
    user = make_user("alice", Role.TALENT)
    user.email = "alice@example.cn"
    user.save()
    return user


def test_notify_twice_gives_one_message_and_one_email(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[alice], kind="application", title="您的申请已受理", body="请留意办理进度",
               link="/inbox/", key="application:1:submitted")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[alice.pk], kind="application", title="您的申请已受理", key="application:1:submitted")
    assert Notification.objects.filter(recipient=alice).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.cn"]
    assert "您的申请已受理" in mail.outbox[0].subject
    assert "http://127.0.0.1:8000/inbox/" in mail.outbox[0].body
    assert Notification.objects.get(recipient=alice).email_state == EmailState.SENT
    # A different key is a different message.
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[alice], kind="application", title="您的申请已通过", key="application:1:approved")
    assert Notification.objects.filter(recipient=alice).count() == 2
    assert len(mail.outbox) == 2


def test_the_email_task_run_twice_sends_once(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the queue lost the task: run it by hand, twice
        notify(recipients=[alice], kind="k", title="提醒", key="k:1")
    n = Notification.objects.get(recipient=alice)
    assert notification_send_email(n.pk) == "sent"
    assert notification_send_email(n.pk) == "already handled"
    assert len(mail.outbox) == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(alice, django_capture_on_commit_callbacks):
    class Boom(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Boom):
        with transaction.atomic():
            notify(recipients=[alice], kind="k", title="审批通过", key="k:rolled-back")
            raise Boom
    assert callbacks == []
    assert not Notification.objects.filter(key="k:rolled-back").exists()
    assert mail.outbox == []


def test_a_user_without_an_address_gets_the_message_only(make_user, django_capture_on_commit_callbacks):
    bob = make_user("bob", Role.TALENT)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=bob, kind="k", title="提醒", key="k:2")
    assert Notification.objects.get(recipient=bob).email_state == EmailState.SKIPPED
    assert mail.outbox == []


def test_links_must_stay_on_the_site(alice):
    for link in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        with pytest.raises(ValueError):
            notify(recipients=[alice], kind="k", title="t", link=link, key="k:link")
    assert not Notification.objects.exists()


def test_inbox_shows_only_ones_own_messages_and_marks_read(client, alice, make_user,
                                                           django_capture_on_commit_callbacks):
    other = make_user("carol", Role.TALENT)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[alice], kind="k", title="爱丽丝的消息", link="/inbox/?unread=1", key="k:a")
        notify(recipients=[other], kind="k", title="别人的消息", key="k:b")
    client.force_login(alice)
    page = client.get("/inbox/").content.decode()
    assert "爱丽丝的消息" in page and "别人的消息" not in page
    assert 'aria-label="1条未读"' in client.get("/").content.decode()  # the header's unread count
    mine = Notification.objects.get(recipient=alice)
    theirs = Notification.objects.get(recipient=other)
    assert client.post(f"/inbox/{theirs.pk}/open/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    response = client.post(f"/inbox/{mine.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/inbox/?unread=1"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "条未读" not in client.get("/").content.decode()
    assert client.get("/inbox/").status_code == 200
    client.logout()
    assert client.get("/inbox/").status_code == 302  # to the login page


@pytest.mark.parametrize("copy_from", [2, 10**9], ids=["copy", "bulk_create"])
def test_notify_many_writes_each_message_once_and_mails_it_once(alice, make_user, copy_from, monkeypatch,
                                                                django_capture_on_commit_callbacks):
    from rencai.notifications import services
    from rencai.notifications.services import Message, notify_many

    monkeypatch.setattr(services, "COPY_FROM", copy_from)  # PostgreSQL writes many messages by COPY

    bob = make_user("bob", Role.TALENT)
    bob.email = "bob@example.cn"
    bob.save()
    messages = [Message(recipient_id=user.pk, title="2025年06月的政策待遇已停发", body=f"原因：{n}\n另起一行\t\\N",
                        link="/me/payments/", key=f"payment-stop-{n}-2025-06")
                for n, user in enumerate([alice, bob, alice])]
    for _ in range(2):  # a second run of the month tells nobody anything new
        with django_capture_on_commit_callbacks(execute=True):
            notify_many(messages, kind="payment", batch=2)
    assert Notification.objects.count() == 3
    stored = Notification.objects.get(recipient=bob)
    assert (stored.kind, stored.title, stored.body, stored.link, stored.read_at) == (
        "payment", "2025年06月的政策待遇已停发", "原因：1\n另起一行\t\\N", "/me/payments/", None)
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.cn", "alice@example.cn", "bob@example.cn"]
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.SENT}
    with pytest.raises(ValueError):
        notify_many([Message(recipient_id=bob.pk, title="x", body="", link="https://elsewhere.example", key="k")],
                    kind="payment")
