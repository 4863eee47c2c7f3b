import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rencai.core.openapi_check import assert_matches_openapi
from rencai.documents.models import Document

from .conftest import EXE, upload

pytestmark = pytest.mark.django_db
BASE = "/api/documents"


def check(response, method: str, path: str) -> dict:
    assert_matches_openapi(response, method, BASE + path)
    return response.json()


def test_upload_list_and_review_over_the_api(client, talent_user, talent, heping_staff, hunnan_staff):
    client.force_login(talent_user)
    file = upload()
    created = client.post(BASE, {"document_kind": "degree", "file": file})
    body = check(created, "post", "")
    assert created.status_code == 201 and body["created"] is True and body["status_label"] == "待核验"
    file.seek(0)
    again = client.post(BASE, {"document_kind": "degree", "file": file})
    assert again.status_code == 200 and check(again, "post", "")["id"] == body["id"]
    listing = client.get(BASE)
    assert [d["id"] for d in check(listing, "get", "")] == [body["id"]]

    client.force_login(hunnan_staff)
    assert client.get(f"{BASE}?talent_id={talent.pk}").status_code == 404
    refused = client.post(f"{BASE}/{body['id']}/review", {"action": "verify"}, content_type="application/json")
    assert refused.status_code == 404 and check(refused, "post", "/{document_id}/review")["message"]

    client.force_login(heping_staff)
    bad = client.post(f"{BASE}/{body['id']}/review", {"action": "reject"}, content_type="application/json")
    assert bad.status_code == 422 and "退回理由" in bad.json()["message"]
    done = client.post(f"{BASE}/{body['id']}/review", {"action": "reject", "review_reason": "不清晰，请重新扫描"},
                       content_type="application/json")
    assert check(done, "post", "/{document_id}/review")["status"] == "rejected"
    twice = client.post(f"{BASE}/{body['id']}/review", {"action": "verify"}, content_type="application/json")
    assert twice.status_code == 409

    client.force_login(talent_user)
    assert client.get(BASE).json()[0]["review_reason"] == "不清晰，请重新扫描"


def test_bad_input_is_a_4xx_in_chinese_and_writes_nothing(client, talent_user, heping_staff, talent):
    client.force_login(talent_user)
    exe = client.post(BASE, {"document_kind": "degree", "file": SimpleUploadedFile("证书.pdf", EXE)})
    assert exe.status_code == 400 and "文件内容不是PDF" in exe.json()["message"]
    no_kind = client.post(BASE, {"document_kind": "x", "file": upload()})
    assert no_kind.status_code == 422 and no_kind.json()["errors"][0]["field"] == "document_kind"
    no_file = client.post(BASE, {"document_kind": "degree"})
    assert no_file.status_code == 400 and "请选择要上传的文件" in no_file.json()["message"]
    client.force_login(heping_staff)
    no_talent = client.post(BASE, {"document_kind": "degree", "file": upload()})
    assert no_talent.status_code == 422 and "人才" in no_talent.json()["message"]
    unknown = client.post(f"{BASE}/1/review", {"action": "delete"}, content_type="application/json")
    assert unknown.status_code == 422 and "操作" in unknown.json()["message"]
    assert not Document.objects.exists()
