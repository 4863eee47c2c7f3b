"""The document store's API (django-ninja): the same services and selectors as the pages. Mounted at
``/api/documents`` in rencai/config/api.py."""

import datetime as dt

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth
from pydantic import ConfigDict

from rencai.accounts.enums import Role
from rencai.core.errors import FieldError, NotFound, ValidationFailed
from rencai.talents.selectors import talent_for_user

from . import selectors, services
from .enums import DocumentAction

router = Router(tags=["材料库"], auth=django_auth)


class ErrorOut(Schema):
    code: str
    message: str
    errors: list[dict]


ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut}


class DocumentOut(Schema):
    id: int
    talent_id: int
    kind: str
    kind_label: str
    original_name: str
    content_type: str
    size: int
    status: str
    status_label: str
    review_reason: str
    uploaded_at: dt.datetime
    reviewed_at: dt.datetime | None
    created: bool | None = None


class ReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    action: str
    review_reason: str = ""


def _out(document, created: bool | None = None) -> dict:
    return {"id": document.pk, "talent_id": document.talent_id, "kind": document.kind,
            "kind_label": document.get_kind_display(), "original_name": document.original_name,
            "content_type": document.content_type, "size": document.size, "status": document.status,
            "status_label": document.get_status_display(), "review_reason": document.review_reason,
            "uploaded_at": document.uploaded_at, "reviewed_at": document.reviewed_at, "created": created}


def _talent(user, talent_id: int | None):
    if user.role == Role.TALENT:
        talent = talent_for_user(user=user)
        if talent is None or (talent_id is not None and talent_id != talent.pk):
            raise NotFound()
        return talent
    if talent_id is None:
        raise ValidationFailed([FieldError("talent_id", "请指定人才")])
    return talent_id


@router.get("", response={200: list[DocumentOut], **ERRORS},
            summary="人才的材料（人才本人：自己的；工作人员：须指定管辖范围内的人才 talent_id）")
def documents_list(request, talent_id: int | None = None):
    talent = _talent(request.auth, talent_id)
    if not hasattr(talent, "pk"):
        talent = selectors.talent_documents_get(user=request.auth, talent_id=talent)
    return [_out(d) for d in selectors.documents_for_talent(user=request.auth, talent=talent)]


@router.post("", response={201: DocumentOut, 200: DocumentOut, **ERRORS},
             summary="上传材料（PDF、JPEG、PNG，按文件内容判断类型；同一文件只存一份，再次上传返回原材料）")
def document_upload(request, document_kind: Form[str], talent_id: Form[int | None] = None,
                    file: File[UploadedFile] = None):
    talent = _talent(request.auth, talent_id)
    document = services.document_upload(actor=request.auth, talent=talent, kind=document_kind, upload=file)
    return Status(201 if document.created else 200, _out(document, document.created))


@router.post("/{int:document_id}/review", response={200: DocumentOut, **ERRORS},
             summary="核验材料（人社部门）：action 为 verify（核验通过）或 reject（退回，须填写 review_reason）")
def document_review(request, document_id: int, payload: ReviewIn):
    if payload.action not in DocumentAction.values:
        raise ValidationFailed([FieldError("action", "操作须为核验通过（verify）或退回（reject）")])
    document = services.document_transition(actor=request.auth, document_id=document_id, action=payload.action,
                                            reason=payload.review_reason)
    return _out(document)
