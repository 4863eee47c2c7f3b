"""项目推介 and 科技成果: the library and its filters, an enterprise's interest (one per organization: a second
is a 409 with nothing written), staff brokering a meeting and recording its outcome (one transition, final
outcomes stay), the lists and exports scoped by district, and a talent listing their own result."""

import io

import pytest
from openpyxl import load_workbook

from rencai.audit.models import AuditEvent
from rencai.core.errors import Conflict, NotFound, ValidationFailed
from rencai.opportunities import partnering
from rencai.opportunities.models import Interest, Meeting, Opportunity

from . import challenges_fixtures as fx

challenge, other_hr, other_org, project, sponsor, sponsor_org = (
    fx.challenge, fx.other_hr, fx.other_org, fx.project, fx.sponsor, fx.sponsor_org)
in_days, publish = fx.in_days, fx.publish

pytestmark = pytest.mark.django_db


def test_an_enterprise_expresses_interest_once(client, project, other_hr, other_org):
    client.force_login(other_hr)
    page = client.get(f"/opportunities/{project.pk}/")
    assert page.status_code == 200 and 'id="interest-form"' in page.content.decode()
    response = client.post(f"/opportunities/projects/{project.pk}/interest/", {"note": "愿意投资中试线"})
    assert response.status_code == 302
    assert list(Interest.objects.values_list("organization_id", "note")) == [(other_org.pk, "愿意投资中试线")]
    again = client.post(f"/opportunities/projects/{project.pk}/interest/", {"note": "再次提交"})
    assert again.status_code == 409 and "已对该项目表达过合作意向" in again.content.decode()
    assert Interest.objects.count() == 1
    assert 'id="interest-done"' in client.get(f"/opportunities/{project.pk}/").content.decode()


def test_interest_is_refused_for_its_own_project_a_draft_and_a_talent(project, sponsor, other_hr, talent_user):
    with pytest.raises(ValidationFailed, match="本单位"):
        partnering.interest_express(actor=sponsor, opportunity_id=project.pk)
    Opportunity.objects.filter(pk=project.pk).update(status="closed")
    with pytest.raises(Conflict, match="不再征集"):
        partnering.interest_express(actor=other_hr, opportunity_id=project.pk)
    with pytest.raises(Exception, match="只有用人单位"):
        partnering.interest_express(actor=talent_user, opportunity_id=project.pk)
    assert not Interest.objects.exists()


@pytest.fixture
def interest(project, other_hr):
    return partnering.interest_express(actor=other_hr, opportunity_id=project.pk, note="合作开发")


def test_staff_broker_a_meeting_and_record_its_outcome(client, project, interest, heping_staff, hunnan_staff,
                                                       other_org, sponsor_org):
    client.force_login(heping_staff)
    form = client.get(f"/opportunities/projects/{project.pk}/meetings/new/")
    assert form.status_code == 200 and other_org.name in form.content.decode()
    bad = client.post(f"/opportunities/projects/{project.pk}/meetings/new/",
                      {"kind": "party", "held_on": "明天", "organizations": ["999999"]})
    text = bad.content.decode()
    assert bad.status_code == 422 and "活动形式" in text and "活动日期" in text and "参加单位" in text
    assert not Meeting.objects.exists()
    ok = client.post(f"/opportunities/projects/{project.pk}/meetings/new/",
                     {"kind": "roadshow", "held_on": in_days(7), "place": "浑南科技城路演厅",
                      "organizations": [str(other_org.pk), str(sponsor_org.pk)]})
    assert ok.status_code == 302
    meeting = Meeting.objects.get()
    assert set(meeting.organizations.values_list("pk", flat=True)) == {other_org.pk, sponsor_org.pk}

    # another district's officer neither sees nor records it
    with pytest.raises(NotFound):
        partnering.meeting_outcome_record(actor=hunnan_staff, meeting_id=meeting.pk, outcome="intent")
    url = f"/opportunities/projects/meetings/{meeting.pk}/outcome/"
    asked = client.post(url, {"outcome": "signed"})  # no confirmed=1: the confirmation page, nothing written
    assert asked.status_code == 200 and "记录后结果不能再修改" in asked.content.decode()
    assert Meeting.objects.get().outcome == "pending"
    missing = client.post(url, {"outcome": "no_deal", "confirmed": "1"})
    assert missing.status_code == 422 and "结果说明" in missing.content.decode()
    intent = client.post(url, {"outcome": "intent", "outcome_note": "双方同意继续洽谈", "confirmed": "1"})
    assert intent.status_code == 302
    assert client.post(url, {"outcome": "signed", "outcome_note": "签署合作协议", "confirmed": "1"}).status_code == 302
    final = client.post(url, {"outcome": "no_deal", "outcome_note": "改主意", "confirmed": "1"})
    assert final.status_code == 409 and "签约合作" in final.content.decode()
    assert Meeting.objects.values_list("outcome", "outcome_note").get() == ("signed", "签署合作协议")


