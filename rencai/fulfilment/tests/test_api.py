"""政策兑现's API: a talent applies (idempotently), follows, withdraws and resubmits; each department decides
through its queue; 免申即享 offers, 精准推送, 公示 and objections; every refusal kind (401, 403 logged, 404
outside the jurisdiction, 409, 422 naming the field in Chinese) and money as decimal strings. Every response
is checked against /api/openapi.json."""

import pytest
from django.utils import timezone

from rencai.audit.models import AuditEvent
from rencai.core.labels import field_label
from rencai.core.openapi_check import checked_body, post_json
from rencai.datahub.tests.factories import verify
from rencai.fulfilment import services
from rencai.fulfilment.models import Application, Invitation, Objection, Offer, PolicySetting
from rencai.fulfilment.routes import policy_setting

from .conftest import POLICY, put_on_file

SKILLED = "sy-living-subsidy-skilled"

pytestmark = pytest.mark.django_db
BASE = "/api/fulfilment"


def check(response, method: str, path: str) -> dict:
    return checked_body(response, method, BASE + path)


post = post_json


def denied(actor) -> int:
    return AuditEvent.objects.filter(action="denied", actor=actor).count()


def submit_over_api(client, user, talent, policy=POLICY):
    put_on_file(user, talent)
    client.force_login(user)
    response = post(client, f"{BASE}/applications", {"policy": policy})
    assert response.status_code == 201, response.content
    return response.json()


def test_talent_applies_once_follows_the_route_and_sees_the_frozen_explanation(
        client, talent_user, talent, heping_staff, city_staff, finance_staff, budget):
    budget()
    client.force_login(talent_user)
    missing = post(client, f"{BASE}/applications", {"policy": POLICY})
    body = check(missing, "post", "/applications")
    assert missing.status_code == 422
    assert {e["field"] for e in body["errors"]} == {"documents.degree", "documents.labour_contract"}
    assert "学位证书" in body["message"] and "劳动合同" in body["message"]
    assert not Application.objects.exists()

    put_on_file(talent_user, talent)
    first = post(client, f"{BASE}/applications", {"policy": POLICY, "note": "请尽快办理"})
    created = check(first, "post", "/applications")
    assert first.status_code == 201 and created["status"] == "reviewing" and created["status_label"] == "审核中"
    assert created["amount"] == {"monthly_amount": "2500.00", "months": 36, "one_time_amount": None,
                                 "total": "90000.00", "text": "每月2500.00元，36个月"}
    explanation = created["explanation"]
    assert explanation["eligible"] is True and explanation["monthly_amount"] == "2500.00"
    assert explanation["inputs"]["degree"] == "doctor" and "2500" in explanation["source"]["quote"]
    assert explanation["as_of"] == timezone.localdate().isoformat() and explanation["reasons"]
    assert [s["title"] for s in created["steps"]] == ["区人社局审核", "市人社局审批", "市财政局拨付"]
    assert [e["action"] for e in created["timeline"]] == ["submit"]
    assert {d["kind"] for d in created["documents"]} == {"degree", "labour_contract"}
    assert created["may_decide"] is False

    # The same form posted again: one application, answered 200 with the one under way.
    again = post(client, f"{BASE}/applications", {"policy": POLICY, "note": "请尽快办理"})
    assert again.status_code == 200 and check(again, "post", "/applications")["id"] == created["id"]
    assert Application.objects.count() == 1
    pk = created["id"]
    listing = check(client.get(f"{BASE}/applications"), "get", "/applications")
    assert listing["count"] == 1 and [r["id"] for r in listing["results"]] == [pk]

    # A later registry edit does not change what was submitted.
    talent.highest_degree = "master"
    talent.save(update_fields=["highest_degree"])

    for actor, step in ((heping_staff, "district_review"), (city_staff, "city_approval"),
                        (finance_staff, "finance_payment")):
        client.force_login(actor)
        queue = check(client.get(f"{BASE}/queue"), "get", "/queue")
        assert [(r["id"], r["current_step_key"]) for r in queue["results"]] == [(pk, step)]
        assert check(client.get(f"{BASE}/applications/{pk}"), "get", "/applications/{application_id}")[
            "may_decide"] is True
        decided = post(client, f"{BASE}/applications/{pk}/approve", {"reason": "同意"})
        check(decided, "post", "/applications/{application_id}/approve")
        assert decided.status_code == 200

    client.force_login(talent_user)
    detail = check(client.get(f"{BASE}/applications/{pk}"), "get", "/applications/{application_id}")
    assert detail["status"] == "approved" and detail["current_step"] is None
    assert detail["explanation"]["inputs"]["degree"] == "doctor"
    assert [s["decision"] for s in detail["steps"]] == ["approved"] * 3
    assert [e["action"] for e in detail["timeline"]] == ["submit", "approve", "approve", "approve"]
    assert "财政局" in detail["timeline"][-1]["actor"]


