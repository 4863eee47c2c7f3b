"""政策兑现 pages, as each role uses them: a talent from 您可能符合 to a submitted application, the departments'
queues and decisions (403 for the wrong department, 4xx in Chinese for bad input), bulk, export, 公示."""

import datetime as dt

import pytest
from django.utils import timezone

from rencai.audit.models import AuditEvent
from rencai.fulfilment import services
from rencai.fulfilment.enums import Status
from rencai.fulfilment.models import Application, Objection, PolicySetting, PublicNotice
from rencai.fulfilment.routes import policy_setting

from .conftest import POLICY, put_on_file

pytestmark = pytest.mark.django_db


def logged_in(client, user):
    client.force_login(user)
    return client


def test_a_refused_application_lists_each_problem_once(client, make_user, make_talent):
    user = make_user("zhuanke", "talent")
    talent = make_talent(name="专科生", highest_degree="专科")
    talent.user = user
    talent.save(update_fields=["user"])
    logged_in(client, user)
    refused = client.post(f"/fulfilment/apply/{POLICY}/", {"note": ""})
    problems = refused.content.decode().split('id="problems"', 1)[1].split("</div>", 1)[0]
    assert refused.status_code == 422 and problems.count("<li>") == 3, problems  # not eligible + two documents
    assert problems.count("限本科、硕士、博士毕业生") == 1 and "<li>缺少材料：学位证书" in problems


def test_talent_applies_from_the_suggestion_missing_materials_listed_at_once(client, talent_user, talent):
    logged_in(client, talent_user)
    page = client.get("/fulfilment/")
    assert page.status_code == 200 and f"/fulfilment/apply/{POLICY}/" in page.content.decode()
    form = client.get(f"/fulfilment/apply/{POLICY}/")
    text = form.content.decode()
    assert form.status_code == 200 and "学位证书：缺少" in text and "劳动合同：缺少" in text
    refused = client.post(f"/fulfilment/apply/{POLICY}/", {"note": ""})
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "缺少材料：学位证书" in body and "缺少材料：劳动合同" in body
    assert not Application.objects.exists()
    put_on_file(talent_user, talent)
    done = client.post(f"/fulfilment/apply/{POLICY}/", {"note": "请审核"})
    application = Application.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/fulfilment/applications/{application.pk}/"
    again = client.post(f"/fulfilment/apply/{POLICY}/", {"note": "请审核"})
    assert again.status_code == 302 and Application.objects.count() == 1
    detail = client.get(done["Location"]).content.decode()
    assert "区人社局审核" in detail and "2500" in detail and "提交申请" in detail


def test_departments_take_their_steps_and_only_theirs(client, submitted, heping_staff, hunnan_staff, city_staff):
    application = submitted()
    url = f"/fulfilment/applications/{application.pk}/"
    assert logged_in(client, hunnan_staff).get(url).status_code == 404
    assert logged_in(client, city_staff).post(url + "decide/",
                                              {"confirmed": "1", "action": "approve"}).status_code == 403
    assert AuditEvent.objects.filter(action="denied", actor=city_staff).exists()
    logged_in(client, heping_staff)
    queue = client.get("/fulfilment/queue/").content.decode()
    assert application.number in queue
    bad = client.post(url + "decide/", {"confirmed": "1", "action": "reject", "reason": ""})
    assert bad.status_code == 422 and "理由" in bad.content.decode()
    assert client.post(url + "decide/", {"confirmed": "1", "action": "bogus"}).status_code == 422
    assert client.post(url + "decide/",
                       {"confirmed": "1", "action": "approve", "reason": "材料齐全"}).status_code == 302
    application.refresh_from_db()
    assert application.current_step.key == "city_approval"
    assert application.number in logged_in(client, city_staff).get("/fulfilment/queue/").content.decode()


def test_bulk_reject_with_one_reason_and_the_talent_sees_it(client, submitted, heping_staff, talent_user):
    application = submitted()
    logged_in(client, heping_staff)
    empty = client.post("/fulfilment/queue/bulk/",
                        {"confirmed": "1", "action": "reject", "reason": "", "applications": [application.pk]})
    assert empty.status_code == 422
    done = client.post("/fulfilment/queue/bulk/", {"confirmed": "1", "action": "reject", "reason": "社保缴纳记录不足",
                                                   "applications": [application.pk]})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.REJECTED
    page = logged_in(client, talent_user).get(f"/fulfilment/applications/{application.pk}/").content.decode()
    assert "社保缴纳记录不足" in page and "重新申请" in page


def test_export_is_a_logged_workbook(client, submitted, heping_staff):
    submitted()
    response = logged_in(client, heping_staff).get("/fulfilment/queue/export/?status=all")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    assert AuditEvent.objects.filter(action="export", actor=heping_staff, row_count=1).exists()


