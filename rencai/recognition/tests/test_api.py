import pytest

from rencai.core.openapi_check import assert_matches_openapi
from rencai.recognition import cards
from rencai.recognition.models import Application

from .conftest import JPEG, upload

pytestmark = pytest.mark.django_db
BASE = "/api/recognition"


def check(response, method: str, path: str) -> dict:
    """The response matches the platform's OpenAPI document; its body."""
    assert_matches_openapi(response, method, "/api/recognition" + path)
    return response.json()


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_direct_recognition_end_to_end_over_the_api(client, talent_user, heping_staff):
    client.force_login(talent_user)
    created = post(client, f"{BASE}/applications", {"way": "direct", "category": "C", "item": "C03"})
    body = check(created, "post", "/applications")
    assert created.status_code == 201 and body["status"] == "draft"
    assert body["missing"] == ["身份证件", "在沈工作证明", "政府特殊津贴证书"]
    pk = body["id"]
    refused = post(client, f"{BASE}/applications/{pk}/actions/submit", {})
    assert refused.status_code == 422 and len(check(refused, "post", "/applications/{application_id}/actions/{action}")
                                              ["errors"]) == 3
    for item in body["evidence"]:
        response = client.post(f"{BASE}/applications/{pk}/attachments",
                               {"requirement_id": item["requirement_id"], "file": upload(JPEG)})
        assert check(response, "post", "/applications/{application_id}/attachments")["created"] is True
    submitted = post(client, f"{BASE}/applications/{pk}/actions/submit", {})
    assert check(submitted, "post", "/applications/{application_id}/actions/{action}")["status"] == "submitted"
    client.force_login(heping_staff)
    listing = client.get(f"{BASE}/applications?status=submitted")
    assert [row["id"] for row in check(listing, "get", "/applications")] == [pk]
    odd = post(client, f"{BASE}/applications/{pk}/actions/return", {"problems": {"abc": "看不清"}})
    assert odd.status_code == 422 and odd.json()["errors"][0]["field"] == "problems"
    decided = post(client, f"{BASE}/applications/{pk}/actions/accept", {})
    body = check(decided, "post", "/applications/{application_id}/actions/{action}")
    assert body["status"] == "approved" and body["recognition_id"]
    assert [e["action"] for e in body["timeline"]] == ["create", "submit", "accept", "approve"]
    category = client.get(f"{BASE}/talents/{body['talent_id']}/category")
    assert check(category, "get", "/talents/{talent_id}/category")["category"] == "C"
    card = Application.objects.get(pk=pk).recognition
    client.logout()
    verified = client.get(f"{BASE}/verify/{cards.card_token(card)}")
    assert check(verified, "get", "/verify/{token}") == {
        "valid": True, "state": "有效", "name": "张*明", "category": "C",
        "valid_until": card.valid_until.isoformat()}


def test_api_errors_are_chinese_4xx_and_change_nothing(client, talent_user, leader, hunnan_staff):
    client.force_login(talent_user)
    bad = post(client, f"{BASE}/applications", {"way": "direct", "category": "Q"})
    assert bad.status_code == 422 and {e["field"] for e in check(bad, "post", "/applications")["errors"]} == {
        "category", "item"}
    unknown_field = post(client, f"{BASE}/applications", {"way": "review", "category": "D", "colour": "red"})
    assert unknown_field.status_code == 422 and "colour" in unknown_field.json()["message"]
    pk = post(client, f"{BASE}/applications", {"way": "review", "category": "D"}).json()["id"]
    wrong = client.post(f"{BASE}/applications/{pk}/attachments", {"requirement_id": 1,
                                                                  "file": upload(b"<html>", "x.pdf")})
    assert wrong.status_code == 400 and "文件内容不是PDF" in wrong.json()["message"]
    client.force_login(leader)
    assert post(client, f"{BASE}/applications/{pk}/actions/withdraw", {}).status_code == 403
    client.force_login(hunnan_staff)
    assert post(client, f"{BASE}/applications/{pk}/actions/accept", {}).status_code == 404
    client.logout()
    assert client.get(f"{BASE}/applications/{pk}").status_code == 401
    assert client.get(f"{BASE}/verify/not-a-token").status_code == 400
    assert Application.objects.get(pk=pk).status == "draft"


def test_expert_scores_over_the_api(client, talent_user, heping_staff, experts):
    from .conftest import assignment_of, submitted

    application = submitted(talent_user, way="review", category="C")
    client.force_login(heping_staff)
    post(client, f"{BASE}/applications/{application.pk}/actions/accept", {})
    panel = post(client, f"{BASE}/applications/{application.pk}/actions/panel",
                 {"expert_ids": [experts[0].pk, experts[1].pk, experts[3].pk]})
    assert panel.status_code == 422 and "钱专家须回避" in panel.json()["message"]
    panel = post(client, f"{BASE}/applications/{application.pk}/actions/panel",
                 {"expert_ids": [e.pk for e in experts[:3]]})
    assert panel.json()["status"] == "in_review"
    assignment = assignment_of(application, experts[0])
    client.force_login(experts[0].user)
    scored = post(client, f"{BASE}/assignments/{assignment.pk}/score",
                  {"professional": 18, "potential": 17, "experience": 16, "contribution": 19, "remuneration": 15})
    assert check(scored, "post", "/assignments/{assignment_id}/score")["total"] == 85
    out_of_range = post(client, f"{BASE}/assignments/{assignment.pk}/score",
                        {"professional": 30, "potential": 17, "experience": 16, "contribution": 19,
                         "remuneration": 15})
    assert out_of_range.status_code == 422 and "专业水平" in out_of_range.json()["message"]


def test_the_standard_is_public_and_flagged_as_an_example(client):
    body = check(client.get(f"{BASE}/standard"), "get", "/standard")
    assert body["is_example"] is True and len(body["items"]) == 18
    assert {r["category"]: r["review_threshold"] for r in body["rules"]} == {"A": 90, "B": 85, "C": 80, "D": 75}