def test_refusals_each_kind_in_chinese_and_nothing_changes(
        client, talent_user, talent, heping_staff, hunnan_staff, city_staff, leader):
    pk = submit_over_api(client, talent_user, talent)["id"]
    path = "/applications/{application_id}/approve"

    client.logout()
    anonymous = client.get(f"{BASE}/applications/{pk}")
    assert anonymous.status_code == 401 and check(anonymous, "get", "/applications/{application_id}")[
        "message"] == "请先登录"

    client.force_login(hunnan_staff)  # another district: as if it did not exist
    assert check(client.get(f"{BASE}/applications/{pk}"), "get", "/applications/{application_id}")[
        "code"] == "not_found"
    assert post(client, f"{BASE}/applications/{pk}/approve").status_code == 404

    client.force_login(leader)  # a decision without the role: 403, logged
    refused = post(client, f"{BASE}/applications/{pk}/approve", {"reason": "同意"})
    assert refused.status_code == 403 and "区人社局审核" in check(refused, "post", path)["message"]
    assert denied(leader) == 1
    bulk = post(client, f"{BASE}/bulk", {"applications": [pk], "action": "approve"})
    assert bulk.status_code == 403 and check(bulk, "post", "/bulk")["code"] == "forbidden"
    assert denied(leader) == 2

    client.force_login(city_staff)  # the city's step is not yet due: the district's comes first
    assert post(client, f"{BASE}/applications/{pk}/approve").status_code == 403 and denied(city_staff) == 1

    client.force_login(heping_staff)
    no_reason = post(client, f"{BASE}/applications/{pk}/reject", {"reason": "  "})
    body = check(no_reason, "post", "/applications/{application_id}/reject")
    assert no_reason.status_code == 422 and body["errors"][0]["field"] == "reason" and "理由" in body["message"]
    unknown = post(client, f"{BASE}/applications/{pk}/approve", {"reason": "同意", "colour": "red"})
    assert unknown.status_code == 422 and "colour" in check(unknown, "post", path)["message"]
    assert Application.objects.get(pk=pk).steps.filter(decision="pending").count() == 3

    rejected = post(client, f"{BASE}/applications/{pk}/reject", {"reason": "劳动合同未盖章"})
    assert check(rejected, "post", "/applications/{application_id}/reject")["reject_reason"] == "劳动合同未盖章"
    conflict = post(client, f"{BASE}/applications/{pk}/approve", {"reason": "同意"})  # already decided
    assert conflict.status_code == 409 and "不能再审核" in check(conflict, "post", path)["message"]
    assert Application.objects.get(pk=pk).status == "rejected"

    bad_filter = client.get(f"{BASE}/queue", {"status": "bogus", "overdue": "soon"})
    body = check(bad_filter, "get", "/queue")
    assert bad_filter.status_code == 422 and {e["field"] for e in body["errors"]} == {"status", "overdue"}
    assert "状态" in body["message"] and "超期" in body["message"]
    assert client.get(f"{BASE}/queue", {"page": "0"}).status_code == 400
    huge = client.get(f"{BASE}/applications/{10**30}")
    assert huge.status_code == 422 and "申请" in huge.json()["message"]

    client.force_login(talent_user)
    unknown_policy = post(client, f"{BASE}/applications", {"policy": "no-such-policy"})
    assert unknown_policy.status_code == 404 and check(unknown_policy, "post", "/applications")["message"]
    other = post(client, f"{BASE}/applications", {"policy": POLICY, "talent_id": talent.pk + 1000})
    assert other.status_code == 404


