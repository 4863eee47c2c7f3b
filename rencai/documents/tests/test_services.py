import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from rencai.audit.models import AuditEvent
from rencai.core.errors import AppError, Conflict, NotFound, PermissionDenied, ValidationFailed
from rencai.documents import selectors, services
from rencai.documents.models import Document

from .conftest import EXE, PDF, PNG, upload

pytestmark = pytest.mark.django_db


def test_talent_uploads_and_the_file_is_stored_outside_the_web_root_under_a_random_name(talent_user, talent,
                                                                                        media):
    document = services.document_upload(actor=talent_user, talent=talent, kind="degree",
                                        upload=upload(name="../../学位证书.PDF"))
    assert document.created and document.status == "pending" and document.kind == "degree"
    assert document.original_name == "学位证书.PDF" and document.content_type == "application/pdf"
    path = document.file.path
    assert path.startswith(str(media)) and "学位" not in path and ".." not in document.file.name
    with open(path, "rb") as fh:
        assert fh.read().startswith(b"%PDF-")


def test_the_same_file_twice_is_one_document_whatever_its_name(talent_user, talent, heping_staff):
    content = PDF + b"same"
    first = services.document_upload(actor=talent_user, talent=talent, kind="degree",
                                     upload=SimpleUploadedFile("a.pdf", content))
    again = services.document_upload(actor=heping_staff, talent=talent, kind="transcript",
                                     upload=SimpleUploadedFile("另一个名字.pdf", content))
    assert again.pk == first.pk and again.created is False and again.kind == "degree"
    assert Document.objects.count() == 1


def test_another_talent_may_hold_the_same_file(talent_user, talent, make_talent, heping_staff):
    other = make_talent(name="李四")
    content = PDF + b"shared"
    a = services.document_upload(actor=talent_user, talent=talent, kind="other",
                                 upload=SimpleUploadedFile("a.pdf", content))
    b = services.document_upload(actor=heping_staff, talent=other, kind="other",
                                 upload=SimpleUploadedFile("a.pdf", content))
    assert a.pk != b.pk and Document.objects.count() == 2


@pytest.mark.parametrize("content, name, code", [
    (EXE, "学位证书.pdf", "bad_file_type"),      # a renamed .exe: the content decides
    (EXE, "setup.exe", "bad_file_type"),
    (PNG, "扫描件.pdf", "bad_file_type"),        # a PNG called .pdf
    (b"just text", "说明.pdf", "bad_file_type"),
])
def test_bad_files_are_refused_with_a_chinese_message_and_nothing_is_written(talent_user, talent, content, name,
                                                                            code, media):
    with pytest.raises(AppError) as info:
        services.document_upload(actor=talent_user, talent=talent, kind="degree",
                                 upload=SimpleUploadedFile(name, content))
    assert info.value.status == 400 and info.value.code == code
    assert "学位证书" in info.value.message
    assert not Document.objects.exists()
    assert not (media / "documents").exists() or not any((media / "documents").rglob("*.*"))


def test_an_oversized_file_is_refused(talent_user, talent, settings):
    settings.RENCAI_MAX_UPLOAD_BYTES = 100
    with pytest.raises(AppError) as info:
        services.document_upload(actor=talent_user, talent=talent, kind="degree", upload=upload(PDF + b"x" * 200))
    assert info.value.status == 413 and "超过上限" in info.value.message
    assert not Document.objects.exists()


def test_a_missing_file_or_kind_names_the_field(talent_user, talent):
    with pytest.raises(AppError) as info:
        services.document_upload(actor=talent_user, talent=talent, kind="degree", upload=None)
    assert info.value.status == 400 and "请选择要上传的文件" in info.value.message
    with pytest.raises(ValidationFailed) as info:
        services.document_upload(actor=talent_user, talent=talent, kind="passport_scan", upload=upload())
    assert info.value.errors[0].field == "document_kind" and "材料类型" in str(info.value)
    assert not Document.objects.exists()


