"""The payments API (django-ninja), mounted at ``/api/payments``: the same services and selectors as the pages
(``services.py``, ``selectors.py``, ``budgets.py``, ``batches.py``). A talent reads their schedules and payments
and sets their bank account (returned masked); government users read budget lines, entitlements and payment
batches; staff make batches, finance approves or rejects them, and the bank's returned file is imported.
Money is a decimal string of yuan ("2500.00")."""

import datetime as dt
from typing import Literal

from django.utils import timezone
from ninja import File, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth
from pydantic import ConfigDict, Field

from rencai.core.api_schemas import ERRORS, MAX_ID, Money, money, page_number, paginate
from rencai.core.errors import PermissionDenied
from rencai.core.excel import csv_response
from rencai.core.parsing import bounded_int
from rencai.talents import selectors as talent_selectors

from . import batches, selectors, services

router = Router(tags=["待遇发放与预算"], auth=django_auth)

PAGE_SIZE = 50
Id = Path(..., ge=1, le=MAX_ID)


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class BankAccountOut(Schema):
    id: int
    bank_name: str
    account_name: str
    account_number_masked: str = Field(description="银行账号（遮蔽：前四位和后四位）")
    updated_at: dt.datetime


class BankAccountIn(_Strict):
    bank_name: str = Field(description="开户银行")
    account_name: str = Field(description="户名")
    account_number: str = Field(description="银行账号，8到30位数字（可含空格或连字符）")


class PaymentOut(Schema):
    month: dt.date
    amount: Money
    status: str
    status_label: str
    reason: str = Field(description="银行反馈（发放失败的原因）")
    paid_at: dt.datetime | None


class PaymentSkipOut(Schema):
    month: dt.date
    kind: str = Field(description="stopped（停发）或 held（预算不足，暂缓）")
    kind_label: str
    reason: str


class EntitlementOut(Schema):
    """An approved benefit and its schedule."""

    id: int
    talent_id: int | None = Field(description="人才编号（单位的项目资助为空）")
    talent_name: str | None = Field(description="人才姓名（单位的项目资助为空）")
    payee_name: str = Field(description="人才姓名，或单位的项目资助的单位名称")
    grant_reference: str = Field(description="项目资助编号（项目资助的某一期；其他待遇为空字符串）")
    policy: str
    policy_title: str
    status: str
    status_label: str
    monthly_amount: Money | None
    months: int | None
    one_time_amount: Money | None
    total: Money
    start_month: dt.date
    end_month: dt.date
    payee: str
    payee_label: str
    organization_name: str | None = Field(description="收款单位（向用人单位发放时）")
    end_reason: str
    created_at: dt.datetime


class EntitlementScheduleOut(EntitlementOut):
    paid_total: Money = Field(description="已到账合计")
    next_month: dt.date | None = Field(description="下一笔的月份（发放期内尚未安排的第一个月）")
    next_amount: Money | None
    months_left: int
    payments: list[PaymentOut]
    skips: list[PaymentSkipOut] = Field(description="未发放的月份及原因（停发或暂缓）")


class MyPaymentsOut(Schema):
    account: BankAccountOut | None
    entitlements: list[EntitlementScheduleOut]


class BudgetLineOut(Schema):
    policy: str
    policy_title: str
    year: int
    has_line: bool = Field(description="本年度是否已安排预算额度")
    amount: Money | None
    committed: Money | None
    paid: Money | None
    prepared: Money | None = Field(description="已安排发放（各月发放记录之和）")
    remaining: Money | None = Field(description="剩余 = 预算 − 已承诺")
    forecast_next_year: Money = Field(description="下一年度需求预测（在发待遇的发放计划加在办申请）")
    forecast_pending: Money = Field(description="其中在办申请")


class EntitlementRow(EntitlementOut):
    district_name: str


class EntitlementPage(Schema):
    count: int
    page: int
    pages: int
    results: list[EntitlementRow]


