"""Recognition's evidence moves onto the document store (材料库): every attachment now refers to a Document of
the applicant, so what a talent uploaded for recognition is on file for every later application.

Existing attachment files are carried over where they are (the file is not copied: the document points at the
same path under MEDIA_ROOT). One document per talent and content: two attachments of the same file become one
document. An attachment staff returned (its ``problem``) makes its document 已退回 with that reason, so the
talent sees why; every other carried-over document waits for review. Each requirement gets the document kind
its name says (身份证件 → 身份证件, 学历证书和学位证书 → 学位证书, ...; 其他材料 when none matches)."""

from django.db import migrations, models
from django.utils import timezone


def kinds_for_requirements(apps, schema_editor):
    from rencai.documents.enums import kind_for_label

    EvidenceRequirement = apps.get_model("recognition", "EvidenceRequirement")
    for requirement in EvidenceRequirement.objects.all():
        kind = kind_for_label(requirement.label)
        if kind != requirement.document_kind:
            EvidenceRequirement.objects.filter(pk=requirement.pk).update(document_kind=kind)


def carry_over(apps, schema_editor):
    Attachment = apps.get_model("recognition", "Attachment")
    Document = apps.get_model("documents", "Document")
    now = timezone.now()
    rows = Attachment.objects.select_related("application", "requirement").order_by("id")
    for attachment in rows.iterator(chunk_size=500):
        talent_id = attachment.application.talent_id
        document = Document.objects.filter(talent_id=talent_id, sha256=attachment.sha256).first()
        if document is None:
            document = Document.objects.create(
                talent_id=talent_id, kind=attachment.requirement.document_kind, file=attachment.file.name,
                original_name=attachment.original_name, content_type=attachment.content_type,
                size=attachment.size, sha256=attachment.sha256, uploaded_by_id=attachment.uploaded_by_id)
            Document.objects.filter(pk=document.pk).update(uploaded_at=attachment.uploaded_at)
        if attachment.problem and document.status == "pending":
            Document.objects.filter(pk=document.pk).update(status="rejected", review_reason=attachment.problem[:200],
                                                           reviewed_at=now)
            document.status = "rejected"
        Attachment.objects.filter(pk=attachment.pk).update(document=document)


def carry_back(apps, schema_editor):
    Attachment = apps.get_model("recognition", "Attachment")
    for attachment in Attachment.objects.select_related("document").order_by("id"):
        document = attachment.document
        Attachment.objects.filter(pk=attachment.pk).update(
            file=document.file.name, original_name=document.original_name, content_type=document.content_type,
            size=document.size, sha256=document.sha256)


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0001_initial"),
        ("recognition", "0003_recognition_card_token"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidencerequirement",
            name="document_kind",
            field=models.CharField(
                choices=[("id_document", "身份证件"), ("degree", "学位证书"), ("diploma", "毕业证书"),
                         ("degree_verification", "学历学位认证报告"), ("transcript", "成绩单"),
                         ("work_proof", "工作证明"), ("labour_contract", "劳动合同"),
                         ("social_insurance", "社保缴纳证明"), ("salary_proof", "薪酬证明"),
                         ("tax_record", "个人所得税纳税记录"), ("rent_contract", "租房合同"),
                         ("purchase_contract", "购房合同"), ("title_certificate", "职称证书"),
                         ("skill_certificate", "职业资格或技能等级证书"), ("award", "获奖或荣誉证书"),
                         ("programme", "人才工程入选文件"), ("achievement", "业绩成果材料"),
                         ("recommendation", "单位推荐意见"), ("other", "其他材料")],
                default="other",
                help_text="对应材料库中的哪类材料：人才材料库中已有该类材料的，申请时直接使用，不再重复提交",
                max_length=24, verbose_name="材料类型"),
        ),
        migrations.RunPython(kinds_for_requirements, migrations.RunPython.noop),
        migrations.AddField(
            model_name="attachment",
            name="document",
            field=models.ForeignKey(null=True, on_delete=models.PROTECT, related_name="attachments",
                                    to="documents.document", verbose_name="材料"),
        ),
        migrations.RunPython(carry_over, carry_back),
    ]