def test_a_heping_officer_never_sees_a_hunnan_application(client, make_talent, make_user, heping_staff,
                                                           hunnan_staff):
    from rencai.accounts.enums import Role

    user = make_user("hunnan-talent", Role.TALENT)
    hunnan = make_talent(name="赵浑南", district="浑南区")
    hunnan.user = user
    hunnan.save(update_fields=["user"])
    pk = submit_over_api(client, user, hunnan)["id"]

    client.force_login(hunnan_staff)
    assert [r["id"] for r in client.get(f"{BASE}/queue").json()["results"]] == [pk]
    client.force_login(heping_staff)
    for status in ("mine", "all", "reviewing"):
        assert check(client.get(f"{BASE}/queue", {"status": status}), "get", "/queue")["count"] == 0
    assert client.get(f"{BASE}/applications").json()["count"] == 0
    assert client.get(f"{BASE}/applications/{pk}").status_code == 404
    for action in ("approve", "reject", "withdraw", "resubmit", "finalize"):
        assert post(client, f"{BASE}/applications/{pk}/{action}", {} if action == "finalize" else
                    {"reason": "x"} if action != "resubmit" else {}).status_code == 404
    bulk = check(post(client, f"{BASE}/bulk", {"applications": [pk], "action": "approve"}), "post", "/bulk")
    assert bulk["done"] == [] and bulk["refused"][0]["id"] == pk
    # Nor may they enter a paper application for a talent outside their district.
    assert post(client, f"{BASE}/applications", {"policy": POLICY, "talent_id": hunnan.pk}).status_code == 404
    assert Application.objects.get(pk=pk).steps.filter(decision="pending").count() == 3


def test_withdraw_then_resubmit_opens_a_new_round(client, talent_user, talent, heping_staff):
    pk = submit_over_api(client, talent_user, talent)["id"]
    client.force_login(heping_staff)  # only the applicant may withdraw: refused and logged
    assert post(client, f"{BASE}/applications/{pk}/withdraw", {}).status_code == 403 and denied(heping_staff) == 1
    client.force_login(talent_user)
    withdrawn = post(client, f"{BASE}/applications/{pk}/withdraw", {"reason": "暂不需要"})
    body = check(withdrawn, "post", "/applications/{application_id}/withdraw")
    assert body["status"] == "withdrawn" and {s["decision"] for s in body["steps"]} == {"cancelled"}
    resubmitted = post(client, f"{BASE}/applications/{pk}/resubmit", {"note": "补充材料后重新提交"})
    body = check(resubmitted, "post", "/applications/{application_id}/resubmit")
    assert body["status"] == "reviewing" and body["id"] == pk
    assert body["steps"][-3]["round"] == 2 and body["current_step_key"] == "district_review"
    assert [e["action"] for e in body["timeline"]] == ["submit", "withdraw", "resubmit"]
    assert Application.objects.count() == 1


def test_bulk_decisions_report_each_refusal(client, submitted, heping_staff):
    application = submitted()
    client.force_login(heping_staff)
    empty = post(client, f"{BASE}/bulk", {"applications": [], "action": "approve"})
    assert empty.status_code == 422 and "申请" in check(empty, "post", "/bulk")["message"]
    wrong = post(client, f"{BASE}/bulk", {"applications": [application.pk], "action": "maybe"})
    assert wrong.status_code == 422 and "操作" in wrong.json()["message"]
    done = post(client, f"{BASE}/bulk", {"applications": [application.pk, 999999], "action": "approve",
                                         "reason": "材料齐全"})
    body = check(done, "post", "/bulk")
    assert [r["id"] for r in body["done"]] == [application.pk]
    assert body["done"][0]["current_step_key"] == "city_approval"
    assert body["refused"] == [{"id": 999999, "message": "未找到该记录，或不在您的管辖范围内"}]


