"""Login throttling (django-axes): by account and by address, a Chinese lock-out page, unlock by an administrator,
and the events logged."""

import logging

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse

from rencai.accounts.enums import Role

PASSWORD = "pw-for-tests-123"


def _login(client, username, password, address="10.1.1.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password},
                       REMOTE_ADDR=address)


@pytest.mark.django_db
def test_thirty_wrong_passwords_lock_the_account_until_an_administrator_unlocks_it(client, make_user, caplog):
    make_user("victim", Role.STAFF, "210102")
    caplog.set_level(logging.INFO, logger="axes")

    statuses = [_login(client, "victim", f"wrong-{i}").status_code for i in range(30)]
    assert statuses[0] == 200  # the form again, with its error
    assert statuses[-1] == 429
    assert statuses.count(200) == 4  # RENCAI_LOGIN_FAILURE_LIMIT (5): the 5th failure locks

    response = _login(client, "victim", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已被暂时锁定" in page and "联系系统管理员解除锁定" in page
    assert "_auth_user_id" not in client.session

    # From another address, the account is still locked (throttled by account, not only by address).
    assert _login(client, "victim", PASSWORD, address="10.9.9.9").status_code == 429

    # The events are logged with the user name, never the password.
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "victim" in logged and "wrong-" not in logged and PASSWORD not in logged

    # The administrator's unlock path (the same as the admin site's 访问尝试 delete): the command.
    call_command("axes_reset_username", "victim")
    call_command("axes_reset_ip", "10.1.1.1")
    response = _login(client, "victim", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


@pytest.mark.django_db
def test_an_address_that_guesses_many_accounts_is_throttled_but_others_are_not(client, make_user):
    make_user("alice", Role.STAFF, "210102")
    make_user("bob", Role.STAFF, "210112")

    for i in range(6):  # one guess per made-up account: no single account reaches the limit
        _login(client, f"guess{i}", "wrong", address="10.6.6.6")
    assert _login(client, "alice", PASSWORD, address="10.6.6.6").status_code == 429

    other = client.__class__()
    assert _login(other, "bob", PASSWORD, address="10.7.7.7").status_code == 302


@pytest.mark.django_db
def test_another_account_from_another_address_is_unaffected(client, make_user):
    make_user("victim", Role.STAFF, "210102")
    make_user("bystander", Role.STAFF, "210112")
    for i in range(30):
        _login(client, "victim", f"wrong-{i}")
    other = client.__class__()
    response = _login(other, "bystander", PASSWORD, address="10.2.2.2")
    assert response.status_code == 302
    assert other.session["_auth_user_id"]


@pytest.mark.django_db
def test_the_administrator_unlocks_in_the_admin_site(client, make_user, admin_user):
    make_user("victim", Role.STAFF, "210102")
    for i in range(6):
        _login(client, "victim", f"wrong-{i}")
    attempt = AccessAttempt.objects.get(username="victim")

    admin = client.__class__()
    admin.force_login(admin_user)
    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and "victim" in listing.content.decode()
    response = admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="victim").exists()

    # The address the failures came from is a separate lock (by address); unlock it too, then log in.
    AccessAttempt.objects.all().delete()
    assert _login(client, "victim", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_successful_login_resets_the_count(client, make_user):
    make_user("typo", Role.STAFF, "210102")
    for _ in range(4):
        _login(client, "typo", "wrong")
    assert _login(client, "typo", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "typo", "wrong")
    assert _login(client, "typo", PASSWORD).status_code == 302
