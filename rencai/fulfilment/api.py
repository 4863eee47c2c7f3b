"""政策兑现's API (django-ninja), mounted at ``/api/fulfilment``: the same services and selectors as the pages
(``services.py``, ``selectors.py``), every list scoped through the talent's current record, money as decimal
strings. A talent applies, follows, withdraws and resubmits, confirms 免申即享 offers; staff work their
department's queue, decide (one or many), invite the entitled and answer objections; anyone reads the 公示 and
may object."""

import datetime as dt
from typing import Literal

from django.utils import timezone
from ninja import Path, Query, Router, Schema, Status
from ninja.security import django_auth
from pydantic import ConfigDict, Field

from rencai.accounts.enums import Role
from rencai.core.api_schemas import ERRORS, MAX_ID, ErrorOut, Money, money, money_yuan, page_number, paginate
from rencai.core.errors import FieldError, NotFound, ValidationFailed
from rencai.core.security import client_ip
from rencai.talents import selectors as talent_selectors

from . import notices as notice_kinds
from . import selectors, services
from .enums import Action
from .enums import Status as ApplicationStatus
from .models import Application

router = Router(tags=["政策兑现"], auth=django_auth)

PAGE_SIZE = 50
Id = Path(..., ge=1, le=MAX_ID)


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


# -- what goes out ---------------------------------------------------------------------------------------------


class FulfilmentAmountOut(Schema):
    monthly_amount: Money | None = Field(None, description="每月金额（元）")
    months: int | None = Field(None, description="发放月数")
    one_time_amount: Money | None = Field(None, description="一次性金额（元）")
    total: Money | None = Field(None, description="合计（元）")
    text: str = Field(description="金额说明，如“每月2500.00元，36个月”")


class FulfilmentApplicationRow(Schema):
    id: int
    number: str
    policy: str
    policy_title: str
    talent_id: int
    talent_name: str
    district_name: str
    origin: str
    origin_label: str
    status: str
    status_label: str
    current_step: str | None = Field(description="当前环节名称")
    current_step_key: str | None
    promised_due: dt.date | None
    statutory_due: dt.date | None
    overdue: str = Field(description="超期：statutory（超法定时限）、promised（超承诺时限）或空")
    amount: FulfilmentAmountOut
    submitted_at: dt.datetime
    decided_at: dt.datetime | None


class FulfilmentExplanationOut(Schema):
    """The engine's whole explanation at submission, frozen: later registry or catalog edits never change it."""

    as_of: str = Field(description="评估日")
    catalog_version: str = Field(description="政策目录版本（内容摘要）")
    eligible: bool | str = Field(description="true、false、manual（一人一议）或 unknown")
    reasons: list[str]
    missing: list[str]
    decided_by: str | None = Field(description="决定结果的条件")
    source: dict = Field(description="文件出处与原文")
    exclusive_group: str | None
    choice: dict | None = Field(description="不可兼得时的可选项与推荐项")
    inputs: dict = Field(description="计算所用的人员信息")
    monthly_amount: Money | None
    months: int | None
    one_time_amount: Money | None
    total: Money | None


class FulfilmentStepOut(Schema):
    round: int
    position: int
    key: str
    title: str
    department: str
    level: str
    level_label: str
    started_on: dt.date | None
    promised_due: dt.date | None
    statutory_due: dt.date | None
    decision: str
    decision_label: str
    decided_by: str | None
    decided_at: dt.datetime | None
    reason: str


class FulfilmentEventOut(Schema):
    action: str
    action_label: str
    step_title: str
    from_status: str
    to_status: str
    at: dt.datetime
    actor: str
    reason: str


class FulfilmentDocumentOut(Schema):
    kind: str
    kind_label: str
    document_id: int | None


class PublicNoticeOut(Schema):
    id: int
    kind_label: str = Field(description="公示类别（政策兑现公示、项目评审结果公示等）")
    masked_name: str = Field(description="姓名（只显示姓氏）")
    policy_title: str = Field(description="公示事项（政策、项目及档次）")
    amount_text: str
    monthly_amount: Money | None = Field(description="每月金额（政策兑现公示；其他类别为空）")
    months: int | None
    one_time_amount: Money | None
    starts_on: dt.date
    ends_on: dt.date
    closed: bool