class PaymentBatchOut(Schema):
    id: int
    number: str
    month: dt.date
    status: str
    status_label: str
    count: int = Field(description="笔数（信封）")
    total: Money = Field(description="合计（信封）")
    created_by: str | None
    created_at: dt.datetime
    approved_by: str | None
    approved_at: dt.datetime | None
    returned_at: dt.datetime | None


class PaymentBatchPage(Schema):
    count: int
    page: int
    pages: int
    results: list[PaymentBatchOut]


class BatchLineOut(Schema):
    reference: str = Field(description="支付流水号")
    talent_name: str | None = Field(description="人才姓名（单位的项目资助为空）")
    payee_name: str = Field(description="人才姓名，或单位的项目资助的单位名称")
    policy: str
    policy_title: str
    month: dt.date
    amount: Money
    result: str
    result_label: str
    bank_reason: str


class BatchLinePage(Schema):
    count: int
    page: int
    pages: int
    results: list[BatchLineOut]


class PaymentBatchDetailOut(PaymentBatchOut):
    results: dict[str, int] = Field(description="各结果的笔数：pending、paid、failed")
    may_approve: bool = Field(description="当前用户有审批权限")
    lines: BatchLinePage = Field(description="批次明细（管辖范围内的各笔）")


class PaymentBatchIn(_Strict):
    month: str | None = Field(None, pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$",
                              description="所属月份 YYYY-MM：编入此月及以前的待发放和失败待重发的各笔（默认本月）")


class BatchRejectIn(_Strict):
    reason: str = Field(description="退回原因（2到200个字）")


class BankReturnOut(Schema):
    paid: int
    failed: int
    unchanged: int = Field(description="此前已处理、本次未改变的笔数")


class BatchDissolvedOut(Schema):
    number: str
    status: Literal["rejected", "cancelled"] = Field(description="rejected：财政退回；cancelled：撤销")
    message: str


# -- helpers ------------------------------------------------------------------------------------------------------


def _account(account) -> dict | None:
    if account is None:
        return None
    return {"id": account.pk, "bank_name": account.bank_name, "account_name": account.account_name,
            "account_number_masked": account.account_number_masked, "updated_at": account.updated_at}


def _own_talent(user):
    talent = talent_selectors.talent_for_user(user=user) if user.role == "talent" else None
    if talent is None:
        raise PermissionDenied("只有已登记档案的人才可以查看和登记本人待遇发放")
    return talent


def _entitlement(e) -> dict:
    return {
        "id": e.pk, "talent_id": e.talent_id, "talent_name": e.talent.name if e.talent_id else None,
        "payee_name": e.payee_name, "grant_reference": e.grant_reference, "policy": e.policy,
        "policy_title": selectors.policy_title(e.policy), "status": e.status, "status_label": e.get_status_display(),
        "monthly_amount": money(e.monthly_fen), "months": e.months, "one_time_amount": money(e.one_time_fen),
        "total": money(e.total_fen), "start_month": e.start_month, "end_month": e.end_month, "payee": e.payee,
        "payee_label": e.get_payee_display(), "organization_name": e.organization.name if e.organization_id else None,
        "end_reason": e.end_reason, "created_at": e.created_at,
    }


def _schedule(view) -> dict:
    return {
        **_entitlement(view.entitlement), "paid_total": f"{view.paid_total}", "next_month": view.next_month,
        "next_amount": None if view.next_amount is None else f"{view.next_amount}", "months_left": view.months_left,
        "payments": [{"month": p.month, "amount": money(p.amount_fen), "status": p.status,
                      "status_label": p.get_status_display(), "reason": p.reason, "paid_at": p.paid_at}
                     for p in view.paid],
        "skips": [{"month": s.month, "kind": s.kind, "kind_label": s.get_kind_display(), "reason": s.reason}
                  for s in view.skips],
    }