def test_staff_upload_only_within_their_jurisdiction_and_it_is_audited(talent, heping_staff, hunnan_staff):
    with pytest.raises(NotFound):
        services.document_upload(actor=hunnan_staff, talent=talent, kind="degree", upload=upload())
    document = services.document_upload(actor=heping_staff, talent=talent, kind="degree", upload=upload())
    event = AuditEvent.objects.get(action="document")
    assert event.actor == heping_staff and event.object_id == str(document.pk) and event.region_code == "210102"


def test_a_talent_cannot_upload_for_someone_else_and_a_leader_cannot_upload(talent, make_user, leader):
    from rencai.accounts.enums import Role

    stranger = make_user("lisi", Role.TALENT)
    with pytest.raises(NotFound):
        services.document_upload(actor=stranger, talent=talent, kind="degree", upload=upload())
    with pytest.raises(PermissionDenied):
        services.document_upload(actor=leader, talent=talent, kind="degree", upload=upload())
    assert not Document.objects.exists()


def test_verify_is_checked_once_and_audited(talent_user, talent, heping_staff, city_staff):
    document = services.document_upload(actor=talent_user, talent=talent, kind="degree", upload=upload())
    verified = services.document_verify(actor=heping_staff, document_id=document.pk)
    assert (verified.status, verified.reviewed_by, verified.review_reason) == ("verified", heping_staff, "")
    assert verified.reviewed_at is not None
    with pytest.raises(Conflict) as info:
        services.document_reject(actor=city_staff, document_id=document.pk, reason="照片模糊")
    assert info.value.status == 409 and "只核验一次" in info.value.message
    document.refresh_from_db()
    assert document.status == "verified" and document.reviewed_by == heping_staff
    assert AuditEvent.objects.filter(action="document", actor=heping_staff).count() == 1
    assert not AuditEvent.objects.filter(actor=city_staff).exists()


def test_a_rejection_needs_a_reason_and_the_talent_sees_it(talent_user, talent, heping_staff):
    document = services.document_upload(actor=talent_user, talent=talent, kind="degree", upload=upload())
    with pytest.raises(ValidationFailed) as info:
        services.document_reject(actor=heping_staff, document_id=document.pk, reason=" ")
    assert info.value.errors[0].field == "review_reason" and "退回理由" in str(info.value)
    with pytest.raises(ValidationFailed):
        services.document_reject(actor=heping_staff, document_id=document.pk, reason="长" * 201)
    document.refresh_from_db()
    assert document.status == "pending"
    services.document_reject(actor=heping_staff, document_id=document.pk, reason="学位证书照片模糊，请重新扫描")
    seen = selectors.documents_for_talent(user=talent_user, talent=talent)
    assert [(d.status, d.review_reason) for d in seen] == [("rejected", "学位证书照片模糊，请重新扫描")]


def test_a_rejected_file_uploaded_again_is_refused_a_corrected_one_is_new(talent_user, talent, heping_staff):
    content = PDF + b"blurred"
    document = services.document_upload(actor=talent_user, talent=talent, kind="degree",
                                         upload=SimpleUploadedFile("a.pdf", content))
    services.document_reject(actor=heping_staff, document_id=document.pk, reason="照片模糊")
    with pytest.raises(Conflict) as info:
        services.document_upload(actor=talent_user, talent=talent, kind="degree",
                                 upload=SimpleUploadedFile("b.pdf", content))
    assert "照片模糊" in info.value.message
    corrected = services.document_upload(actor=talent_user, talent=talent, kind="degree", upload=upload())
    assert corrected.created and corrected.pk != document.pk


