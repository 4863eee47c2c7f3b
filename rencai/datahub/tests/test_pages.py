"""The data centre's pages: who sees and does what (scoping), the upload from the page, the token shown once, the
unmatched list and the exports (masked, no formulas, logged), late feeds warned once."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from rencai.accounts.enums import Role
from rencai.audit.models import AuditEvent
from rencai.conftest import make_resident_id
from rencai.core import crypto
from rencai.datahub import services
from rencai.datahub.enums import FactKind, LoadStatus
from rencai.datahub.models import Fact, Feed, Load
from rencai.notifications.models import Notification

from .factories import SI_HEADER, csv_bytes, feed, si_rows

pytestmark = pytest.mark.django_db(transaction=True)


def _upload(client, f, content: bytes, name="社保.csv"):
    return client.post(f"/datahub/feeds/{f.pk}/upload/", {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def loaded(client, city_staff, make_talent):
    """A feed with one load: two registry talents and one person not in the registry (a hostile name)."""
    f = feed()
    talents = [make_talent(name="缴费甲"), make_talent(name="缴费乙", district="浑南区")]
    outsider = make_resident_id(birth=dt.date(1991, 2, 2))
    rows = [*si_rows(talents), ["=HYPERLINK(\"http://x\")", outsider, "2026-10", "正常缴费", "和平区", "5000"]]
    client.force_login(city_staff)
    response = _upload(client, f, csv_bytes(SI_HEADER, rows))
    assert response.status_code == 302
    load = Load.objects.get(feed=f)
    assert load.status == LoadStatus.DONE
    client.logout()
    return f, load, outsider


def test_city_staff_upload_from_the_page_and_see_the_report(client, city_staff, make_talent):
    f = feed()
    talent = make_talent()
    client.force_login(city_staff)
    page = client.get(f"/datahub/feeds/{f.pk}/")
    assert page.status_code == 200 and "上传并装载" in page.content.decode()
    refused = _upload(client, f, csv_bytes(["姓名", "身份证", "月份"], [["甲", "1", "2"]]))
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "缺少必填列：证件号码、缴费月份" in text and "未知列：身份证、月份" in text
    assert not Load.objects.exists()

    valid = make_resident_id()
    bad = valid[:-1] + ("0" if valid[-1] == "X" else "X")  # never the right check digit
    response = _upload(client, f, csv_bytes(SI_HEADER, [*si_rows([talent]), ["乙", bad, "2026-10", "", "", ""]]))
    load = Load.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/datahub/loads/{load.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "已装载" in detail and 'id="count-new">1<' in detail and "校验位错误" in detail
    assert bad not in detail and f"{bad[:4]}{'*' * 13}{bad[-1]}" in detail
    assert AuditEvent.objects.filter(action="datahub", actor=city_staff, object_id=str(load.pk)).exists()


def test_dashboard_for_government_users_only(client, city_staff, heping_staff, leader, make_user, loaded):
    f, _load, _ = loaded
    for user in (city_staff, heping_staff, leader):
        client.force_login(user)
        page = client.get("/datahub/")
        assert page.status_code == 200
        text = page.content.decode()
        assert f.name in text and "数据中心" in text and "66.7%" in text  # two of three matched
    for role in (Role.TALENT, Role.EMPLOYER, Role.AUDITOR):
        organization = None
        if role == Role.EMPLOYER:
            from rencai.conftest import make_uscc
            from rencai.organizations.services import organization_create

            organization = organization_create(name="某公司", uscc=make_uscc(), kind="enterprise", district="和平区")
        client.force_login(make_user(f"u-{role}", role, organization=organization))
        assert client.get("/datahub/").status_code == 403
        assert client.get(f"/datahub/feeds/{f.pk}/").status_code == 403


def test_rows_are_for_the_owner_city_level_and_administrators(client, heping_staff, leader, admin_user, loaded):
    f, load, outsider = loaded
    assert load.unmatched_rows == 1
    client.force_login(heping_staff)  # a district office: the feed's figures, not its rows
    assert client.get(f"/datahub/loads/{load.pk}/").status_code == 404
    assert client.get(f"/datahub/feeds/{f.pk}/unmatched/").status_code == 404
    assert client.get(f"/datahub/feeds/{f.pk}/unmatched.xlsx").status_code == 404
    page = client.get(f"/datahub/feeds/{f.pk}/").content.decode()
    assert "上传并装载" not in page and "更换令牌" not in page and "生成令牌" not in page
    refused = _upload(client, f, csv_bytes(SI_HEADER, []))
    assert refused.status_code == 403
    assert AuditEvent.objects.filter(action="denied", actor=heping_staff, object_id=str(f.pk)).exists()
    for user in (leader, admin_user):
        client.force_login(user)
        listed = client.get(f"/datahub/feeds/{f.pk}/unmatched/")
        assert listed.status_code == 200
        assert f"{outsider[:4]}{'*' * 13}{outsider[-1]}" in listed.content.decode()
        assert outsider not in listed.content.decode()
    client.force_login(leader)  # read-only
    assert _upload(client, f, csv_bytes(SI_HEADER, [])).status_code == 403
    assert client.post(f"/datahub/feeds/{f.pk}/token/", {"confirmed": "1"}).status_code == 403


def test_the_owner_department_may_load_its_own_feed_only(client, make_talent):
    from rencai.accounts.models import Department, User

    tax = Department.objects.create(name="国家税务总局沈阳市和平区税务局", region_id="210102")
    mine = feed(FactKind.INCOME_TAX, department=tax)
    theirs = feed()
    officer = User.objects.create_user("tax-officer", password="pw-for-tests-123", role=Role.STAFF, department=tax)
    client.force_login(officer)
    header = ["证件号码", "税款所属期", "已缴税额（元）"]
    talent = make_talent()
    ok = _upload(client, mine, csv_bytes(header, [[crypto.decrypt(talent.id_number_cipher), "2026-10", "300"]]))
    assert ok.status_code == 302 and Fact.objects.filter(feed=mine, talent=talent).exists()
    assert _upload(client, theirs, csv_bytes(SI_HEADER, [])).status_code == 403


def test_the_token_is_shown_once(client, city_staff):
    f = feed()
    client.force_login(city_staff)
    asked = client.post(f"/datahub/feeds/{f.pk}/token/")  # not yet confirmed: the question, nothing done
    assert "确认为" in asked.content.decode() and not Feed.objects.get(pk=f.pk).token_digest
    shown = client.post(f"/datahub/feeds/{f.pk}/token/", {"confirmed": "1"})
    assert shown.status_code == 200
    token = shown.context["token"]
    assert token.startswith(services.TOKEN_PREFIX) and token in shown.content.decode()
    assert shown["Cache-Control"].startswith("no-store") or "no-store" in shown["Cache-Control"]
    later = client.get(f"/datahub/feeds/{f.pk}/").content.decode()
    assert token not in later and token[-4:] in later
    assert Feed.objects.get(pk=f.pk).token_digest == services.token_digest(token)
    assert AuditEvent.objects.filter(action="datahub", object_id=str(f.pk), summary__contains="令牌").exists()


def test_exports_are_masked_inert_and_logged(client, city_staff, loaded):
    f, _load, outsider = loaded
    client.force_login(city_staff)
    response = client.get(f"/datahub/feeds/{f.pk}/unmatched.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c for row in workbook.active.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    values = [c.value for c in cells]
    assert "'=HYPERLINK(\"http://x\")" in values  # kept as text, never a formula
    assert f"{outsider[:4]}{'*' * 13}{outsider[-1]}" in values and outsider not in str(values)
    event = AuditEvent.objects.get(action="export", object_id=str(f.pk))
    assert event.row_count == 1 and event.actor == city_staff

    good = make_resident_id()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    services_load = services.load_from_bytes(
        feed_id=f.pk, raw=csv_bytes(SI_HEADER, [["甲", bad, "2026-10", "", "", ""]]), file_name="错误.csv",
        actor=city_staff)
    services.load_run(load_id=services_load.pk)
    report = client.get(f"/datahub/loads/{services_load.pk}/report.xlsx")
    rows = list(load_workbook(io.BytesIO(report.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("行号", "列", "原因") and rows[1][:2] == (2, "证件号码") and bad not in str(rows)
    assert AuditEvent.objects.filter(action="export", object_id=str(services_load.pk)).exists()


def test_a_late_feed_is_shown_and_its_owner_told_once(client, city_staff, make_user):
    f = feed(due_working_day=10)
    Feed.objects.filter(pk=f.pk).update(created_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    other = make_user("other-city", Role.STAFF, "210100")  # same department as city_staff (the owner)
    late = services.feeds_check_freshness(today=dt.date(2026, 11, 20))
    assert late == [Feed.objects.get(pk=f.pk)]
    services.feeds_check_freshness(today=dt.date(2026, 11, 23))
    messages = Notification.objects.filter(kind="datahub")
    assert sorted(messages.values_list("recipient__username", flat=True)) == sorted([city_staff.username,
                                                                                      other.username])
    assert "2026年10月" in messages.first().title and "2026年11月13日" in messages.first().body

    loaded = services.load_from_bytes(feed_id=f.pk, raw=csv_bytes(SI_HEADER, [[
        "甲", make_resident_id(), "2026-10", "", "", ""]]), file_name="十月.csv", actor=city_staff)
    services.load_run(load_id=loaded.pk)
    assert services.feeds_check_freshness(today=dt.date(2026, 11, 23)) == []