class ObjectionOut(Schema):
    id: int
    application_id: int | None = Field(description="政策兑现申请编号（其他类别的公示为空）")
    text: str
    filed_at: dt.datetime
    status: str
    status_label: str
    answer: str
    answered_at: dt.datetime | None


class FulfilmentApplicationOut(FulfilmentApplicationRow):
    applicant: str
    organization_name: str | None
    reject_reason: str
    explanation: FulfilmentExplanationOut
    documents: list[FulfilmentDocumentOut]
    steps: list[FulfilmentStepOut]
    timeline: list[FulfilmentEventOut]
    notice: PublicNoticeOut | None
    objections: list[ObjectionOut] = Field(description="公示异议（仅政府工作人员可见）")
    may_decide: bool = Field(description="当前用户可以办理当前环节")


class FulfilmentApplicationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[FulfilmentApplicationRow]


class OverdueCountOut(Schema):
    title: str
    department: str
    level: str
    total: int
    promised: int
    statutory: int


class OfferOut(Schema):
    id: int
    policy: str
    policy_title: str
    exclusive_group: str
    recommended: bool
    example: bool = Field(description="演示示例：文件未指定免申即享，此项仅为演示")
    monthly_amount: Money | None
    one_time_amount: Money | None
    total: Money | None
    status: str
    status_label: str
    created_at: dt.datetime
    answered_at: dt.datetime | None
    application_id: int | None


class ObjectionFiledOut(Schema):
    id: int
    notice_id: int
    status: str
    status_label: str
    filed_at: dt.datetime


class BulkRefusedOut(Schema):
    id: int
    message: str


class BulkDecisionOut(Schema):
    done: list[FulfilmentApplicationRow]
    refused: list[BulkRefusedOut]


class InvitationsSentOut(Schema):
    sent: int


# -- what comes in ----------------------------------------------------------------------------------------------


class FulfilmentSubmitIn(_Strict):
    policy: str = Field(max_length=80, description="政策编号")
    talent_id: int | None = Field(None, ge=1, le=MAX_ID,
                                  description="申请对象：人才本人可省略；用人单位和窗口工作人员必填")
    note: str = Field("", max_length=500, description="备注")


class FulfilmentResubmitIn(_Strict):
    note: str = Field("", max_length=500)


class FulfilmentReasonIn(_Strict):
    reason: str = Field("", description="意见或理由（不予通过时必填，申请人可见）")


class BulkDecisionIn(_Strict):
    applications: list[int] = Field(description="申请编号（id），一次最多500项")
    action: Literal["approve", "reject"]
    reason: str = ""


class InvitationsIn(_Strict):
    policy: str = Field(max_length=80)
    talent_ids: list[int] | None = Field(None, description="只邀请其中这些人才（省略则邀请全部符合条件者）")


class ObjectionAnswerIn(_Strict):
    answer: str
    upheld: bool = Field(description="异议是否成立：成立则不予批准并退回预算")


class ObjectionIn(_Strict):
    text: str
    contact: str = ""


class FulfilmentQueueFilters(Schema):
    status: Literal["mine", "all", "reviewing", "publicizing", "approved", "rejected", "withdrawn"] = Field(
        "mine", description="mine：待本部门办理；all：管辖范围内全部；或某一状态")
    policy: str = Field("", max_length=80)
    step: str = Field("", max_length=40, description="环节编号，如 district_review")
    overdue: Literal["", "promised", "statutory"] = ""
    page: int | None = None


# -- helpers ----------------------------------------------------------------------------------------------------


def _amount(a) -> dict:
    return {"monthly_amount": money(a.monthly_fen), "months": a.months, "one_time_amount": money(a.one_time_fen),
            "total": money(a.total_fen), "text": services.amount_text(a)}


def _row(a: Application, today: dt.date) -> dict:
    step = a.current_step
    return {
        "id": a.pk, "number": a.number, "policy": a.policy, "policy_title": a.policy_title, "talent_id": a.talent_id,
        "talent_name": a.talent.name, "district_name": a.talent.district.name, "origin": a.origin,
        "origin_label": a.get_origin_display(), "status": a.status, "status_label": a.get_status_display(),
        "current_step": step.title if step else None, "current_step_key": step.key if step else None,
        "promised_due": step.promised_due if step else None, "statutory_due": step.statutory_due if step else None,
        "overdue": selectors.step_is_overdue(step, today=today) if a.status == ApplicationStatus.REVIEWING else "",
        "amount": _amount(a), "submitted_at": a.submitted_at, "decided_at": a.decided_at,
    }


