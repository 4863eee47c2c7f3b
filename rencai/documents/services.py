"""Writes of the document store. Each service owns its transaction; views and the API only validate and call.

A document is uploaded once per talent and content: the same file again (by its SHA-256, whatever its name)
is the document already on file. Staff check it once: ``document_transition`` is the one function that moves
a document out of 待核验, to 已核验 or to 已退回 with a reason the talent sees; a decided document is never
decided again (a second decision is a 409)."""

import hashlib
import logging

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import talent_scope_q
from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.errors import AppError, Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from rencai.core.uploads import check_upload
from rencai.notifications import services as notifications_services
from rencai.talents.models import Talent

from .enums import DocumentAction, DocumentKind, DocumentStatus
from .models import Document

logger = logging.getLogger("rencai.documents")

UPLOAD_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png")
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
# Magic bytes of the accepted types: the content decides, not the file name.
MAGIC = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
)
REASON_MAX = 200
# Who may put a document on file for a talent (within talent_scope_q): the talent, the office, and an employer
# for its confirmed staff (it applies on their behalf where a policy or 自主认定 says so).
UPLOADERS = (Role.TALENT, Role.STAFF, Role.EMPLOYER)


def sniff(upload) -> str:
    """The content type by the file's first bytes ("" when it is none of the accepted types)."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for magic, content_type, _ in MAGIC:
        if head.startswith(magic):
            return content_type
    return ""


def check_document_file(upload, *, label: str = "文件") -> tuple[str, str]:
    """Size, extension and content checked (a renamed .exe is refused whatever it is called). Returns the
    content type and the SHA-256 of the content."""
    check_upload(upload, field="file", label=label, extensions=UPLOAD_EXTENSIONS)
    content_type = sniff(upload)
    if not content_type:
        raise AppError(f"{label}：文件内容不是PDF、JPEG或PNG（只看扩展名不够，文件本身须是这三种格式之一）",
                       code="bad_file_type", status=400)
    name = (upload.name or "").lower()
    if not name.endswith(next(ext for _, ct, ext in MAGIC if ct == content_type)):
        raise AppError(f"{label}：文件扩展名与内容不符（内容为{content_type.split('/')[1].upper()}）",
                       code="bad_file_type", status=400)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest()


def _talent_in_scope(actor: User, talent) -> Talent:
    talent_id = talent.pk if isinstance(talent, Talent) else talent
    try:
        talent_id = int(talent_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = Talent.objects.filter(talent_scope_q(actor), pk=talent_id).select_related("district").first()
    if found is None:
        raise NotFound()
    return found


def _kind(kind) -> str:
    if kind not in DocumentKind.values:
        raise ValidationFailed([FieldError("document_kind", "请选择材料类型")])
    return kind


def _refuse(actor: User, message: str, what: str) -> PermissionDenied:
    logger.warning("refused %s by %s (role %s)", what, getattr(actor, "username", "?"), getattr(actor, "role", "?"))
    return PermissionDenied(message)


@transaction.atomic
def document_upload(*, actor: User, talent, kind: str, upload, label: str | None = None,
                    authorized: bool = False) -> Document:
    """Put one file on the talent's file. The same content again is the document already there (its
    ``created`` attribute is then False; a new one's is True); the same content as a rejected document is
    refused (409): the talent must upload a corrected file. ``label`` names the field in messages.
    ``authorized``: the caller has already checked that the actor acts for this talent (recognition's
    applicant, e.g. the employer authorised for 自主认定); otherwise the talent must be in the actor's scope."""
    if not actor.is_authenticated or not (actor.role in UPLOADERS or actor.is_administrator):
        raise _refuse(actor, "您没有权限为人才上传材料", "document upload")
    if authorized and isinstance(talent, Talent):
        talent = Talent.objects.select_related("district").get(pk=talent.pk)
    else:
        talent = _talent_in_scope(actor, talent)
    kind = _kind(kind)
    label = label or f"材料“{DocumentKind(kind).label}”"
    content_type, sha = check_document_file(upload, label=label)
    existing = Document.objects.filter(talent=talent, sha256=sha).first()
    if existing is not None:
        return _existing(existing, label)
    name = (upload.name or "file")[-200:]
    document = Document(talent=talent, kind=kind, original_name=name, content_type=content_type, size=upload.size,
                        sha256=sha, uploaded_by=actor)
    document.file.save(name, upload, save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:  # the same file posted twice at once: keep the first, drop our copy
        document.file.storage.delete(document.file.name)
        return _existing(Document.objects.get(talent=talent, sha256=sha), label)
    if actor.role != Role.TALENT:
        audit_record(actor=actor, action=AuditAction.DOCUMENT, obj=document, region_code=str(talent.district_id),
                     summary=f"为人才{talent.pk}上传材料{document.number}（{document.get_kind_display()}）")
    document.created = True
    return document


def _existing(document: Document, label: str) -> Document:
    if document.status == DocumentStatus.REJECTED:
        raise Conflict(f"{label}：与已被退回的文件相同（退回理由：{document.review_reason}），请上传补正后的文件",
                       code="same_as_rejected")
    document.created = False
    return document


def _require_reviewer(actor: User) -> None:
    if not (actor.is_authenticated and (actor.role == Role.STAFF or actor.is_administrator)):
        raise _refuse(actor, "只有政府工作人员可以核验材料", "document review")


def document_transition(*, actor: User, document_id: int, action: str, reason: str = "") -> Document:
    """The one state change of a document: 待核验 → 已核验 (verify) or 已退回 (reject, with a reason the talent
    sees). Checked once: a decided document is refused with a 409, including when two officers decide at once
    (the row is locked). Recorded in the audit log in the same transaction; a refusal for want of the role (403)
    is logged too, once the refused transaction is undone."""
    try:
        with transaction.atomic():
            return _transition(actor=actor, document_id=document_id, action=action, reason=reason)
    except PermissionDenied as exc:
        if getattr(actor, "is_authenticated", False):
            audit_record(actor=actor, action=AuditAction.DENIED, object_type="documents.document",
                         object_id=document_id, summary=f"越权操作被拒绝：核验材料（{exc.message}）")
        raise


def _transition(*, actor: User, document_id, action: str, reason: str) -> Document:
    if action not in DocumentAction.values:
        raise NotFound("未知的操作")
    try:
        document_id = int(document_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not Document.objects.filter(pk=document_id, talent__in=Talent.objects.filter(talent_scope_q(actor))).exists():
        raise NotFound()
    _require_reviewer(actor)
    reason = (reason or "").strip()
    if action == DocumentAction.REJECT:
        if len(reason) < 2:
            raise ValidationFailed([FieldError("review_reason", "请填写退回理由（人才将看到这段说明）")])
        if len(reason) > REASON_MAX:
            raise ValidationFailed([FieldError("review_reason", f"退回理由不能超过{REASON_MAX}字")])
    document = Document.objects.select_for_update().get(pk=document_id)
    if document.status != DocumentStatus.PENDING:
        raise Conflict(f"该材料已{document.get_status_display()}，每份材料只核验一次", code="already_reviewed")
    document.status = DocumentStatus.VERIFIED if action == DocumentAction.VERIFY else DocumentStatus.REJECTED
    document.review_reason = reason if action == DocumentAction.REJECT else ""
    document.reviewed_by = actor
    document.reviewed_at = timezone.now()
    document.save(update_fields=["status", "review_reason", "reviewed_by", "reviewed_at"])
    talent = Talent.objects.only("pk", "district_id", "user_id").get(pk=document.talent_id)
    summary = f"材料{document.number}（{document.get_kind_display()}）{DocumentAction(action).label}"
    audit_record(actor=actor, action=AuditAction.DOCUMENT, obj=document, region_code=str(talent.district_id),
                 summary=summary + (f"：{reason}" if reason else ""))
    _notify(document, talent)
    return document


def _notify(document: Document, talent: Talent) -> None:
    """Tell the talent (in-site inbox and e-mail, after commit; once per document and decision)."""
    if not talent.user_id:
        return
    if document.status == DocumentStatus.VERIFIED:
        title = f"您的材料“{document.get_kind_display()}”已核验通过"
        body = "该材料今后办理业务时可直接使用，无需再次提交。"
    else:
        title, body = (f"您的材料“{document.get_kind_display()}”被退回",
                       f"退回理由：{document.review_reason}。请上传补正后的文件。")
    notifications_services.notify(recipients=[talent.user_id], kind="document", title=title, body=body,
                                  link=reverse("documents:mine"), key=f"document:{document.pk}:{document.status}")


def document_verify(*, actor: User, document_id: int) -> Document:
    return document_transition(actor=actor, document_id=document_id, action=DocumentAction.VERIFY)


def document_reject(*, actor: User, document_id: int, reason: str) -> Document:
    return document_transition(actor=actor, document_id=document_id, action=DocumentAction.REJECT, reason=reason)

