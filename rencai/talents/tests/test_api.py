import pytest

from rencai.conftest import make_resident_id, talent_data
from rencai.core.openapi_check import assert_matches_openapi
from rencai.talents.models import Talent

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_openapi_document_is_served(client):
    doc = client.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert {"/api/talents", "/api/talents/{talent_id}", "/api/talents/{talent_id}/reveal", "/api/talents/import",
            "/api/regions"} <= set(doc["paths"])


def test_create_then_read_matches_the_document(client, heping_staff):
    client.force_login(heping_staff)
    created = post(client, "/api/talents", talent_data(name="陈一", honors=["高精尖优才奖励"]))
    assert created.status_code == 201
    assert_matches_openapi(created, "post", "/api/talents")
    body = created.json()
    assert body["name"] == "陈一" and body["honors"] == ["top_talent_award"] and "*" in body["id_number_masked"]
    detail = client.get(f"/api/talents/{body['id']}")
    assert_matches_openapi(detail, "get", "/api/talents/{talent_id}")
    listing = client.get("/api/talents?degree=doctor&returnee=true")
    assert_matches_openapi(listing, "get", "/api/talents")
    assert listing.json()["count"] == 1


@pytest.mark.parametrize(("override", "field", "words"), [
    ({"id_number": "210102198506151239"}, "id_number", "校验位"),
    ({"district": "999999"}, "district", "未知的区县"),
    ({"monthly_rent": -1}, "monthly_rent", "负数"),
    ({"graduation_date": "2031-07-01"}, "graduation_date", "晚于今天"),
    ({"highest_degree": "学士后"}, "highest_degree", "无效"),
])
def test_invalid_input_gets_422_in_chinese_naming_the_field(client, heping_staff, override, field, words):
    client.force_login(heping_staff)
    data = talent_data(**override)
    if field == "id_number":
        valid = make_resident_id()
        data["id_number"] = valid[:-1] + ("1" if valid[-1] == "0" else "0")
    response = post(client, "/api/talents", data)
    assert response.status_code == 422
    assert_matches_openapi(response, "post", "/api/talents")
    body = response.json()
    assert body["errors"][0]["field"] == field and words in body["message"]
    assert Talent.objects.count() == 0


def test_schema_errors_are_chinese_too(client, heping_staff):
    client.force_login(heping_staff)
    response = post(client, "/api/talents", {"name": "缺字段"})
    assert response.status_code == 422
    body = response.json()
    assert {e["field"] for e in body["errors"]} == {"id_number", "district"}
    assert "不能为空" in body["message"]
    bad_json = client.post("/api/talents", "{not json", content_type="application/json")
    assert bad_json.status_code in (400, 422) and bad_json.json()["message"]


def test_duplicate_person_is_409(client, heping_staff):
    client.force_login(heping_staff)
    data = talent_data()
    assert post(client, "/api/talents", data).status_code == 201
    again = post(client, "/api/talents", {**data, "name": "改名"})
    assert again.status_code == 409 and "重复登记" in again.json()["message"]
    assert_matches_openapi(again, "post", "/api/talents")


def test_leader_is_read_only(client, leader):
    client.force_login(leader)
    response = post(client, "/api/talents", talent_data())
    assert response.status_code == 403 and Talent.objects.count() == 0


def test_reveal_through_the_api_is_logged(client, heping_staff, make_talent):
    from rencai.audit.models import AuditEvent

    talent = make_talent(phone="13700001234")
    client.force_login(heping_staff)
    response = post(client, f"/api/talents/{talent.pk}/reveal", {"field": "phone", "reason": "电话回访"})
    assert response.status_code == 200 and response.json()["value"] == "13700001234"
    assert_matches_openapi(response, "post", "/api/talents/{talent_id}/reveal")
    assert AuditEvent.objects.filter(action="reveal", actor=heping_staff, object_id=str(talent.pk),
                                     details__field="phone").count() == 1


def test_bad_page_number(client, heping_staff):
    client.force_login(heping_staff)
    for page in ("0", "1" + "0" * 30):  # out of range: the shared bounded reader's 400 (issue 14, item 9)
        response = client.get(f"/api/talents?page={page}")
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == "page"
    assert client.get("/api/talents?page=abc").status_code == 422  # not an integer: the schema's 422