def test_offers_confirm_and_decline(client, talent_user, talent, admin_user, leader):
    from rencai.policies.models import MatchRun, PolicyMatch

    services.policy_setting_mark(actor=admin_user, policy_id=POLICY, no_application=True, note="演示示例",
                                 example=True)
    services.policy_setting_mark(actor=admin_user, policy_id=SKILLED, no_application=True, note="示例")
    run = MatchRun.objects.create(as_of=timezone.localdate(), status=MatchRun.Status.FINISHED,
                                  finished_at=timezone.now())
    for policy, alternative in ((POLICY, False), (SKILLED, True)):
        PolicyMatch.objects.create(run=run, talent=talent, policy=policy, eligible="true", decided_by="x",
                                   exclusive_group="sy-housing-or-living", alternative=alternative,
                                   monthly_fen=250_000, total_fen=9_000_000)
    talent.skill_level = "technician"
    talent.save()
    verify([talent])
    services.offers_generate()
    client.force_login(talent_user)
    no_form = post(client, f"{BASE}/applications", {"policy": POLICY})
    assert no_form.status_code == 409 and "免申即享" in check(no_form, "post", "/applications")["message"]
    offers = check(client.get(f"{BASE}/offers"), "get", "/offers")
    living = next(o for o in offers if o["policy"] == POLICY)
    assert living["recommended"] is True and living["example"] is True and living["monthly_amount"] == "2500.00"
    assert living["total"] == "90000.00"
    rent = next(o for o in offers if o["policy"] == SKILLED)
    client.force_login(leader)  # not theirs
    assert post(client, f"{BASE}/offers/{living['id']}/confirm").status_code == 404
    client.force_login(talent_user)
    put_on_file(talent_user, talent)
    confirmed = post(client, f"{BASE}/offers/{living['id']}/confirm")
    body = check(confirmed, "post", "/offers/{offer_id}/confirm")
    assert body["origin"] == "offer" and [s["key"] for s in body["steps"]] == ["finance_payment"]
    assert Offer.objects.get(pk=rent["id"]).status == "superseded"
    late = post(client, f"{BASE}/offers/{rent['id']}/confirm")
    assert late.status_code == 409 and check(late, "post", "/offers/{offer_id}/confirm")["message"]
    declined = check(post(client, f"{BASE}/offers/{rent['id']}/decline"), "post", "/offers/{offer_id}/decline")
    assert declined["status"] == "superseded"


def test_invitations_once_per_person_only_by_staff(client, talent, heping_staff, hunnan_staff, leader):
    from rencai.policies.models import MatchRun, PolicyMatch

    run = MatchRun.objects.create(as_of=timezone.localdate(), status=MatchRun.Status.FINISHED,
                                  finished_at=timezone.now())
    PolicyMatch.objects.create(run=run, talent=talent, policy=POLICY, eligible="true", decided_by="x")
    client.force_login(leader)
    assert post(client, f"{BASE}/invitations", {"policy": POLICY}).status_code == 403
    client.force_login(hunnan_staff)
    assert check(post(client, f"{BASE}/invitations", {"policy": POLICY}), "post", "/invitations") == {"sent": 0}
    client.force_login(heping_staff)
    assert post(client, f"{BASE}/invitations", {"policy": POLICY}).json() == {"sent": 1}
    assert post(client, f"{BASE}/invitations", {"policy": POLICY}).json() == {"sent": 0}
    assert Invitation.objects.count() == 1
    missing = post(client, f"{BASE}/invitations", {})
    assert missing.status_code == 422 and "政策" in check(missing, "post", "/invitations")["message"]


def publicized(client, talent_user, talent, *deciders) -> int:
    """An application submitted over the API and approved through its route into 公示 (five working days), the
    client logged out; its id."""
    policy_setting(POLICY)
    PolicySetting.objects.filter(policy=POLICY).update(public_notice_days=5)
    pk = submit_over_api(client, talent_user, talent)["id"]
    for actor in deciders:
        services.application_approve(actor=actor, application_id=pk, reason="同意")
    client.logout()
    return pk