def _explanation(snapshot: dict) -> dict:
    result = snapshot.get("result") or {}
    return {
        "as_of": str(snapshot.get("as_of", "")), "catalog_version": snapshot.get("catalog") or "",
        "eligible": result.get("eligible"), "reasons": [r for r in result.get("reasons") or [] if r],
        "missing": list(result.get("missing") or []), "decided_by": result.get("decided_by"),
        "source": result.get("source") or {}, "exclusive_group": result.get("exclusive_group"),
        "choice": snapshot.get("choice"), "inputs": snapshot.get("inputs") or {},
        "monthly_amount": money_yuan(result.get("monthly_amount")), "months": result.get("months"),
        "one_time_amount": money_yuan(result.get("one_time_amount")), "total": money_yuan(result.get("total")),
    }


def _notice(notice) -> dict:
    a = notice.application  # 政策兑现's grant: its amounts; another kind's notice says its amount in words only
    return {"id": notice.pk, "kind_label": notice_kinds.kind_label(notice.subject_kind),
            "masked_name": notice.masked_name, "policy_title": notice.title, "amount_text": notice.amount_text,
            "monthly_amount": money(a.monthly_fen) if a else None, "months": a.months if a else None,
            "one_time_amount": money(a.one_time_fen) if a else None, "starts_on": notice.starts_on,
            "ends_on": notice.ends_on, "closed": notice.closed_at is not None}


def _objection(o) -> dict:
    return {"id": o.pk, "application_id": o.notice.application_id, "text": o.text, "filed_at": o.filed_at,
            "status": o.status, "status_label": o.get_status_display(), "answer": o.answer,
            "answered_at": o.answered_at}


def _detail(user, application_id: int) -> dict:
    """The application as its page shows it, read again through the scoped selector."""
    a = selectors.application_get(user=user, application_id=application_id)
    government = user.is_government or user.is_administrator
    notice = getattr(a, "notice", None) if a.status != ApplicationStatus.REVIEWING else None
    step = a.current_step
    return {
        **_row(a, timezone.localdate()),
        "applicant": str(a.applicant), "organization_name": a.organization.name if a.organization_id else None,
        "reject_reason": a.reject_reason, "explanation": _explanation(a.snapshot or {}),
        "documents": [{"kind": k, "kind_label": services.kind_label(k), "document_id": v if isinstance(v, int)
                       else None} for k, v in (a.documents or {}).items()],
        "steps": [{"round": s.round, "position": s.position, "key": s.key, "title": s.title,
                   "department": s.department, "level": s.level, "level_label": s.get_level_display(),
                   "started_on": s.started_on, "promised_due": s.promised_due, "statutory_due": s.statutory_due,
                   "decision": s.decision, "decision_label": s.get_decision_display(),
                   "decided_by": str(s.decided_by) if s.decided_by_id else None, "decided_at": s.decided_at,
                   "reason": s.reason}
                  for s in a.steps.select_related("decided_by").order_by("round", "position")],
        "timeline": [{"action": e.action, "action_label": e.get_action_display(), "step_title": e.step_title,
                      "from_status": e.from_status, "to_status": e.to_status, "at": e.at, "actor": e.actor_label,
                      "reason": e.reason} for e in a.events.all()],
        "notice": _notice(notice) if notice else None,
        "objections": [_objection(o) for o in notice.objections.select_related("notice")] if notice and government
        else [],
        "may_decide": bool(step and a.status == ApplicationStatus.REVIEWING
                           and services.step_actor_allowed(user, a, step)),
    }


def _offer(o, examples: set[str]) -> dict:
    return {"id": o.pk, "policy": o.policy, "policy_title": o.policy_title, "exclusive_group": o.exclusive_group,
            "recommended": o.recommended, "example": o.policy in examples, "monthly_amount": money(o.monthly_fen),
            "one_time_amount": money(o.one_time_fen), "total": money(o.total_fen), "status": o.status,
            "status_label": o.get_status_display(), "created_at": o.created_at, "answered_at": o.answered_at,
            "application_id": o.application_id}


