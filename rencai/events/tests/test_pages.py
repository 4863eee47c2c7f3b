"""对接活动's pages: a talent registers and sees the QR, staff check in through the token URL (once), exports are
logged with numbers masked, a bad event form is a 422 in Chinese, closing a follow-up asks first."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from rencai.audit.models import AuditEvent
from rencai.events import services
from rencai.events.models import Event, FollowUp, Registration

pytestmark = pytest.mark.django_db


def _sheet(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


def test_talent_registers_and_sees_the_qr_code(make_event, talent_user, client):
    event = make_event()
    client.force_login(talent_user)
    assert "我要报名" in client.get(reverse("events:detail", args=[event.pk])).content.decode()
    response = client.post(reverse("events:register", args=[event.pk]))
    registration = Registration.objects.get()
    assert response.status_code == 302 and response.url == reverse("events:registration", args=[registration.pk])
    page = client.get(response.url).content.decode()
    assert "<svg" in page and "签到" in page
    again = client.post(reverse("events:register", args=[event.pk]))
    assert again.status_code == 409 and "不能重复报名" in again.content.decode()
    assert registration.event.title in client.get(reverse("events:list")).content.decode()


def test_a_registration_page_is_its_registrants_only(make_event, talent_user, make_user, client):
    registration = services.registration_create(actor=talent_user, event_id=make_event().pk)
    client.force_login(make_user("other", "talent"))
    assert client.get(reverse("events:registration", args=[registration.pk])).status_code == 404


def test_staff_check_in_through_the_token_url_once(make_event, talent_user, heping_staff, hunnan_staff, client):
    registration = services.registration_create(actor=talent_user, event_id=make_event().pk)
    url = reverse("events:checkin", args=[registration.token])
    client.force_login(talent_user)
    assert client.get(url).status_code == 403
    client.force_login(hunnan_staff)
    assert client.get(url).status_code == 403
    client.force_login(heping_staff)
    assert "确认签到" in client.get(url).content.decode()
    assert "签到成功" in client.post(url).content.decode()
    second = client.get(url).content.decode()
    assert "已签到" in second and "确认签到" not in second
    assert client.get(reverse("events:checkin", args=["x" * 40])).status_code == 404
    assert "张三明" in client.get(reverse("events:followups")).content.decode()


def test_exports_are_logged_and_mask_numbers(make_event, talent, talent_user, heping_staff, client):
    event = make_event()
    registration = services.registration_create(actor=talent_user, event_id=event.pk)
    services.checkin_record(actor=heping_staff, token=registration.token)
    client.force_login(heping_staff)
    rows = _sheet(client.get(reverse("events:registrations_export", args=[event.pk])))
    assert rows[1][:3] == (talent.name, talent.id_number_masked, talent.phone_masked) and "*" in rows[1][2]
    logged = AuditEvent.objects.get(action="export", object_type="events.registration")
    assert (logged.actor, logged.row_count) == (heping_staff, 1)
    rows = _sheet(client.get(reverse("events:followups_export")))
    assert len(rows) == 2 and rows[1][0] == talent.name and rows[1][2] == talent.phone_masked
    assert AuditEvent.objects.get(action="export", object_type="events.followup").row_count == 1
    assert len(_sheet(client.get(reverse("events:export")))) == 2


def test_a_bad_event_form_is_shown_again_in_chinese(heping_staff, client):
    client.force_login(heping_staff)
    response = client.post(reverse("events:create"), {"title": "", "capacity": "-3", "district": "210102"})
    html = response.content.decode()
    assert response.status_code == 422 and "请选择活动类型" in html and "名额应为" in html
    assert Event.objects.count() == 0
    text = re.sub(r"<[^>]+>", "", html)
    assert "registration_deadline" not in text and "capacity" not in text


def test_closing_a_follow_up_asks_first(make_event, make_talent, heping_staff, client):
    event = make_event()
    services.walk_in_record(actor=heping_staff, event_id=event.pk, talent_id=make_talent(name="结束甲").pk)
    follow_up = FollowUp.objects.get()
    client.force_login(heping_staff)
    url = reverse("events:followup_act", args=[follow_up.pk])
    asked = client.post(url, {"action": "close", "text": "已落户", "version": 1})
    assert asked.status_code == 200 and "确认结束对结束甲的跟踪" in asked.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.status == "open"
    done = client.post(url, {"action": "close", "text": "已落户", "version": 1, "confirmed": "1"})
    assert done.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.outcome) == ("closed", "已落户")


@pytest.mark.parametrize("role", ["expert", "auditor"])
def test_other_roles_are_refused_not_failed(role, make_user, make_event, client):
    event = make_event()
    client.force_login(make_user("x", role, "210100" if role == "auditor" else None))
    assert client.get(reverse("events:list")).status_code == 403
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 403
    assert client.get(reverse("events:followups")).status_code == 403