def _batch(b) -> dict:
    return {"id": b.pk, "number": b.number, "month": b.month, "status": b.status,
            "status_label": b.get_status_display(), "count": b.count, "total": money(b.total_fen),
            "created_by": str(b.created_by) if b.created_by_id else None, "created_at": b.created_at,
            "approved_by": str(b.approved_by) if b.approved_by_id else None, "approved_at": b.approved_at,
            "returned_at": b.returned_at}


def _batch_detail(user, batch_id: int, page: int = 1) -> dict:
    batch = selectors.batch_get(user=user, batch_id=batch_id)
    meta, lines = paginate(selectors.batch_lines(user=user, batch=batch), page, PAGE_SIZE)
    return {**_batch(batch), "results": batches.batch_summary(batch), "may_approve": batches.can_approve(user),
            "lines": {**meta, "results": [
                {"reference": line.reference, "payee_name": line.payment.entitlement.payee_name,
                 "talent_name": line.payment.entitlement.talent.name if line.payment.entitlement.talent_id else None,
                 "policy": line.payment.policy, "policy_title": selectors.policy_title(line.payment.policy),
                 "month": line.payment.month, "amount": money(line.amount_fen), "result": line.result,
                 "result_label": line.get_result_display(), "bank_reason": line.bank_reason} for line in lines]}}


# -- a talent's own -------------------------------------------------------------------------------------------------


@router.get("/mine", response={200: MyPaymentsOut, **ERRORS},
            summary="我的待遇：收款账户（遮蔽）、各项待遇的发放计划、已发放、下一笔、停发或暂缓的原因")
def mine(request):
    talent = _own_talent(request.auth)
    return {"account": _account(selectors.bank_account_of(user=request.auth, talent=talent)),
            "entitlements": [_schedule(v) for v in selectors.talent_schedules(talent=talent)]}


@router.put("/mine/account", response={200: BankAccountOut, **ERRORS},
            summary="登记或更换本人收款账户（加密保存；返回遮蔽后的账号）")
def account_set(request, payload: BankAccountIn):
    talent = _own_talent(request.auth)
    account = services.bank_account_set(actor=request.auth, talent=talent, bank_name=payload.bank_name,
                                        account_name=payload.account_name, account_number=payload.account_number)
    return _account(account)


# -- government users: budgets and entitlements -------------------------------------------------------------------


@router.get("/budgets", response={200: list[BudgetLineOut], **ERRORS},
            summary="预算额度：每项政策的预算、已承诺、已支付、剩余，以及下一年度需求预测（政府工作人员）")
def budgets(request, year: int | None = None):
    this_year = timezone.localdate().year
    year = bounded_int(year, field="year", label="年度", minimum=2000, maximum=this_year + 1, default=this_year)
    rows = []
    for r in selectors.budget_rows(user=request.auth, year=year):
        line = r.line
        rows.append({
            "policy": r.policy, "policy_title": r.title, "year": r.year, "has_line": line is not None,
            "amount": money(line.amount_fen) if line else None,
            "committed": money(line.committed_fen) if line else None,
            "paid": money(line.paid_fen) if line else None, "prepared": money(line.prepared_fen) if line else None,
            "remaining": money(line.amount_fen - line.committed_fen) if line else None,
            "forecast_next_year": f"{r.forecast_next}", "forecast_pending": f"{r.forecast_pending}"})
    return rows


@router.get("/entitlements", response={200: EntitlementPage, **ERRORS},
            summary="享受资格（管辖范围内），可按政策和状态筛选")
def entitlements(request, policy: str = Query("", max_length=80),
                 status: Literal["", "active", "ended", "cancelled"] = "", page: int | None = None):
    rows = selectors.entitlement_search(user=request.auth, policy=policy, status=status)
    meta, items = paginate(rows, page_number(page), PAGE_SIZE)
    return {**meta, "results": [{**_entitlement(e), "district_name": e.district_name} for e in items]}


