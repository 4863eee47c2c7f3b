import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rencai.accounts.enums import Role
from rencai.audit.models import AuditEvent
from rencai.documents import services
from rencai.documents.models import Document

from .conftest import EXE, PDF, upload

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def document(talent_user, talent):
    return services.document_upload(actor=talent_user, talent=talent, kind="degree", upload=upload())


def test_talent_uploads_on_their_page_and_sees_it_waiting(client, talent_user, talent):
    _login(client, talent_user)
    response = client.post(reverse("documents:mine"), {"document_kind": "rent_contract",
                                                       "file": upload(name="租房合同.pdf")})
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.talent, document.kind, document.uploaded_by) == (talent, "rent_contract", talent_user)
    page = client.get(reverse("documents:mine")).content.decode()
    table = page.split('id="documents"')[1].split("</table>")[0]
    assert "租房合同.pdf" in table and "待核验" in table and ">租房合同<" in table and "rent_contract<" not in table


def test_a_renamed_exe_is_refused_on_the_page_with_the_field_named(client, talent_user):
    _login(client, talent_user)
    response = client.post(reverse("documents:mine"), {"document_kind": "degree",
                                                       "file": SimpleUploadedFile("学位证书.pdf", EXE)})
    assert response.status_code == 400
    assert "学位证书" in response.content.decode() and "文件内容不是PDF" in response.content.decode()
    response = client.post(reverse("documents:mine"), {"file": upload()})
    assert response.status_code == 422 and "材料类型" in response.content.decode()
    assert not Document.objects.exists()


def test_the_same_file_twice_on_the_page_is_one_document(client, talent_user):
    _login(client, talent_user)
    for _ in range(2):
        response = client.post(reverse("documents:mine"), {"document_kind": "degree",
                                                           "file": SimpleUploadedFile("a.pdf", PDF)}, follow=True)
    assert Document.objects.count() == 1 and "无需重复上传" in response.content.decode()


def test_another_districts_officer_gets_404_everywhere(client, hunnan_staff, document, talent):
    _login(client, hunnan_staff)
    for url in (reverse("documents:detail", args=[document.pk]), reverse("documents:file", args=[document.pk]),
                reverse("documents:talent", args=[talent.pk])):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("documents:review", args=[document.pk, "verify"]), {"confirmed": "1"})
    assert response.status_code == 404
    assert client.post(reverse("documents:talent", args=[talent.pk]),
                       {"document_kind": "degree", "file": upload()}).status_code == 404
    document.refresh_from_db()
    assert document.status == "pending" and Document.objects.count() == 1
    assert document.pk not in [d.pk for d in client.get(reverse("documents:queue")).context["page"]]


def test_the_file_is_served_only_after_the_permission_check(client, talent_user, document, heping_staff,
                                                            make_user):
    url = reverse("documents:file", args=[document.pk])
    assert client.get(url).status_code == 302  # not signed in: the login page
    _login(client, make_user("lisi", Role.TALENT))
    assert client.get(url).status_code == 404
    for user in (talent_user, heping_staff):
        _login(client, user)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff" and b"".join(response.streaming_content)[:5] == PDF[:5]


def test_staff_verify_from_the_queue_and_a_leader_is_refused(client, heping_staff, leader, document):
    _login(client, leader)
    response = client.post(reverse("documents:review", args=[document.pk, "verify"]), {"confirmed": "1"})
    assert response.status_code == 403 and "只有政府工作人员可以核验材料" in response.content.decode()
    _login(client, heping_staff)
    queue = client.get(reverse("documents:queue"))
    assert [d.pk for d in queue.context["page"]] == [document.pk] and "学位证书" in queue.content.decode()
    response = client.post(reverse("documents:review", args=[document.pk, "verify"]),
                           {"confirmed": "1", "confirm": "1"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == "verified" and document.reviewed_by == heping_staff
    again = client.post(reverse("documents:review", args=[document.pk, "reject"]),
                        {"confirmed": "1", "review_reason": "不清楚"})
    assert again.status_code == 409 and "只核验一次" in again.content.decode()
    assert client.get(reverse("documents:queue")).context["page"].paginator.count == 0
    assert client.post(reverse("documents:review", args=[document.pk, "delete"]), {"confirmed": "1"}).status_code == 404
    assert AuditEvent.objects.filter(action="document", actor=heping_staff).count() == 1


def test_a_rejected_documents_reason_reaches_the_talent(client, heping_staff, talent_user, document):
    _login(client, heping_staff)
    empty = client.post(reverse("documents:review", args=[document.pk, "reject"]),
                        {"confirmed": "1", "review_reason": ""})
    assert empty.status_code == 422 and "退回理由" in empty.content.decode()
    client.post(reverse("documents:review", args=[document.pk, "reject"]),
                {"confirmed": "1", "review_reason": "学位证书缺少背面，请补充扫描"})
    _login(client, talent_user)
    page = client.get(reverse("documents:mine")).content.decode()
    assert "已退回" in page and "学位证书缺少背面，请补充扫描" in page
    detail = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "学位证书缺少背面，请补充扫描" in detail and "核验通过" not in detail


def test_staff_upload_for_a_talent_of_their_district(client, heping_staff, talent, leader):
    _login(client, heping_staff)
    response = client.post(reverse("documents:talent", args=[talent.pk]),
                           {"document_kind": "work_proof", "file": upload()})
    assert response.status_code == 302 and Document.objects.get().uploaded_by == heping_staff
    _login(client, leader)
    page = client.get(reverse("documents:talent", args=[talent.pk]))
    assert page.status_code == 200 and "upload-form" not in page.content.decode()
    assert client.post(reverse("documents:talent", args=[talent.pk]),
                       {"document_kind": "work_proof", "file": upload()}).status_code == 403
    assert Document.objects.count() == 1
