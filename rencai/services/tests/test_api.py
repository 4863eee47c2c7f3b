"""人才服务's API: the catalog with why not; a talent requests a bundle (or an item), lists and reads it; a
department's officer moves a part (a stale version is a 409, another department a 403, another jurisdiction a
404); bad input is a 422 naming the field in Chinese and writes nothing. Every response is checked against
/api/openapi.json."""

import pytest

from rencai.core.openapi_check import checked_body, post_json
from rencai.services import services
from rencai.services.models import RequestPart, ServiceRequest

from .conftest import set_category

pytestmark = pytest.mark.django_db
BASE = "/api/services"
BUNDLE = "sy-come-to-shenyang"


def check(response, method: str, path: str) -> dict:
    return checked_body(response, method, BASE + path)


def test_the_catalog_says_what_the_talent_may_request_and_why_not(catalog, client, talent_user, talent):
    set_category(talent, "D")
    client.force_login(talent_user)
    body = check(client.get(f"{BASE}/catalog"), "get", "/catalog")
    items = {i["key"]: i for i in body["items"]}
    schooling = items["ln-child-schooling"]
    assert not schooling["may_request"] and "须为A、B、C类人才" in schooling["why_not"][0]
    assert any(i["may_request"] for i in items.values())
    assert BUNDLE in {b["key"] for b in body["bundles"]}
    assert schooling["deadline_text"] and schooling["level_label"]


def test_a_talent_requests_a_bundle_lists_and_reads_it(catalog, officers, client, talent_user, talent):
    set_category(talent, "B")
    client.force_login(talent_user)
    response = post_json(client, f"{BASE}/requests", {"bundle": BUNDLE,
                                                      "items": ["ln-child-schooling", "ln-settlement"]})
    created = check(response, "post", "/requests")
    assert response.status_code == 201 and created["status_label"] == "办理中"
    assert sorted(p["department"] for p in created["parts"]) == ["公安局", "教育局"]
    assert all(not p["may_act"] and p["status_label"] == "待受理" for p in created["parts"])
    listed = check(client.get(f"{BASE}/requests"), "get", "/requests")
    assert listed["count"] == 1 and listed["results"][0]["number"] == created["number"]
    detail = check(client.get(f"{BASE}/requests/{created['id']}"), "get", "/requests/{request_id}")
    assert detail["parts"] == created["parts"]
    again = post_json(client, f"{BASE}/requests", {"item": "ln-settlement"})
    assert again.status_code == 409 and "落户" in check(again, "post", "/requests")["message"]


@pytest.mark.parametrize("body, field, words", [
    ({"item": "ln-settlement", "bundle": BUNDLE}, "items", "请选择一个服务事项或一项一件事服务"),
    ({}, "items", "请选择一个服务事项或一项一件事服务"),
    ({"item": "no-such-item"}, "items", "请选择一个服务事项"),
    ({"bundle": "no-such-bundle"}, "bundle", "没有这项一件事服务"),
    ({"item": "ln-settlement", "colour": "red"}, "colour", "是未知字段"),
    ({"item": "ln-settlement", "note": "长" * 501}, "note", "说明过长"),
])
def test_bad_requests_name_the_field_and_write_nothing(catalog, client, talent_user, talent, body, field, words):
    set_category(talent, "B")
    client.force_login(talent_user)
    response = post_json(client, f"{BASE}/requests", body)
    error = check(response, "post", "/requests")
    assert response.status_code == 422 and words in error["message"], error
    assert field in {e["field"] for e in error["errors"]}
    assert not ServiceRequest.objects.exists()


def test_an_ineligible_request_says_why(catalog, client, talent_user, talent):
    set_category(talent, "D")
    client.force_login(talent_user)
    response = post_json(client, f"{BASE}/requests", {"item": "ln-child-schooling"})
    assert response.status_code == 422 and "须为A、B、C类人才" in check(response, "post", "/requests")["message"]
    assert not ServiceRequest.objects.exists()


def test_window_staff_request_for_their_jurisdiction_only(catalog, client, heping_staff, hunnan_staff, talent):
    set_category(talent, "B")
    client.force_login(hunnan_staff)
    unnamed = post_json(client, f"{BASE}/requests", {"item": "ln-settlement"})
    assert unnamed.status_code == 422 and "服务对象" in check(unnamed, "post", "/requests")["message"]
    other = post_json(client, f"{BASE}/requests", {"item": "ln-settlement", "talent_id": talent.pk})
    assert other.status_code == 404 and check(other, "post", "/requests")["message"]
    client.force_login(heping_staff)
    made = post_json(client, f"{BASE}/requests", {"item": "ln-settlement", "talent_id": talent.pk})
    assert made.status_code == 201 and check(made, "post", "/requests")["origin_label"].startswith("窗口受理")


def test_a_department_moves_its_part_and_a_stale_version_is_a_conflict(catalog, officers, client, talent_user,
                                                                        talent, hunnan_staff):
    set_category(talent, "B")
    request = services.request_create(actor=talent_user, talent_id=talent.pk, bundle_key=BUNDLE,
                                      item_keys=["ln-child-schooling", "ln-settlement"])
    part = request.parts.get(department="教育局")
    url = f"{BASE}/parts/{part.pk}/transition"
    path = "/parts/{part_id}/transition"
    client.force_login(officers["police"])  # another department: 403
    refused = post_json(client, url, {"action": "assign", "version": part.version})
    assert refused.status_code == 403 and "教育局" in check(refused, "post", path)["message"]
    client.force_login(hunnan_staff)  # another jurisdiction: 404, for the part and the request
    assert check(post_json(client, url, {"action": "assign", "version": 1}), "post", path)["code"] == "not_found"
    assert client.get(f"{BASE}/requests/{request.pk}").status_code == 404
    client.force_login(officers["education"])
    taken = post_json(client, url, {"action": "assign", "version": part.version})
    body = check(taken, "post", path)
    mine = next(p for p in body["parts"] if p["id"] == part.pk)
    assert taken.status_code == 200 and mine["status_label"] == "办理中" and mine["may_act"]
    stale = post_json(client, url, {"action": "complete", "version": part.version, "note": "已安排入学"})
    assert stale.status_code == 409 and "刚刚已被他人办理" in check(stale, "post", path)["message"]
    empty = post_json(client, url, {"action": "complete", "version": mine["version"], "note": " "})
    assert empty.status_code == 422 and "办理结果" in check(empty, "post", path)["message"]
    wrong = post_json(client, url, {"action": "explode", "version": mine["version"]})
    assert wrong.status_code == 422 and check(wrong, "post", path)["errors"][0]["field"] == "action"
    done = post_json(client, url, {"action": "complete", "version": mine["version"], "note": "已安排至实验小学"})
    assert done.status_code == 200
    assert RequestPart.objects.get(pk=part.pk).outcome == "已安排至实验小学"


def test_anonymous_is_401(client):
    assert check(client.get(f"{BASE}/requests"), "get", "/requests")["code"] == "unauthenticated"
