"""The recognition API (django-ninja): the same services and selectors as the pages. To mount it:
``api.add_router("/recognition", router)`` in rencai/config/api.py."""

import datetime as dt
from decimal import Decimal

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth
from pydantic import ConfigDict

from rencai.accounts.permissions import talent_scope_q
from rencai.core.errors import FieldError, NotFound, ValidationFailed
from rencai.talents.models import Talent

from . import cards, selectors, services

router = Router(tags=["人才认定"], auth=django_auth)


class ErrorOut(Schema):
    code: str
    message: str
    errors: list[dict]


ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut}


class ItemOut(Schema):
    code: str
    category: str
    title: str
    evidence: list[str]


class RuleOut(Schema):
    category: str
    validity_years: int
    review_threshold: int


class StandardOut(Schema):
    name: str
    valid_from: dt.date
    is_example: bool
    review_panel_size: int
    rules: list[RuleOut]
    items: list[ItemOut]


class ApplicationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    way: str
    category: str
    item: str = ""
    talent_id: int | None = None
    statement: str = ""
    annual_salary: Decimal | None = None
    annual_tax: Decimal | None = None
    market_value: Decimal | None = None
    form_token: str = ""


class EvidenceOut(Schema):
    requirement_id: int
    label: str
    required: bool
    files: int
    missing: bool


class EventOut(Schema):
    action: str
    from_status: str
    to_status: str
    at: dt.datetime
    actor: str
    reason: str


class ApplicationOut(Schema):
    id: int
    number: str
    talent_id: int
    talent_name: str
    id_number_masked: str
    way: str
    kind: str
    category: str
    item: str | None
    status: str
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    decision_reason: str
    review_score: Decimal | None
    recognition_id: int | None
    evidence: list[EvidenceOut]
    missing: list[str]
    timeline: list[EventOut]


class ApplicationRow(Schema):
    id: int
    number: str
    talent_name: str
    way: str
    category: str
    status: str
    submitted_at: dt.datetime | None


class ActionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = ""
    note: str = ""
    problems: dict[str, str] = {}
    expert_ids: list[int] = []


class AttachmentOut(Schema):
    id: int
    requirement_id: int
    original_name: str
    content_type: str
    size: int
    created: bool


class ScoreIn(Schema):
    model_config = ConfigDict(extra="forbid")

    professional: int
    potential: int
    experience: int
    contribution: int
    remuneration: int
    comment: str = ""


class ScoreOut(Schema):
    assignment_id: int
    total: int
    scored_at: dt.datetime


class RevokeIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: str


class CategoryOut(Schema):
    talent_id: int
    on: dt.date
    category: str
    since: dt.date | None


class VerifyOut(Schema):
    valid: bool
    state: str
    name: str
    category: str
    valid_until: dt.date


def _out(application, user) -> dict:
    application = selectors.application_get(user=user, application_id=application.pk)
    rows = selectors.evidence_rows(application)
    recognition = getattr(application, "recognition", None) if application.status in ("approved", "revoked") else None
    return {
        "id": application.pk, "number": application.number, "talent_id": application.talent_id,
        "talent_name": application.talent.name, "id_number_masked": application.talent.id_number_masked,
        "way": application.way, "kind": application.kind, "category": application.category,
        "item": application.item.code if application.item_id else None, "status": application.status,
        "submitted_at": application.submitted_at, "decided_at": application.decided_at,
        "decision_reason": application.decision_reason, "review_score": application.review_score,
        "recognition_id": recognition.pk if recognition else None,
        "evidence": [{"requirement_id": r.requirement.pk, "label": r.requirement.label,
                      "required": r.requirement.required, "files": len(r.attachments), "missing": r.missing}
                     for r in rows],
        "missing": [r.requirement.label for r in rows if r.missing],
        "timeline": [{"action": e.action, "from_status": e.from_status, "to_status": e.to_status, "at": e.at,
                      "actor": e.actor_label, "reason": e.reason}
                     for e in selectors.timeline(application, viewer=user)],
    }


@router.get("/standard", response={200: StandardOut, **ERRORS}, auth=None, summary="现行人才认定标准（含示例标记）")
def standard(request, on: dt.date | None = None):
    current = selectors.standard_in_force(on=on)
    return {
        "name": current.name, "valid_from": current.valid_from, "is_example": current.is_example,
        "review_panel_size": current.review_panel_size,
        "rules": list(current.rules.order_by("category").values("category", "validity_years", "review_threshold")),
        "items": [{"code": i.code, "category": i.category, "title": i.title,
                   "evidence": [e.label for e in i.evidence.all()]}
                  for i in current.items.prefetch_related("evidence").order_by("category", "position", "code")],
    }


@router.post("/applications", response={201: ApplicationOut, **ERRORS}, summary="创建认定申请（草稿）")
def application_create(request, payload: ApplicationIn):
    data = services.ApplicationInput(way=payload.way, category=payload.category, item_code=payload.item,
                                     talent_id=payload.talent_id, statement=payload.statement,
                                     annual_salary=payload.annual_salary, annual_tax=payload.annual_tax,
                                     market_value=payload.market_value, form_token=payload.form_token)
    application = services.application_create(actor=request.auth, data=data)
    return Status(201, _out(application, request.auth))