# -- payment batches ------------------------------------------------------------------------------------------------


@router.get("/batches", response={200: PaymentBatchPage, **ERRORS}, summary="发放批次（政府工作人员）")
def batch_list(request, page: int | None = None):
    meta, items = paginate(selectors.batches_visible(user=request.auth), page_number(page), PAGE_SIZE)
    return {**meta, "results": [_batch(b) for b in items]}


@router.post("/batches", response={201: PaymentBatchDetailOut, **ERRORS},
             summary="生成发放批次：管辖范围内待发放及失败待重发、已登记收款账户的各笔（工作人员）")
def batch_create(request, payload: PaymentBatchIn):
    month = dt.date(int(payload.month[:4]), int(payload.month[5:7]), 1) if payload.month else None
    batch = batches.batch_create(actor=request.auth, month=month)
    return Status(201, _batch_detail(request.auth, batch.pk))


@router.get("/batches/{int:batch_id}", response={200: PaymentBatchDetailOut, **ERRORS},
            summary="批次详情：信封（笔数、合计）、各结果笔数和明细")
def batch_detail(request, batch_id: int = Id, page: int | None = None):
    return _batch_detail(request.auth, batch_id, page_number(page))


@router.post("/batches/{int:batch_id}/approve", response={200: PaymentBatchDetailOut, **ERRORS},
             summary="审批通过发放批次（财政部门有审批权限的人员；不能审批自己生成的批次）")
def batch_approve(request, batch_id: int = Id):
    batches.batch_transition(actor=request.auth, batch_id=batch_id, action="approve")
    return _batch_detail(request.auth, batch_id)


@router.post("/batches/{int:batch_id}/reject", response={200: BatchDissolvedOut, **ERRORS},
             summary="退回发放批次（财政部门有审批权限的人员，须写明原因）：批次撤销，其中各笔回到待发放")
def batch_reject(request, payload: BatchRejectIn, batch_id: int = Id):
    batch = batches.batch_transition(actor=request.auth, batch_id=batch_id, action="reject",
                                     payload={"reason": payload.reason})
    return {"number": batch.number, "status": "rejected", "message": f"批次 {batch.number} 已退回，其中各笔回到待发放"}


@router.post("/batches/{int:batch_id}/cancel", response={200: BatchDissolvedOut, **ERRORS},
             summary="撤销待审批的发放批次（工作人员）：其中各笔回到待发放")
def batch_cancel(request, batch_id: int = Id):
    batch = batches.batch_transition(actor=request.auth, batch_id=batch_id, action="cancel")
    return {"number": batch.number, "status": "cancelled", "message": f"批次 {batch.number} 已撤销，其中各笔回到待发放"}


BANK_FILE_DOC = {"responses": {"200": {
    "description": "银行发放文件（UTF-8 CSV）：第1行为信封 BATCH,批次号,笔数,合计,月份；第2行为表头；其后每笔一行",
    "content": {"text/csv": {"schema": {"type": "string"}}}}}}


@router.get("/batches/{int:batch_id}/bank-file", response={**ERRORS}, openapi_extra=BANK_FILE_DOC,
            summary="导出已审批批次的银行发放文件（含全部完整账号，记入审计日志；只限审批发放批次的财政人员和系统管理员）")
def batch_bank_file(request, batch_id: int = Id):
    content, name = batches.bank_file(actor=request.auth, batch_id=batch_id)
    return csv_response(content, name)


@router.post("/batches/{int:batch_id}/returns", response={200: BankReturnOut, **ERRORS},
             summary="导入银行回盘文件（CSV：reference,amount,result,reason）；有错误行则不作任何改变，并逐行报告行号")
def batch_return(request, batch_id: int = Id, file: File[UploadedFile] = None):
    return batches.batch_return_import(actor=request.auth, batch_id=batch_id, upload=file)