def test_talent_and_employer_cannot_see_the_queue(client, talent_user):
    assert logged_in(client, talent_user).get("/fulfilment/queue/").status_code == 403


def test_public_notice_page_and_objection_without_login(client, submitted, heping_staff, city_staff, finance_staff,
                                                         budget):
    budget()
    policy_setting(POLICY)
    PolicySetting.objects.filter(policy=POLICY).update(public_notice_days=5)
    application = submitted()
    for actor in (heping_staff, city_staff, finance_staff):
        services.application_approve(actor=actor, application_id=application.pk)
    page = client.get("/gongshi/").content.decode()
    assert "张**" in page and "张三明" not in page
    notice = PublicNotice.objects.get()
    assert client.post(f"/gongshi/{notice.pk}/objection/", {"text": ""}).status_code == 422
    assert client.post(f"/gongshi/{notice.pk}/objection/", {"text": "重复享受"}).status_code == 302
    assert Objection.objects.count() == 1
    # A public form: past five an hour from one address for one notice, 429 on the page with the form.
    elsewhere = {"REMOTE_ADDR": "203.0.113.8"}
    for i in range(services.OBJECTION_LIMIT.count):
        assert client.post(f"/gongshi/{notice.pk}/objection/", {"text": f"补充{i}"}, **elsewhere).status_code == 302
    throttled = client.post(f"/gongshi/{notice.pk}/objection/", {"text": "再补充"}, **elsewhere)
    assert throttled.status_code == 429 and "每小时最多" in throttled.content.decode()
    assert 'name="text"' in throttled.content.decode()
    Objection.objects.exclude(text="重复享受").delete()
    PublicNotice.objects.filter(pk=notice.pk).update(ends_on=timezone.localdate() - dt.timedelta(days=1))
    assert client.post(f"/gongshi/{notice.pk}/objection/", {"text": "晚了"}).status_code == 409
    objection = Objection.objects.get()
    logged_in(client, heping_staff)
    url = f"/fulfilment/applications/{application.pk}/"
    assert "重复享受" in client.get(url).content.decode()
    assert client.post(url + "finalize/", {"confirmed": "1"}).status_code == 409
    assert client.post(f"/fulfilment/objections/{objection.pk}/answer/",
                       {"confirmed": "1", "answer": "不属实"}).status_code == 422
    assert client.post(f"/fulfilment/objections/{objection.pk}/answer/",
                       {"confirmed": "1", "answer": "经核实不属实", "upheld": "0"}).status_code == 302
    assert client.post(url + "finalize/", {"confirmed": "1"}).status_code == 302
    application.refresh_from_db()
    assert application.status == Status.APPROVED and application.entitlement_id


def test_calculator_and_my_page_link_to_the_application(client, talent_user, heping_staff):
    page = logged_in(client, talent_user).get("/me/").content.decode()
    assert f'href="/fulfilment/apply/{POLICY}/"' in page
    query = {"as_of": "2026-06-01", "city": "shenyang", "birth_date": "1990-01-01", "degree": "doctor"}
    calc = client.get("/calc/", query)
    assert calc.status_code == 200
    assert f'href="/fulfilment/apply/{POLICY}/"' in calc.content.decode()
    # Staff cannot apply for themselves (the form would refuse them with a 403): no 申请 on their calculator.
    staff_calc = logged_in(client, heping_staff).get("/calc/", query).content.decode()
    assert f'data-policy="{POLICY}"' in staff_calc and f'href="/fulfilment/apply/{POLICY}/"' not in staff_calc


def test_match_list_sends_the_invitations(client, talent, heping_staff):
    from rencai.fulfilment.models import Invitation
    from rencai.policies.matching import match_run

    match_run(as_of=timezone.localdate())
    logged_in(client, heping_staff)
    page = client.get(f"/policies/matches/{POLICY}/").content.decode()
    assert "精准推送" in page and f"/fulfilment/invite/{POLICY}/" in page
    assert client.post(f"/fulfilment/invite/{POLICY}/", {"confirmed": "1"}).status_code == 302
    assert Invitation.objects.filter(talent=talent, policy=POLICY).count() == 1


def test_an_example_no_application_offer_is_flagged_on_screen(client, talent_user, talent, admin_user):
    from rencai.fulfilment.models import Offer

    services.policy_setting_mark(actor=admin_user, policy_id=POLICY, no_application=True, note="演示", example=True)
    Offer.objects.create(talent=talent, policy=POLICY, policy_title="高校毕业生生活补贴", monthly_fen=250_000)
    page = logged_in(client, talent_user).get("/fulfilment/").content.decode()
    assert "演示示例" in page and "确认享受" in page and "2,500.00" in page