@router.get("/applications", response={200: list[ApplicationRow], **ERRORS},
            summary="认定申请列表（工作人员：管辖范围内的待办；人才和单位：自己的）")
def application_list(request, status: str = "", way: str = ""):
    user = request.auth
    if user.is_government or user.is_administrator:
        queryset = selectors.application_queue(user=user, filters=selectors.QueueFilters(status=status, way=way))
    else:
        queryset = selectors.applications_of_user(user=user)
    return [{"id": a.pk, "number": a.number, "talent_name": a.talent.name, "way": a.way, "category": a.category,
             "status": a.status, "submitted_at": a.submitted_at} for a in queryset[:500]]


@router.get("/applications/{int:application_id}", response={200: ApplicationOut, **ERRORS}, summary="认定申请详情")
def application_detail(request, application_id: int):
    return _out(selectors.application_get(user=request.auth, application_id=application_id), request.auth)


@router.post("/applications/{int:application_id}/attachments", response={201: AttachmentOut, 200: AttachmentOut,
                                                                         **ERRORS},
             summary="上传申报材料（PDF、JPEG、PNG，按文件内容判断类型），或选用材料库中已有的材料（document_id）")
def attachment_add(request, application_id: int, requirement_id: Form[int], file: File[UploadedFile] = None,
                   document_id: Form[int | None] = None):
    attachment, created = services.attachment_add(actor=request.auth, application_id=application_id,
                                                  requirement_id=requirement_id, upload=file,
                                                  document_id=document_id)
    body = {"id": attachment.pk, "requirement_id": attachment.requirement_id,
            "original_name": attachment.original_name, "content_type": attachment.content_type,
            "size": attachment.size, "created": created}
    return Status(201 if created else 200, body)


STEP_CALLS = {
    "submit": lambda user, pk, p: services.application_submit(actor=user, application_id=pk),
    "withdraw": lambda user, pk, p: services.application_withdraw(actor=user, application_id=pk, reason=p.reason),
    "accept": lambda user, pk, p: services.application_accept(actor=user, application_id=pk),
    "return": lambda user, pk, p: services.application_return(actor=user, application_id=pk, problems=p.problems,
                                                              note=p.note),
    "reject": lambda user, pk, p: services.application_reject(actor=user, application_id=pk, reason=p.reason),
    "panel": lambda user, pk, p: services.application_panel_form(actor=user, application_id=pk,
                                                                 expert_ids=p.expert_ids),
    "conclude": lambda user, pk, p: services.application_conclude(actor=user, application_id=pk),
}


@router.post("/applications/{int:application_id}/actions/{action}", response={200: ApplicationOut, **ERRORS},
             summary="办理一步：submit、withdraw、accept、return、reject、panel、conclude")
def application_act(request, application_id: int, action: str, payload: ActionIn):
    call = STEP_CALLS.get(action)
    if call is None:
        raise ValidationFailed([FieldError("action", f"未知的操作“{action}”，可用：{'、'.join(STEP_CALLS)}")])
    application = call(request.auth, application_id, payload)
    return _out(application, request.auth)


@router.post("/assignments/{int:assignment_id}/score", response={200: ScoreOut, **ERRORS}, summary="专家评分")
def score(request, assignment_id: int, payload: ScoreIn):
    scores = payload.model_dump(exclude={"comment"})
    assignment = services.review_score_submit(actor=request.auth, assignment_id=assignment_id, scores=scores,
                                              comment=payload.comment)
    return {"assignment_id": assignment.pk, "total": assignment.total, "scored_at": assignment.scored_at}


@router.post("/recognitions/{int:recognition_id}/revoke", response={200: ApplicationOut, **ERRORS},
             summary="撤销认定（人社部门）")
def revoke(request, recognition_id: int, payload: RevokeIn):
    application = services.recognition_revoke(actor=request.auth, recognition_id=recognition_id,
                                              reason=payload.reason)
    return _out(application, request.auth)


@router.get("/talents/{int:talent_id}/category", response={200: CategoryOut, **ERRORS},
            summary="某日有效的人才类别（政策按评估日取用）")
def category(request, talent_id: int, on: dt.date | None = None):
    talent = Talent.objects.filter(talent_scope_q(request.auth), pk=talent_id).first()
    if talent is None:
        raise NotFound()
    day = on or selectors.today()
    held, since = selectors.category_held(talent, on=day)
    return {"talent_id": talent.pk, "on": day, "category": held, "since": since}


@router.get("/verify/{token}", response={200: VerifyOut, **ERRORS}, auth=None,
            summary="核验人才卡（无需登录；只返回脱敏姓名、类别、有效期）")
def verify(request, token: str):
    result = cards.card_verify(token, on=selectors.today())
    return {"valid": result.valid, "state": result.state, "name": result.masked_name, "category": result.category,
            "valid_until": result.valid_until}