def test_review_is_refused_outside_the_jurisdiction_and_for_roles_without_it(talent_user, talent, hunnan_staff,
                                                                             leader, caplog):
    document = services.document_upload(actor=talent_user, talent=talent, kind="degree", upload=upload())
    with pytest.raises(NotFound):
        services.document_verify(actor=hunnan_staff, document_id=document.pk)
    with caplog.at_level("WARNING", logger="rencai.documents"):
        with pytest.raises(PermissionDenied):
            services.document_verify(actor=leader, document_id=document.pk)
        with pytest.raises(PermissionDenied):
            services.document_verify(actor=talent_user, document_id=document.pk)
    assert "refused document review by leader" in caplog.text
    denied = AuditEvent.objects.filter(action="denied", object_id=str(document.pk))
    assert sorted(denied.values_list("actor__username", flat=True)) == ["leader", "zhangsan"]
    document.refresh_from_db()
    assert document.status == "pending"


def test_documents_on_file_prefers_verified_and_ignores_rejected(talent_user, talent, heping_staff):
    old = services.document_upload(actor=talent_user, talent=talent, kind="degree", upload=upload())
    services.document_verify(actor=heping_staff, document_id=old.pk)
    services.document_upload(actor=talent_user, talent=talent, kind="degree", upload=upload())  # newer, pending
    contract = services.document_upload(actor=talent_user, talent=talent, kind="rent_contract", upload=upload())
    services.document_reject(actor=heping_staff, document_id=contract.pk, reason="缺少签字页")
    pending = services.document_upload(actor=talent_user, talent=talent, kind="transcript", upload=upload())
    found = selectors.documents_on_file(talent=talent, kinds=["degree", "rent_contract", "transcript", "diploma"])
    assert found == {"degree": old, "transcript": pending}


def test_the_review_queue_is_scoped_by_current_jurisdiction(talent_user, talent, heping_staff, hunnan_staff,
                                                            city_staff):
    document = services.document_upload(actor=talent_user, talent=talent, kind="degree", upload=upload())
    assert list(selectors.review_queue(user=heping_staff)) == [document]
    assert list(selectors.review_queue(user=city_staff)) == [document]
    assert list(selectors.review_queue(user=hunnan_staff)) == []
    from rencai.regions.models import Region

    talent.district = Region.objects.get(code="210112")  # moves to 浑南区: the lists follow at once
    talent.save(update_fields=["district"])
    assert list(selectors.review_queue(user=heping_staff)) == []
    assert list(selectors.review_queue(user=hunnan_staff)) == [document]
    with pytest.raises(PermissionDenied):
        selectors.review_queue(user=talent_user)


@pytest.mark.django_db(transaction=True)
def test_two_officers_deciding_at_once_one_decision(talent_user, talent, heping_staff, city_staff):
    document = services.document_upload(actor=talent_user, talent=talent, kind="degree", upload=upload())
    outcomes, barrier = [], threading.Barrier(2)

    def decide(actor, action):
        barrier.wait()
        try:
            services.document_transition(actor=actor, document_id=document.pk, action=action, reason="不清晰")
            outcomes.append("ok")
        except Conflict:
            outcomes.append("409")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(heping_staff, "verify")),
               threading.Thread(target=decide, args=(city_staff, "reject"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["409", "ok"]
    assert AuditEvent.objects.filter(action="document", object_id=str(document.pk)).count() == 1


def test_the_talent_is_told_of_the_decision_once(talent_user, talent, heping_staff,
                                                 django_capture_on_commit_callbacks):
    from rencai.notifications.models import Notification

    document = services.document_upload(actor=talent_user, talent=talent, kind="degree", upload=upload())
    with django_capture_on_commit_callbacks(execute=True):
        services.document_reject(actor=heping_staff, document_id=document.pk, reason="照片模糊，请重新扫描")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict):
        services.document_reject(actor=heping_staff, document_id=document.pk, reason="照片模糊，请重新扫描")
    message = Notification.objects.get(recipient=talent_user)
    assert "学位证书" in message.title and "照片模糊，请重新扫描" in message.body
