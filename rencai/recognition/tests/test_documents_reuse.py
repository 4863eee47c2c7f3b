"""Recognition's evidence lives in the document store (材料库): what a talent uploads for recognition is on file
for every later application, a document on file is attached instead of being asked for again, and the office's
check of the evidence is the document's one review."""

import pytest

from rencai.core.errors import Conflict, ValidationFailed
from rencai.documents import selectors as documents_selectors
from rencai.documents import services as documents_services
from rencai.documents.models import Document
from rencai.recognition import selectors, services
from rencai.recognition.models import Attachment
from rencai.talents.models import Talent

from .conftest import attach_all, create, submitted, upload

pytestmark = pytest.mark.django_db


def _talent(user) -> Talent:
    return Talent.objects.get(user=user)


def test_requirements_have_the_kind_of_document_they_ask_for(example_standard):
    kinds = {r.label: r.document_kind for r in example_standard.evidence.all()}
    assert kinds["身份证件"] == "id_document" and kinds["在沈工作证明"] == "work_proof"
    assert kinds["学历证书和学位证书"] == "degree" and kinds["职称证书"] == "title_certificate"
    assert kinds["单位推荐意见"] == "recommendation"


def test_a_document_on_file_is_attached_when_applying_and_not_asked_for_again(talent_user, heping_staff):
    talent = _talent(talent_user)
    degree = documents_services.document_upload(actor=talent_user, talent=talent, kind="degree", upload=upload())
    documents_services.document_verify(actor=heping_staff, document_id=degree.pk)
    identity = documents_services.document_upload(actor=talent_user, talent=talent, kind="id_document",
                                                  upload=upload())
    application = create(talent_user, category="D", item_code="D01")
    attached = {a.requirement.label: a.document for a in application.attachments.all()}
    assert attached == {"学历证书和学位证书": degree, "身份证件": identity}
    assert [r.label for r in selectors.missing_evidence(application)] == ["在沈工作证明"]
    assert Document.objects.count() == 2  # nothing copied


def test_what_is_uploaded_for_recognition_is_on_file_for_fulfilment(talent_user):
    application = create(talent_user, category="D", item_code="D01")
    attach_all(talent_user, application)
    on_file = documents_selectors.documents_on_file(talent=_talent(talent_user),
                                                    kinds=["degree", "id_document", "work_proof", "rent_contract"])
    assert set(on_file) == {"degree", "id_document", "work_proof"}
    assert all(d.status == "pending" and d.talent == _talent(talent_user) for d in on_file.values())
    assert {a.document_id for a in application.attachments.all()} == {d.pk for d in on_file.values()}


def test_choosing_a_document_on_file_attaches_it(talent_user, make_talent):
    talent = _talent(talent_user)
    application = create(talent_user, category="C", item_code="C03")
    requirement = next(r for r in selectors.requirements_for(application) if r.label == "政府特殊津贴证书")
    award = documents_services.document_upload(actor=talent_user, talent=talent, kind="award", upload=upload())
    rows = {r.requirement.label: r for r in selectors.evidence_rows(application, with_on_file=True)}
    assert award in rows["政府特殊津贴证书"].on_file and award not in rows["身份证件"].on_file
    attachment, created = services.attachment_add(actor=talent_user, application_id=application.pk,
                                                  requirement_id=requirement.pk, document_id=award.pk)
    assert created and attachment.document == award and attachment.original_name == award.original_name
    again, created = services.attachment_add(actor=talent_user, application_id=application.pk,
                                             requirement_id=requirement.pk, document_id=award.pk)
    assert again.pk == attachment.pk and not created
    someone_else = make_talent(name="李四")
    theirs = documents_services.document_upload(actor=talent_user.__class__.objects.get(username="admin"),
                                                talent=someone_else, kind="award", upload=upload())
    with pytest.raises(ValidationFailed) as info:
        services.attachment_add(actor=talent_user, application_id=application.pk, requirement_id=requirement.pk,
                                document_id=theirs.pk)
    assert info.value.errors[0].field == "document" and "材料库" in info.value.message
    assert Attachment.objects.filter(document=theirs).count() == 0


def test_the_office_check_is_the_documents_one_review(talent_user, heping_staff):
    application = submitted(talent_user, category="C", item_code="C03")
    requirements = [r for r in selectors.requirements_for(application) if r.required]
    services.application_return(actor=heping_staff, application_id=application.pk,
                                problems={requirements[0].pk: "扫描件不清晰"}, note="")
    returned = Attachment.objects.get(application=application, requirement=requirements[0]).document
    assert (returned.status, returned.review_reason) == ("rejected", "身份证件：扫描件不清晰")
    seen = documents_selectors.documents_for_talent(user=talent_user, talent=_talent(talent_user))
    assert "身份证件：扫描件不清晰" in [d.review_reason for d in seen]
    with pytest.raises(Conflict):  # the same file again is refused, by the store
        services.attachment_add(actor=talent_user, application_id=application.pk,
                                requirement_id=requirements[0].pk, document_id=returned.pk)
    attach_all(talent_user, application)
    services.application_submit(actor=talent_user, application_id=application.pk)
    services.application_accept(actor=heping_staff, application_id=application.pk)
    statuses = {a.document.status for a in Attachment.objects.filter(application=application, problem="")}
    assert statuses == {"verified"}
    returned.refresh_from_db()
    assert returned.status == "rejected"  # checked once: the acceptance does not overturn it


def test_the_application_page_offers_documents_on_file_and_marks_verified_ones(client, talent_user, heping_staff):
    talent = _talent(talent_user)
    degree = documents_services.document_upload(actor=talent_user, talent=talent, kind="degree", upload=upload())
    documents_services.document_verify(actor=heping_staff, document_id=degree.pk)
    application = create(talent_user, category="C", item_code="C03")
    award = documents_services.document_upload(actor=talent_user, talent=talent, kind="award", upload=upload())
    client.force_login(talent_user)
    page = client.get(f"/recognition/applications/{application.pk}/").content.decode()
    assert "或选用材料库中已有的材料" in page and f'value="{award.pk}"' in page
    requirement = next(r for r in selectors.requirements_for(application) if r.label == "政府特殊津贴证书")
    response = client.post(f"/recognition/applications/{application.pk}/upload/",
                           {"requirement": requirement.pk, "document": award.pk}, follow=True)
    assert "已从材料库选用" in response.content.decode()
    assert Attachment.objects.filter(application=application, document=award).exists()
    page = client.get(f"/recognition/applications/{application.pk}/").content.decode()
    assert page.count("材料库中已核验") == 0  # nothing attached here is verified yet (the degree is not asked for)
    documents_services.document_verify(actor=heping_staff, document_id=award.pk)
    page = client.get(f"/recognition/applications/{application.pk}/").content.decode()
    assert page.count("材料库中已核验") == 1
