"""项目申报's pages through the Django client: each role sees what it should, bad input is a 4xx with a Chinese
message (never a 500), every list exports as a real .xlsx, and jurisdiction holds."""

import io
import re

import pytest
from openpyxl import load_workbook

from rencai.programmes import services
from rencai.programmes.models import Application, Call

from .conftest import ORGANIZATION, PERSON, TEAM, make_call

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def _xlsx(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else
                                    response.content))


def test_staff_open_a_call_through_the_form(client, city_staff, heping_staff):
    _login(client, heping_staff)
    assert client.get("/programmes/calls/new/").status_code == 403  # a district's staff do not open calls
    _login(client, city_staff)
    page = client.get("/programmes/calls/new/")
    assert page.status_code == 200 and "产业急需紧缺人才奖励" in page.content.decode()
    bad = client.post("/programmes/calls/new/", {"policy": PERSON, "year": "2026", "opens_on": "2026-13-01",
                                                 "closes_on": "", "money": "abc", "tier1_label": "一档",
                                                 "tier1_places": "x", "tier1_amount": "300000",
                                                 "stage_award": "50", "stage_final": "40", "payee": "talent",
                                                 "panel_size": "3", "review_days": "10", "notice_days": "5",
                                                 "final_months": "24"})
    text = bad.content.decode()
    assert bad.status_code == 422
    for words in ("申报开始日期格式", "本批资金总额", "计划名额", "合计应为100%"):
        assert words in text
    good = client.post("/programmes/calls/new/", {
        "policy": PERSON, "year": "2026", "opens_on": "2026-01-01", "closes_on": "2026-12-31", "money": "3000000",
        "tier1_label": "30万元档", "tier1_places": "10", "tier1_places_max": "12", "tier1_amount": "300000",
        "materials": ["labour_contract"], "stage_award": "50", "stage_final": "50", "payee": "talent",
        "panel_size": "3", "review_days": "10", "notice_days": "5", "final_months": "24", "publish": "1"})
    assert good.status_code == 302
    call = Call.objects.get()
    assert call.published and call.tiers.get().places_max == 12
    page = client.get(f"/programmes/calls/{call.pk}/").content.decode()
    assert "计划名额" in page and PERSON not in re.sub(r"<[^>]+>", "", page)  # no slug on screen


def test_a_talent_applies_on_the_page_and_sees_what_is_missing(client, city_staff, person):
    call = make_call(city_staff, PERSON, materials=["labour_contract"])
    _login(client, person.user)
    assert call.title in client.get("/programmes/").content.decode()
    refused = client.post(f"/programmes/calls/{call.pk}/apply/", {"project_title": ""})
    assert refused.status_code == 422 and "项目名称" in refused.content.decode()
    saved = client.post(f"/programmes/calls/{call.pk}/apply/", {"project_title": "工业机器人视觉检测"})
    assert saved.status_code == 302
    app = Application.objects.get()
    submit = client.post(f"/programmes/applications/{app.pk}/act/", {"action": "submit"})
    assert submit.status_code == 422 and "缺少申报材料：劳动合同" in submit.content.decode()
    page = client.get(f"/programmes/applications/{app.pk}/").content.decode()
    assert "劳动合同" in page and "缺少" in page


def test_an_unknown_action_or_a_foreign_application_is_refused_without_a_500(client, city_staff, heping_staff,
                                                                            hunnan_staff,
                                                                            person):
    call = make_call(city_staff, PERSON)
    app = services.application_create(actor=person.user, data=services.ApplicationInput(
        call_id=call.pk, project_title="工业机器人视觉检测"))
    services.application_submit(actor=person.user, application_id=app.pk)
    _login(client, heping_staff)
    bad = client.post(f"/programmes/applications/{app.pk}/act/", {"action": "fly", "confirmed": "1"})
    assert bad.status_code == 422
    # A 浑南区 officer does not see a 和平区 talent's application.
    _login(client, hunnan_staff)
    assert client.get(f"/programmes/applications/{app.pk}/").status_code == 404
    assert client.post(f"/programmes/applications/{app.pk}/act/",
                       {"action": "accept", "confirmed": "1"}).status_code == 404
    assert Application.objects.get(pk=app.pk).status == "submitted"


def test_every_list_exports_as_xlsx(client, city_staff, person, hr):
    call = make_call(city_staff, PERSON)
    services.application_create(actor=person.user, data=services.ApplicationInput(
        call_id=call.pk, project_title="=HYPERLINK(\"http://x\")"))
    _login(client, city_staff)
    book = _xlsx(client.get(f"/programmes/calls/{call.pk}/export/"))
    assert book.sheetnames == ["申报", "立项", "拨付"]
    rows = list(book["申报"].values)
    assert rows[1][3] == person.name and str(rows[1][4]).startswith("'=")  # never a formula
    book = _xlsx(client.get("/programmes/export/"))
    assert book["申报通知"].max_row == 2 and "待形式审查" not in book.sheetnames  # nothing submitted yet
    assert _xlsx(client.get(f"/programmes/programme/{PERSON}/export/"))["分年度情况"].max_row >= 1
    _login(client, person.user)
    assert _xlsx(client.get("/programmes/export/"))["项目申报"].max_row == 2
    _login(client, hr)
    assert _xlsx(client.get("/programmes/export/?what=awards"))["立项"].max_row == 1


