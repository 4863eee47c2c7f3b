"""The confirmation dialog's question (header X-Rencai-Confirm: ask, core/confirm.py) is answered only by a view with
a confirmation step; any other view is never called with it (ConfirmAskMiddleware), so asking can never act."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_question_never_reaches_a_view_without_a_confirmation_step(client, talent_user):
    from rencai.notifications.models import Notification
    from rencai.notifications.services import notify

    notify(recipients=[talent_user.pk], kind="test", title="测试消息", body="", link="", key="confirm-test")
    client.force_login(talent_user)
    asked = client.post("/inbox/read-all/", {}, HTTP_X_RENCAI_CONFIRM="ask")
    assert asked.status_code == 400
    assert Notification.objects.filter(recipient=talent_user, read_at__isnull=True).count() == 1
