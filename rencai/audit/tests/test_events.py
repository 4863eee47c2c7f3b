"""Each kind of act leaves its audit event: staff registration, maintenance, import, reveal, exports of personal
data (who, which filter, how many rows) — with the client's address and never a clear number."""

import datetime as dt
import re

import pytest

from rencai.audit.models import AuditEvent
from rencai.conftest import make_resident_id
from rencai.policies.matching import match_run
from rencai.talents import excel
from rencai.talents.services import talent_reveal, talent_update
from rencai.talents.tests.test_excel import workbook

pytestmark = pytest.mark.django_db
CLEAR_ID = re.compile(r"\d{17}[\dX]")


def _only(action):
    events = list(AuditEvent.objects.filter(action=action))
    assert len(events) == 1, [e.summary for e in events]
    return events[0]


def test_staff_registration_and_maintenance(client, heping_staff):
    from rencai.conftest import talent_data

    client.force_login(heping_staff)
    created = client.post("/api/talents", talent_data(name="审计甲"), content_type="application/json",
                          REMOTE_ADDR="10.1.2.3")
    assert created.status_code == 201, created.content
    event = _only("talent_create")
    assert (event.actor, event.object_type, event.object_id) == (heping_staff, "talents.talent",
                                                                str(created.json()["id"]))
    assert event.region_code == "210102" and event.ip_address == "10.1.2.3" and "审计甲" in event.summary
    talent_update(actor=heping_staff, talent_id=created.json()["id"], changes={"email": "a@example.com"})
    assert "电子邮箱" in _only("talent_update").summary
    assert not any(CLEAR_ID.search(e.summary) for e in AuditEvent.objects.all())


def test_reveal_is_logged_with_its_reason(make_talent, make_user):
    from rencai.accounts.enums import Role

    staff = make_user("revealer", Role.STAFF, region="210102", reveal=True)
    talent = make_talent(name="被查看者")
    number = talent_reveal(actor=staff, talent_id=talent.pk, field="id_number", reason="核验补贴材料",
                           ip_address="10.9.9.9")
    event = _only("reveal")
    assert event.actor == staff and "核验补贴材料" in event.summary and event.ip_address == "10.9.9.9"
    assert number not in event.summary


def test_import_is_logged_with_its_row_count(heping_staff):
    rows = [["导入甲", make_resident_id(), "和平区", "硕士", "2020-07-01", "东北大学", "中国", ""],
            ["导入乙", make_resident_id(), "和平区", "本科", "2019-07-01", "辽宁大学", "中国", ""]]
    result = excel.talent_import(actor=heping_staff, upload=workbook(rows))
    assert result.imported_rows == 2
    event = _only("talent_import")
    assert event.row_count == 2 and event.object_id == str(result.batch.pk) and "共2行" in event.summary
    from rencai.talents.models import Talent

    assert set(Talent.objects.filter(source="import").values_list("employment_status", flat=True)) == {"confirmed"}


def test_exports_are_logged_with_filter_and_rows(client, make_talent, heping_staff):
    make_talent(name="导出甲")
    make_talent(name="导出乙")
    make_talent(name="浑南者", district="浑南区")
    client.force_login(heping_staff)
    assert client.get("/talents/export.xlsx", {"name": "导出"}).status_code == 200
    event = _only("export")
    assert event.row_count == 2 and event.filters == {"name": "导出"} and event.actor == heping_staff
    match_run(as_of=dt.date(2024, 6, 1))
    assert client.get("/policies/matches/sy-rent-subsidy/export.xlsx").status_code == 200
    match_export = AuditEvent.objects.filter(action="export", object_type="policies.policymatch").get()
    assert match_export.row_count == 2 and match_export.filters["policy"] == "sy-rent-subsidy"