def _talent_id(user, talent_id: int | None) -> int:
    """Whom the application is for: a talent applies for themself; an employer (for confirmed staff) and
    window staff name the talent, who must be within what they may see (404 otherwise, as on every page)."""
    if user.role == Role.TALENT:
        own = talent_selectors.talent_for_user(user=user)
        if own is None:
            raise NotFound("您的账号尚未关联人才档案，请先联系所在区人社部门登记")
        if talent_id is not None and talent_id != own.pk:
            raise NotFound()
        return own.pk
    if talent_id is None:
        raise ValidationFailed([FieldError("talent_id", "请指定申请对象（人才）")])
    return talent_selectors.talent_get(user=user, talent_id=talent_id).pk


# -- a talent's (or employer's) applications ------------------------------------------------------------------------


@router.get("/applications", response={200: FulfilmentApplicationPage, **ERRORS},
            summary="我的政策兑现申请（人才：本人的；用人单位：本单位已确认人员的；工作人员：管辖范围内全部）")
def application_list(request, page: int | None = None):
    rows = selectors.my_applications(user=request.auth).select_related("talent", "talent__district")
    meta, items = paginate(rows, page_number(page), PAGE_SIZE)
    today = timezone.localdate()
    return {**meta, "results": [_row(a, today) for a in items]}


@router.post("/applications", response={201: FulfilmentApplicationOut, 200: FulfilmentApplicationOut, **ERRORS},
             summary="申请一项政策（同一表单提交两次只有一份申请：第二次返回已有的申请，状态码200）")
def application_submit(request, payload: FulfilmentSubmitIn):
    user = request.auth
    talent_id = _talent_id(user, payload.talent_id)
    application, created = services.application_submit(actor=user, talent_id=talent_id, policy_id=payload.policy,
                                                       form={"note": payload.note})
    return Status(201 if created else 200, _detail(user, application.pk))


@router.get("/applications/{int:application_id}", response={200: FulfilmentApplicationOut, **ERRORS},
            summary="申请详情：提交时冻结的计算依据、状态、审批环节和办理记录")
def application_detail(request, application_id: int = Id):
    return _detail(request.auth, application_id)


@router.post("/applications/{int:application_id}/withdraw", response={200: FulfilmentApplicationOut, **ERRORS},
             summary="撤回申请（申请人本人；审核中或公示中）")
def application_withdraw(request, payload: FulfilmentReasonIn, application_id: int = Id):
    services.application_withdraw(actor=request.auth, application_id=application_id, reason=payload.reason)
    return _detail(request.auth, application_id)


@router.post("/applications/{int:application_id}/resubmit", response={200: FulfilmentApplicationOut, **ERRORS},
             summary="重新提交已撤回或未通过的申请（重新计算并冻结，开始新一轮审批）")
def application_resubmit(request, payload: FulfilmentResubmitIn, application_id: int = Id):
    user = request.auth
    application = selectors.application_get(user=user, application_id=application_id)
    services.application_submit(actor=user, talent_id=application.talent_id, policy_id=application.policy,
                                form={"note": payload.note})
    return _detail(user, application_id)


# -- staff: queue and decisions -----------------------------------------------------------------------------------


@router.get("/queue", response={200: FulfilmentApplicationPage, **ERRORS},
            summary="工作人员待办：默认为待本部门办理的申请（管辖范围内），可按政策、环节、超期、状态筛选")
def queue(request, filters: Query[FulfilmentQueueFilters]):
    user = request.auth
    page = page_number(filters.page)
    rows = selectors.queue(user=user, policy=filters.policy, step=filters.step, overdue=filters.overdue,
                           status=filters.status)
    meta, items = paginate(rows, page, PAGE_SIZE)
    today = timezone.localdate()
    return {**meta, "results": [_row(a, today) for a in items]}


@router.get("/overdue", response={200: list[OverdueCountOut], **ERRORS},
            summary="各环节在办数量与超期数量（工作人员和领导，管辖范围内）")
def overdue(request):
    return selectors.overdue_counts(user=request.auth)


@router.post("/applications/{int:application_id}/approve", response={200: FulfilmentApplicationOut, **ERRORS},
             summary="审核通过当前环节（须为该环节的承办部门和层级；最后一个环节通过即占用预算并批准）")
def application_approve(request, payload: FulfilmentReasonIn, application_id: int = Id):
    services.application_approve(actor=request.auth, application_id=application_id, reason=payload.reason)
    return _detail(request.auth, application_id)


@router.post("/applications/{int:application_id}/reject", response={200: FulfilmentApplicationOut, **ERRORS},
             summary="不予通过（须填写理由，申请人可见）")