def test_public_notice_objection_and_its_answer(client, talent_user, talent, heping_staff, city_staff,
                                                finance_staff, budget):
    budget()
    pk = publicized(client, talent_user, talent, heping_staff, city_staff, finance_staff)
    notices = check(client.get(f"{BASE}/notices"), "get", "/notices")
    assert [(n["masked_name"], n["monthly_amount"]) for n in notices] == [("张**", "2500.00")]
    assert "张三明" not in client.get(f"{BASE}/notices").content.decode()
    url = f"{BASE}/notices/{notices[0]['id']}/objections"
    empty = post(client, url, {"text": " "})
    assert empty.status_code == 422 and "异议内容" in check(empty, "post", "/notices/{notice_id}/objections")[
        "message"]
    filed = post(client, url, {"text": "此人已在外市享受同类补贴", "contact": "13800000000"})
    assert filed.status_code == 201 and check(filed, "post", "/notices/{notice_id}/objections")["status"] == "open"
    objection = Objection.objects.get()

    client.force_login(talent_user)  # only staff answer: refused and logged
    answer_path = "/objections/{objection_id}/answer"
    refused = post(client, f"{BASE}/objections/{objection.pk}/answer", {"answer": "不成立", "upheld": False})
    assert refused.status_code == 403 and check(refused, "post", answer_path)["code"] == "forbidden"
    assert denied(talent_user) == 1
    client.force_login(heping_staff)
    assert [o["id"] for o in check(client.get(f"{BASE}/objections"), "get", "/objections")] == [objection.pk]
    detail = check(client.get(f"{BASE}/applications/{pk}"), "get", "/applications/{application_id}")
    assert detail["status"] == "publicizing" and detail["objections"][0]["status"] == "open"
    assert "contact" not in detail["objections"][0]
    no_answer = post(client, f"{BASE}/objections/{objection.pk}/answer", {"answer": "", "upheld": False})
    assert no_answer.status_code == 422 and check(no_answer, "post", answer_path)["errors"][0]["field"] == "answer"
    answered = post(client, f"{BASE}/objections/{objection.pk}/answer", {"answer": "经核实不属实", "upheld": False})
    assert check(answered, "post", answer_path)["status"] == "dismissed"
    again = post(client, f"{BASE}/objections/{objection.pk}/answer", {"answer": "经核实不属实", "upheld": False})
    assert again.status_code == 409
    early = post(client, f"{BASE}/applications/{pk}/finalize")
    assert early.status_code == 409 and "公示期" in check(early, "post", "/applications/{application_id}/finalize")[
        "message"]


def test_objections_are_throttled_per_address_and_notice(client, talent_user, talent, heping_staff, city_staff,
                                                          finance_staff, budget, monkeypatch):
    """公示's objection form is public: five accepted objections an hour per client address and notice, then 429
    with a Chinese message; an invalid attempt costs nothing; another address is not affected; and a cache that
    fails never loses an objection."""
    from rencai.core import throttle

    budget()
    pk = publicized(client, talent_user, talent, heping_staff, city_staff, finance_staff)
    notice = Application.objects.get(pk=pk).notice
    url, path = f"{BASE}/notices/{notice.pk}/objections", "/notices/{notice_id}/objections"

    def file(text, address="203.0.113.7"):
        return client.post(url, {"text": text}, content_type="application/json", REMOTE_ADDR=address)

    assert file(" ").status_code == 422  # not counted
    for i in range(services.OBJECTION_LIMIT.count):
        assert file(f"第{i + 1}条异议").status_code == 201
    refused = file("第6条异议")
    body = check(refused, "post", path)
    assert refused.status_code == 429 and body["code"] == "too_many_requests" and "每小时最多" in body["message"]
    assert Objection.objects.count() == services.OBJECTION_LIMIT.count
    assert not Objection.objects.filter(text="第6条异议").exists()
    assert file("另一地址的异议", address="198.51.100.9").status_code == 201
    # The count is per address *and* notice: the same address may still object to another notice.
    throttle.throttle_check(services.OBJECTION_LIMIT, "203.0.113.7", notice.pk + 1)

    class Broken:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise RuntimeError("cache down")
            return fail

    monkeypatch.setattr(throttle, "cache", Broken())
    accepted = file("缓存故障时的异议", address="192.0.2.1")
    assert accepted.status_code == 201 and Objection.objects.filter(text="缓存故障时的异议").exists()


def test_every_parameter_and_body_field_has_a_chinese_label(client):
    doc = client.get("/api/openapi.json").json()
    keys = set()
    for path, operations in doc["paths"].items():
        if not path.startswith(("/api/fulfilment", "/api/payments")):
            continue
        for operation in operations.values():
            keys |= {p["name"] for p in operation.get("parameters", [])}
            for content in operation.get("requestBody", {}).get("content", {}).values():
                schema = content["schema"]
                if "$ref" in schema:
                    schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
                keys |= set(schema.get("properties", {}))
    assert {"policy", "talent_id", "reason", "account_number", "month", "file"} <= keys
    assert [k for k in sorted(keys) if not field_label(k)] == []