def test_the_library_filters_and_scopes(client, project, sponsor, heping_staff, hunnan_staff, talent_user):
    from rencai.opportunities import services

    draft = services.opportunity_create(sponsor, {
        "kind": "result", "title": "高温合金叶片检测算法", "description": "基于机器视觉的叶片缺陷检测",
        "industry": "aviation", "seeking": "partner", "closes_on": in_days(20)})
    assert list(partnering.library(talent_user)) == [project]
    assert {o.pk for o in partnering.library(sponsor, status="all")} == {project.pk}  # published only
    assert {o.pk for o in partnering.library(heping_staff, status="all")} == {project.pk, draft.pk}
    assert list(partnering.library(hunnan_staff, status="draft")) == []
    assert list(partnering.library(heping_staff, text="导热膜")) == [project]
    assert list(partnering.library(heping_staff, text="中试线", kind="result")) == []
    assert list(partnering.library(heping_staff, seeking="funding", industry="new_materials",
                                   district="210102")) == [project]
    assert list(partnering.library(heping_staff, seeking="partner")) == []
    client.force_login(talent_user)
    page = client.get("/opportunities/projects/", {"q": "石墨烯"})
    assert page.status_code == 200 and project.title in page.content.decode()
    assert client.get(f"/opportunities/{draft.pk}/").status_code == 404


def test_lists_and_exports_are_scoped_and_logged(client, project, interest, heping_staff, hunnan_staff, other_hr,
                                                 other_org):
    partnering.meeting_create(actor=heping_staff, opportunity_id=project.pk, kind="matchmaking",
                              held_on=in_days(3), organization_ids=[other_org.pk])
    assert partnering.interests_visible(hunnan_staff).count() == 0
    assert partnering.meetings_visible(hunnan_staff).count() == 0
    assert partnering.interests_visible(other_hr).count() == 1 and partnering.meetings_visible(other_hr).count() == 1
    client.force_login(heping_staff)
    for url, sheet_name, expected in (("/opportunities/projects/export/", "项目和科技成果", project.title),
                                      ("/opportunities/projects/interests/export/", "合作意向", other_org.name),
                                      ("/opportunities/projects/meetings/export/", "路演与对接", "对接洽谈")):
        response = client.get(url)
        assert response.status_code == 200
        rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content)))[sheet_name].values)
        assert len(rows) == 2 and expected in rows[1]
    assert AuditEvent.objects.filter(action="export", object_type__startswith="opportunities.").count() == 3
    for url in ("/opportunities/projects/interests/", "/opportunities/projects/meetings/"):
        assert other_org.name in client.get(url).content.decode()
    client.force_login(other_hr)
    assert client.get("/opportunities/projects/meetings/export/").status_code == 403


def test_a_talent_lists_their_own_result(client, talent_user, talent, heping_staff):
    client.force_login(talent_user)
    assert "发布项目或成果" in client.get("/opportunities/projects/").content.decode()
    response = client.post("/opportunities/projects/new/", {
        "kind": "result", "title": "低功耗MEMS温度传感器", "description": "已获发明专利，寻求产业化合作伙伴",
        "industry": "sensors", "seeking": "partner", "closes_on": in_days(90), "submit": "1"})
    assert response.status_code == 302
    result = Opportunity.objects.get(title="低功耗MEMS温度传感器")
    assert (result.kind, result.status, result.sponsor_name, result.district_id) == (
        "result", "pending", talent.name, talent.district_id)
    refused = client.post("/opportunities/projects/new/", {"kind": "project", "title": "x"})
    assert refused.status_code == 422 and Opportunity.objects.count() == 1