def application_reject(request, payload: FulfilmentReasonIn, application_id: int = Id):
    services.application_reject(actor=request.auth, application_id=application_id, reason=payload.reason)
    return _detail(request.auth, application_id)


@router.post("/applications/{int:application_id}/finalize", response={200: FulfilmentApplicationOut, **ERRORS},
             summary="公示期满、异议均已答复后批准")
def application_finalize(request, application_id: int = Id):
    services.application_transition(actor=request.auth, application_id=application_id, action=Action.FINALIZE)
    return _detail(request.auth, application_id)


@router.post("/bulk", response={200: BulkDecisionOut, **ERRORS},
             summary="批量通过或不予通过（同一理由）；每项单独办理，未办理的逐项说明原因")
def bulk(request, payload: BulkDecisionIn):
    done, refused = services.applications_bulk_decide(actor=request.auth, application_ids=payload.applications,
                                                      action=payload.action, reason=payload.reason)
    today = timezone.localdate()
    rows = selectors.applications_visible(request.auth).filter(pk__in=[a.pk for a in done]).select_related(
        "talent", "talent__district", "current_step")
    return {"done": [_row(a, today) for a in rows.order_by("pk")],
            "refused": [{"id": int(pk), "message": message} for pk, message in refused]}


@router.post("/invitations", response={200: InvitationsSentOut, **ERRORS},
             summary="精准推送：邀请管辖范围内符合条件但尚未申请的人才申请（每人每项政策只推送一次）")
def invitations(request, payload: InvitationsIn):
    return {"sent": services.invitations_send(actor=request.auth, policy_id=payload.policy,
                                              talent_ids=payload.talent_ids)}


@router.get("/objections", response={200: list[ObjectionOut], **ERRORS},
            summary="待答复的公示异议（工作人员，管辖范围内）")
def objections(request):
    return [_objection(o) for o in selectors.objections_open(user=request.auth)[:500]]


@router.post("/objections/{int:objection_id}/answer", response={200: ObjectionOut, **ERRORS},
             summary="答复公示异议（异议成立则不予批准并退回预算）")
def objection_answer(request, payload: ObjectionAnswerIn, objection_id: int = Id):
    objection = services.objection_answer(actor=request.auth, objection_id=objection_id, answer=payload.answer,
                                          upheld=payload.upheld)
    return _objection(objection)


# -- 免申即享 ------------------------------------------------------------------------------------------------------


@router.get("/offers", response={200: list[OfferOut], **ERRORS}, summary="我的免申即享待确认事项")
def offers(request):
    examples = selectors.example_policies()
    return [_offer(o, examples) for o in selectors.own_offers(user=request.auth)]


@router.post("/offers/{int:offer_id}/confirm", response={200: FulfilmentApplicationOut, **ERRORS},
             summary="确认享受（意愿确认）：无需填表，直接进入拨付环节；同组其他选项随之放弃")
def offer_confirm(request, offer_id: int = Id):
    application = services.offer_confirm(actor=request.auth, offer_id=offer_id)
    return _detail(request.auth, application.pk)


@router.post("/offers/{int:offer_id}/decline", response={200: OfferOut, **ERRORS}, summary="放弃免申即享事项")
def offer_decline(request, offer_id: int = Id):
    offer = services.offer_decline(actor=request.auth, offer_id=offer_id)
    return _offer(offer, selectors.example_policies())


# -- 公示 (public) ---------------------------------------------------------------------------------------------------


@router.get("/notices", response={200: list[PublicNoticeOut], **ERRORS}, auth=None,
            summary="公示中的事项（无需登录；姓名只显示姓氏）")
def notices(request):
    return [_notice(n) for n in selectors.public_notices().select_related("application")]


@router.post("/notices/{int:notice_id}/objections", response={201: ObjectionFiledOut, **ERRORS, 429: ErrorOut},
             auth=None, summary="对公示提出异议（无需登录；公示期内；工作人员须在批准前答复；"
                                "同一网络地址对同一条公示每小时最多5条，超过则为429）")
def objection_file(request, payload: ObjectionIn, notice_id: int = Id):
    objection = services.objection_file(notice_id=notice_id, text=payload.text, contact=payload.contact,
                                        client=client_ip(request))
    return Status(201, {"id": objection.pk, "notice_id": objection.notice_id, "status": objection.status,
                        "status_label": objection.get_status_display(), "filed_at": objection.filed_at})
