"""咨询与评价's API: a talent asks, lists and reads their questions; rates a finished item (a 差评 opens a case),
not an unfinished one nor twice (409), nor another talent's (404); files a complaint; lists their ratings and
cases. Bad input is a 422 naming the field in Chinese and writes nothing; other roles are refused. Every
response is checked against /api/openapi.json."""

import pytest

from rencai.accounts.enums import Role
from rencai.core.openapi_check import checked_body, post_json
from rencai.feedback import services
from rencai.feedback.enums import Grade
from rencai.feedback.models import Case, Consultation, Rating

pytestmark = pytest.mark.django_db
BASE = "/api/feedback"
RENT = "sy-rent-subsidy"


def check(response, method: str, path: str) -> dict:
    return checked_body(response, method, BASE + path)


def test_a_talent_asks_lists_and_reads_a_question(client, talent_user, talent, hunnan_staff):
    client.force_login(talent_user)
    response = post_json(client, f"{BASE}/questions", {"question": "需要哪些材料？", "policy": RENT})
    asked = check(response, "post", "/questions")
    assert response.status_code == 201 and asked["status_label"] == "待答复" and asked["policy_title"]
    listed = check(client.get(f"{BASE}/questions"), "get", "/questions")
    assert [q["id"] for q in listed] == [asked["id"]]
    one = check(client.get(f"{BASE}/questions/{asked['id']}"), "get", "/questions/{consultation_id}")
    assert one["question"] == "需要哪些材料？"
    client.force_login(hunnan_staff)  # another jurisdiction
    other = client.get(f"{BASE}/questions/{asked['id']}")
    assert other.status_code == 404 and check(other, "get", "/questions/{consultation_id}")["message"]


@pytest.mark.parametrize("body, field, words", [
    ({"question": " ", "policy": RENT}, "question", "请填写咨询内容"),
    ({"question": "问", "policy": "no-such-policy"}, "policy", "咨询政策"),
    ({"policy": RENT}, "question", "不能为空"),
    ({"question": "问", "extra": 1}, "extra", "是未知字段"),
])
def test_a_bad_question_names_the_field_and_writes_nothing(client, talent_user, talent, body, field, words):
    client.force_login(talent_user)
    response = post_json(client, f"{BASE}/questions", body)
    error = check(response, "post", "/questions")
    assert response.status_code == 422 and words in error["message"], error
    assert field in {e["field"] for e in error["errors"]}
    assert not Consultation.objects.exists()


def test_rating_over_the_api(client, talent_user, talent, heping_staff, make_user, make_talent, make_supervisor,
                             rejected):
    lead = make_supervisor("heping_lead")
    application = rejected()
    consultation = services.consultation_ask(actor=talent_user, question="问", policy_id=RENT)
    client.force_login(talent_user)
    unfinished = post_json(client, f"{BASE}/ratings", {"subject_kind": "feedback.consultation",
                                                       "subject_id": consultation.pk, "grade": Grade.SATISFIED})
    assert unfinished.status_code == 409 and "尚未答复" in check(unfinished, "post", "/ratings")["message"]
    bad = post_json(client, f"{BASE}/ratings", {"subject_kind": "fulfilment.application",
                                                "subject_id": application.pk, "grade": "great"})
    error = check(bad, "post", "/ratings")
    assert bad.status_code == 422 and "评价等级" in error["message"] and error["errors"][0]["field"] == "grade"
    no_reason = post_json(client, f"{BASE}/ratings", {"subject_kind": "fulfilment.application",
                                                      "subject_id": application.pk, "grade": Grade.DISSATISFIED})
    assert no_reason.status_code == 422 and "差评请写明" in check(no_reason, "post", "/ratings")["message"]
    assert not Rating.objects.exists()
    given = post_json(client, f"{BASE}/ratings", {"subject_kind": "fulfilment.application",
                                                  "subject_id": application.pk, "grade": Grade.DISSATISFIED,
                                                  "comment": "理由不清楚"})
    body = check(given, "post", "/ratings")
    assert given.status_code == 201 and body["grade_label"] == "不满意" and body["case_status_label"] == "待回访"
    assert Case.objects.get().assignee == lead
    twice = post_json(client, f"{BASE}/ratings", {"subject_kind": "fulfilment.application",
                                                  "subject_id": application.pk, "grade": Grade.SATISFIED})
    assert twice.status_code == 409 and "回访处理中" in check(twice, "post", "/ratings")["message"]
    rows = check(client.get(f"{BASE}/ratings"), "get", "/ratings")
    row = next(r for r in rows if r["subject_kind"] == "fulfilment.application")
    assert row["ratings"][0]["grade"] == Grade.DISSATISFIED and not row["may_rate"] and row["why_not"]
    assert next(r for r in rows if r["subject_kind"] == "feedback.consultation")["why_not"].startswith("该咨询尚未答复")
    cases = check(client.get(f"{BASE}/cases"), "get", "/cases")
    assert cases[0]["kind_label"] == "差评回访" and cases[0]["status_label"] == "待回访"

    other = make_user("lisi", Role.TALENT)  # another talent: not theirs to rate
    stranger = make_talent(name="李四海")
    stranger.user = other
    stranger.save(update_fields=["user"])
    client.force_login(other)
    theirs = post_json(client, f"{BASE}/ratings", {"subject_kind": "fulfilment.application",
                                                   "subject_id": application.pk, "grade": Grade.SATISFIED})
    assert theirs.status_code == 404 and check(theirs, "post", "/ratings")["message"]


def test_complaints_over_the_api(client, talent_user, talent, heping_staff, make_supervisor, rejected):
    make_supervisor("heping_lead")
    rejected()
    client.force_login(talent_user)
    bad = post_json(client, f"{BASE}/complaints", {"about_kind": "weather", "text": " "})
    error = check(bad, "post", "/complaints")
    assert bad.status_code == 422 and {e["field"] for e in error["errors"]} == {"about_kind", "text"}
    assert "反映对象" in error["message"] and not Case.objects.exists()
    filed = post_json(client, f"{BASE}/complaints", {"about_kind": "person", "person_id": heping_staff.pk,
                                                     "text": "办事拖拉"})
    body = check(filed, "post", "/complaints")
    assert filed.status_code == 201 and body["kind_label"] == "监督反馈" and body["about_kind_label"] == "工作人员"
    assert Case.objects.get().about_person == heping_staff


def test_only_a_talent_asks_rates_and_complains(client, heping_staff):
    client.force_login(heping_staff)
    for method, path, body in (("post", "/questions", {"question": "问"}), ("get", "/ratings", None),
                               ("post", "/complaints", {"about_kind": "department", "text": "慢"}),
                               ("get", "/cases", None)):
        response = post_json(client, BASE + path, body) if method == "post" else client.get(BASE + path)
        assert response.status_code == 403 and "只有人才本人" in check(response, method, path)["message"]