def test_the_employer_page_lists_stations_and_recommends_its_people(client, city_staff, hr, person, company):
    import datetime as dt

    from rencai.organizations.models import Station

    Station.objects.create(organization=company, kind="postdoc_workstation", name="机器人博士后工作站",
                           established_on=dt.date(2024, 3, 1))
    make_call(city_staff, PERSON)
    make_call(city_staff, ORGANIZATION, tiers=[services.TierInput(label="6万元档", places=5, amount="60000",
                                                                      value="tier_6")])
    _login(client, hr)
    page = client.get("/programmes/employer/").content.decode()
    assert "机器人博士后工作站" in page and "博士后科研工作站" in page
    assert person.name in page  # eligible for the person programme
    assert company.name in page  # and the company itself for the employer's one


def test_a_team_member_confirms_on_the_page(client, city_staff, person, make_member):
    from rencai.core import crypto
    from rencai.talents.models import Talent

    member = make_member("赵敏")
    call = make_call(city_staff, TEAM)
    _login(client, person.user)
    number = crypto.decrypt(Talent.objects.get(pk=member.pk).id_number_cipher)
    saved = client.post(f"/programmes/calls/{call.pk}/apply/", {
        "project_title": "视觉团队项目", "team_name": "视觉团队", "team_kind": "innovation", "team_introduced": "1",
        "member1_name": "赵敏", "member1_id_number": number, "member1_duty": "算法"})
    assert saved.status_code == 302, saved.content.decode()[:500]
    app = Application.objects.get()
    _login(client, member.user)
    assert "确认加入" in client.get(f"/programmes/applications/{app.pk}/").content.decode()
    client.post(f"/programmes/applications/{app.pk}/member/", {"accept": "1"})
    assert app.members.get().status == "confirmed"
    assert client.post(f"/programmes/applications/{app.pk}/member/", {"accept": "x"}).status_code == 422


def test_the_admin_site_lists_calls_and_shows_the_rest_read_only(client, admin_user, city_staff, person, company):
    call = make_call(city_staff, PERSON)
    services.application_create(actor=person.user, data=services.ApplicationInput(
        call_id=call.pk, project_title="工业机器人视觉检测"))
    _login(client, admin_user)
    for path in ("call", "application", "award", "grantstage", "report"):
        assert client.get(f"/admin/programmes/{path}/").status_code == 200
    assert client.get(f"/admin/programmes/call/{call.pk}/change/").status_code == 200
    assert client.get("/admin/programmes/application/add/").status_code == 403
    assert client.get(f"/admin/organizations/organization/{company.pk}/change/").status_code == 200


def test_home_pages_show_what_waits_in_programmes(client, city_staff, hr, person, make_member):
    from rencai.core import crypto
    from rencai.talents.models import Talent

    member = make_member("赵敏")
    call = make_call(city_staff, TEAM, endorsement=True)
    number = crypto.decrypt(Talent.objects.get(pk=member.pk).id_number_cipher)
    services.application_create(actor=person.user, data=services.ApplicationInput(
        call_id=call.pk, project_title="视觉团队项目", team_name="视觉团队", team_kind="innovation",
        team_introduced=True, members=[services.MemberInput("赵敏", number)]))
    from rencai.core.selectors import home_for

    talent_lines = {t.key: t.count for t in home_for(user=member.user).tasks}
    assert talent_lines.get("programme-invitations") == 1
    assert {t.key: t.count for t in home_for(user=hr).tasks}.get("programme-endorsements") == 1
    assert "programme-invitations" not in {t.key for t in home_for(user=person.user).tasks}  # the lead's own team
    staff_lines = {t.key: t.count for t in home_for(user=city_staff).tasks}
    assert staff_lines["programmes"] == 0 and staff_lines["programme-reports"] == 0


def test_the_leader_home_lists_the_award_lists_to_approve(client, city_staff, leader, person, experts):
    from .test_services import _ranked_call

    call, _apps = _ranked_call(city_staff, [person], experts, [(0.9, 0.9, 0.9)])
    _login(client, leader)
    page = client.get("/").content.decode()
    assert "待审批的立项名单" in page
    Call.objects.filter(pk=call.pk).update(approved_at="2026-01-01T00:00:00Z")
    assert "待审批的立项名单" not in client.get("/").content.decode()


def test_staff_return_for_correction_with_the_words_they_typed(client, city_staff, heping_staff, person):
    call = make_call(city_staff, PERSON)
    app = services.application_create(actor=person.user, data=services.ApplicationInput(
        call_id=call.pk, project_title="工业机器人视觉检测"))
    services.application_submit(actor=person.user, application_id=app.pk)
    _login(client, heping_staff)
    page = client.get("/programmes/").content.decode()
    assert app.number in page and "待形式审查" in page  # the district's queue
    book = _xlsx(client.get("/programmes/export/"))
    assert [row[0] for row in book["待形式审查"].values][1:] == [app.number]
    answer = client.post(f"/programmes/applications/{app.pk}/act/", {"action": "return",
                                                                        "reason": "请补充项目可行性说明"})
    assert answer.status_code == 302
    app.refresh_from_db()
    assert app.status == "returned" and "请补充项目可行性说明" in app.problems.values()


def test_an_employer_declares_several_talents_from_the_call_page(client, city_staff, hr, person, urgent_position):
    call = make_call(city_staff, ORGANIZATION)
    app = services.application_create(actor=hr, data=services.ApplicationInput(
        call_id=call.pk, project_title="引进视觉专家", talent_id=person.pk))
    _login(client, hr)
    page = client.get(f"/programmes/calls/{call.pk}/").content.decode()
    assert "再申报一人" in page and person.name in page
    assert urgent_position.position in client.get(f"/programmes/calls/{call.pk}/apply/").content.decode()
    assert "未填写" in client.get(f"/programmes/applications/{app.pk}/").content.decode()
    client.post(f"/programmes/applications/{app.pk}/shortage/", {"shortage_entry": urgent_position.pk})
    app.refresh_from_db()
    assert app.shortage_entry == urgent_position
