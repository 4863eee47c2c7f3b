"""Payment batches (发放批次): grouped for finance to approve, exported as a bank file, and the bank's returned
file imported line by line.

Bank file (UTF-8 CSV through ``core.excel``; the "envelope" after OpenG2P's G2P Bridge):

    line 1  BATCH,<batch number>,<count>,<total yuan>,<YYYY-MM>      the envelope: the bank checks it first
    line 2  reference,account_name,bank_name,account_number,amount,purpose
    line 3… one line per payment; ``reference`` is unique for ever (a retry is a new line with a new reference)

Returned file (CSV, what the bank sends back):

    reference,amount,result,reason        header line
    <reference>,<amount>,paid|failed|成功|失败,<the bank's reason for a failure>

A returned file with any bad line (an unknown reference, a wrong amount, a result that is neither, a reference
twice, a paid line turned failed) changes nothing and reports every bad line with its number.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone

from rencai.accounts.models import User
from rencai.accounts.permissions import require_staff
from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core import crypto, excel
from rencai.core.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from rencai.core.uploads import check_upload, csv_rows

from .models import (
    BankAccount,
    BatchLine,
    BatchStatus,
    BudgetLine,
    LineResult,
    Payee,
    Payment,
    PaymentBatch,
    PaymentStatus,
    fen_to_yuan,
    yuan_to_fen,
)
from .selectors import batch_lines, entitlement_recipients, entitlement_scope_q, policy_title
from .services import notify

APPROVE_PERMISSION = "payments.approve_batch"
BANK_COLUMNS = ["reference", "account_name", "bank_name", "account_number", "amount", "purpose"]
RETURN_COLUMNS = ["reference", "amount", "result", "reason"]
RESULTS = {"paid": LineResult.PAID, "成功": LineResult.PAID, "failed": LineResult.FAILED, "失败": LineResult.FAILED}


def can_approve(user: User) -> bool:
    return user.is_authenticated and (user.is_administrator or user.has_perm(APPROVE_PERMISSION))


def may_manage(user: User, batch: PaymentBatch) -> bool:
    """Who may cancel a draft batch or import its bank's returned file: administrators, those who approve
    batches, city- or province-level staff (those who run the month: payments.jobs.can_run), and the batch's own
    creator. A district officer may not act on a batch another office made."""
    from .jobs import can_run

    return bool(user.is_authenticated and (can_approve(user) or can_run(user) or batch.created_by_id == user.pk))


def _payable(actor: User, month: dt.date | None):
    """Payments ready for a batch: prepared, or failed with no live line (a retry), whose payee has an
    account on file, in the actor's jurisdiction (a unit's grant by the unit's current district)."""
    live = BatchLine.objects.filter(payment=OuterRef("pk")).exclude(result=LineResult.FAILED)
    talent_account = BankAccount.objects.filter(talent_id=OuterRef("entitlement__talent_id"))
    unit_account = BankAccount.objects.filter(organization_id=OuterRef("entitlement__organization_id"))
    qs = (Payment.objects.filter(entitlement_scope_q(actor, "entitlement__"))
          .filter(status__in=[PaymentStatus.PREPARED, PaymentStatus.FAILED]).filter(~Exists(live))
          .filter((Q(entitlement__payee=Payee.TALENT) & Exists(talent_account))
                  | (Q(entitlement__payee=Payee.EMPLOYER) & Exists(unit_account))))
    return qs.filter(month__lte=month) if month else qs


def batch_create(*, actor: User, month: dt.date | None = None) -> PaymentBatch:
    """A draft batch of every payable payment up to ``month`` (failed ones retried). 409 when there is
    nothing to pay."""
    _require_staff_logged(actor, "", "生成发放批次")
    month = month or timezone.localdate().replace(day=1)
    with transaction.atomic():
        ids = list(_payable(actor, month).select_for_update(of=("self",)).order_by("month", "pk")
                   .values_list("pk", flat=True))
        if not ids:
            raise Conflict("没有可编入批次的发放记录（待发放或失败待重发，且已登记收款账户）", code="nothing_to_batch")
        batch = PaymentBatch.objects.create(number=f"T{timezone.now():%Y%m%d%H%M%S%f}", month=month,
                                            created_by=actor)
        batch.number = f"PB{month:%Y%m}-{batch.pk:06d}"
        lines, total = [], 0
        for start in range(0, len(ids), 5000):
            chunk = Payment.objects.filter(pk__in=ids[start:start + 5000]).values_list("pk", "amount_fen")
            for payment_id, amount in chunk:
                lines.append(BatchLine(batch=batch, payment_id=payment_id, amount_fen=amount,
                                       reference=f"{batch.number}-{len(lines) + 1:07d}"))
                total += amount
        BatchLine.objects.bulk_create(lines, batch_size=5000)
        Payment.objects.filter(pk__in=ids).update(status=PaymentStatus.BATCHED, reason="")
        batch.count, batch.total_fen = len(lines), total
        batch.save(update_fields=["number", "count", "total_fen"])
        audit_record(actor=actor, action=AuditAction.DECISION, object_type="payments.paymentbatch",
                     object_id=batch.pk, summary=f"生成发放批次 {batch.number}：{batch.count}笔，{batch.total}元",
                     row_count=batch.count)
    return batch


def _refuse(actor: User, batch_id, what: str, message: str) -> PermissionDenied:
    """A refusal by role, written to the audit log (who, which batch, what was asked)."""
    audit_record(actor=actor, action=AuditAction.DENIED, object_type="payments.paymentbatch", object_id=batch_id,
                 summary=f"{what}被拒绝：{message}")
    return PermissionDenied(message)


def _require_staff_logged(actor: User, batch_id, what: str) -> None:
    try:
        require_staff(actor)
    except PermissionDenied as refused:
        raise _refuse(actor, batch_id, what, refused.message) from None


def _batch_in_scope(actor: User, batch_id: int, *, lock: bool = False) -> PaymentBatch:
    qs = PaymentBatch.objects.all()
    if lock:
        qs = qs.select_for_update()
    batch = qs.filter(pk=batch_id).first()
    if batch is None or not (actor.is_administrator or actor.is_government):
        raise NotFound()
    return batch


def _approve(batch: PaymentBatch, actor: User, payload: dict) -> None:
    if not can_approve(actor):
        raise PermissionDenied("只有财政部门有审批权限的人员可以审批发放批次")
    if batch.created_by_id == actor.pk and not actor.is_administrator:
        raise PermissionDenied("生成批次的人员不能审批自己生成的批次")
    if batch.status != BatchStatus.DRAFT:
        raise Conflict("该批次已经审批，不能重复审批")
    batch.status, batch.approved_by, batch.approved_at = BatchStatus.APPROVED, actor, timezone.now()
    batch.save(update_fields=["status", "approved_by", "approved_at"])


def _cancel(batch: PaymentBatch, actor: User, payload: dict) -> None:
    require_staff(actor)
    if not may_manage(actor, batch):
        raise PermissionDenied("只有生成该批次的人员、市级经办或财政审批人员可以撤销发放批次")
    if batch.status != BatchStatus.DRAFT:
        raise Conflict("只有待审批的批次可以撤销")
    _dissolve(batch)


def _reject(batch: PaymentBatch, actor: User, payload: dict) -> str:
    """Finance sends a draft back (退回) with a reason: its payments become payable again, the batch is
    dissolved as a cancellation is, and whoever made it is told why."""
    if not can_approve(actor):
        raise PermissionDenied("只有财政部门有审批权限的人员可以退回发放批次")
    if batch.status != BatchStatus.DRAFT:
        raise Conflict("该批次已经审批，不能退回")
    reason = payload.get("reason")
    reason = reason.strip() if isinstance(reason, str) else ""
    if not 2 <= len(reason) <= 200:
        raise ValidationFailed([FieldError("reason", "请填写退回原因（2到200个字）")])
    if batch.created_by_id:
        notify(recipients=[batch.created_by_id], kind="payment", title=f"发放批次 {batch.number} 被财政退回",
               body=f"原因：{reason}。其中各笔已回到待发放，可修正后重新生成批次。", link="/payments/",
               key=f"batch-reject-{batch.pk}")
    _dissolve(batch)
    return f"，原因：{reason}"


def _dissolve(batch: PaymentBatch) -> None:
    payment_ids = list(batch.lines.values_list("payment_id", flat=True))
    # Back to payable: a retried payment to failed (its earlier line says why), the rest to prepared.
    failed_before = set(BatchLine.objects.filter(payment_id__in=payment_ids, result=LineResult.FAILED)
                        .values_list("payment_id", flat=True))
    Payment.objects.filter(pk__in=failed_before).update(status=PaymentStatus.FAILED)
    Payment.objects.filter(pk__in=set(payment_ids) - failed_before).update(status=PaymentStatus.PREPARED)
    batch.lines.all().delete()
    batch.delete()


TRANSITIONS = {"approve": (_approve, "审批通过发放批次"), "reject": (_reject, "退回发放批次"),
               "cancel": (_cancel, "撤销发放批次")}


def batch_transition(*, actor: User, batch_id: int, action: str, payload: dict | None = None) -> PaymentBatch:
    """The one transition function of the batch state machine: draft → approved (finance) → returned (the
    bank's file, ``batch_return_import``); a draft can be cancelled, or rejected by finance with a reason (both
    dissolve it: its payments are payable again). Every step is audited."""
    if action not in TRANSITIONS:
        raise ValidationFailed([FieldError("action", "未知的批次操作")])
    step, label = TRANSITIONS[action]
    try:
        with transaction.atomic():
            batch = _batch_in_scope(actor, batch_id, lock=True)
            number = batch.number
            detail = step(batch, actor, payload or {}) or ""
            audit_record(actor=actor, action=AuditAction.DECISION, object_type="payments.paymentbatch",
                         object_id=batch_id, summary=f"{label} {number}{detail}")
    except PermissionDenied as exc:  # a decision by someone without the role: refused and logged
        audit_record(actor=actor, action=AuditAction.DENIED, object_type="payments.paymentbatch",
                     object_id=batch_id, summary=f"{label}被拒绝：{exc.message}")
        raise
    return batch


def _lines(batch: PaymentBatch, lines=None):
    """Every line of the batch (the bank file), or the lines given (a viewer's, ``selectors.batch_lines``), with
    what the files need, in order, streamed."""
    lines = batch.lines.all() if lines is None else lines
    return (lines.select_related("payment__entitlement__talent__bank_account",
                                 "payment__entitlement__organization__bank_account")
            .order_by("pk").iterator(chunk_size=2000))


def _account(line: BatchLine) -> BankAccount:
    entitlement = line.payment.entitlement
    if entitlement.payee == Payee.EMPLOYER:
        return entitlement.organization.bank_account
    return entitlement.talent.bank_account


def bank_file(*, actor: User, batch_id: int) -> tuple[bytes, str]:
    """The approved batch as the bank's CSV, every line of it with full account numbers. It is for the bank, so
    only those who approve batches (``can_approve``: finance with the approval permission, administrators) may
    download it; anyone else is refused (403, logged) whatever else they may see. Every download is logged as
    an export (who, which batch, how many lines)."""
    batch = _batch_in_scope(actor, batch_id)
    if not can_approve(actor):
        raise _refuse(actor, batch.pk, "下载银行发放文件",
                      "银行发放文件含完整账号，只有审批发放批次的财政人员和系统管理员可以下载")
    if batch.status == BatchStatus.DRAFT:
        raise Conflict("批次尚未经财政审批，不能导出银行文件")

    def rows():  # the purpose names the policy by its title (the talent reads it on a bank statement)
        yield BANK_COLUMNS
        for line in _lines(batch):
            account = _account(line)
            yield [line.reference, account.account_name, account.bank_name,
                   crypto.decrypt(account.account_number_cipher), f"{fen_to_yuan(line.amount_fen)}",
                   f"{policy_title(line.payment.policy)} {line.payment.month:%Y-%m}"]

    content = excel.csv_bytes(["BATCH", batch.number, str(batch.count), f"{batch.total}", f"{batch.month:%Y-%m}"],
                              rows())
    audit_record(actor=actor, action=AuditAction.EXPORT, object_type="payments.paymentbatch", object_id=batch.pk,
                 summary=f"导出银行发放文件 {batch.number}（含完整账号）", row_count=batch.count)
    return content, f"{batch.number}.csv"


def batch_xlsx(*, actor: User, batch_id: int) -> tuple[bytes, str]:
    """The batch as Excel for review (account numbers masked): the lines in the viewer's jurisdiction, as on the
    batch's page (a district officer gets their district's lines of a city-wide batch)."""
    batch = _batch_in_scope(actor, batch_id)
    visible = batch_lines(user=actor, batch=batch)
    count = visible.count()

    def rows():
        for line in _lines(batch, visible):
            account = _account(line)
            entitlement = line.payment.entitlement
            yield [line.reference, entitlement.payee_name, policy_title(line.payment.policy),
                   f"{line.payment.month:%Y-%m}",
                   account.account_name, account.bank_name, account.account_number_masked,
                   fen_to_yuan(line.amount_fen), line.get_result_display(), line.bank_reason]

    sheet = excel.Sheet(title=batch.number, header=["支付流水号", "人才或单位", "政策", "所属月份", "户名", "开户银行",
                                                    "银行账号", "金额（元）", "结果", "银行反馈"], rows=rows())
    audit_record(actor=actor, action=AuditAction.EXPORT, object_type="payments.paymentbatch", object_id=batch.pk,
                 summary=f"导出发放批次 {batch.number}（Excel，账号已遮蔽）", row_count=count)
    return excel.xlsx_bytes([sheet]), f"{batch.number}.xlsx"


def _read_return(upload) -> list[list[str]]:
    check_upload(upload, field="file", label="银行回盘文件", extensions=(".csv", ".txt"))
    return csv_rows(upload, field="file", label="银行回盘文件")


def batch_return_import(*, actor: User, batch_id: int, upload) -> dict:
    """Apply the bank's returned file: every line paid or failed with the bank's reason. A file with a bad line
    changes nothing and names every bad line. Importing the same file again changes nothing."""
    _require_staff_logged(actor, batch_id, "导入银行回盘")
    if not may_manage(actor, _batch_in_scope(actor, batch_id)):
        raise _refuse(actor, batch_id, "导入银行回盘", "只有市级经办或财政审批人员可以导入该批次的银行回盘")
    rows = _read_return(upload)
    with transaction.atomic():
        batch = _batch_in_scope(actor, batch_id, lock=True)
        if batch.status == BatchStatus.DRAFT:
            raise Conflict("批次尚未审批导出，不能导入银行回盘")
        lines = {line.reference: line for line in batch.lines.select_for_update().select_related("payment")}
        errors: list[FieldError] = []
        if not rows or [c.strip().lower() for c in rows[0][:4]] != RETURN_COLUMNS:
            raise ValidationFailed([FieldError("file", "第1行：表头应为 reference,amount,result,reason")])
        seen: set[str] = set()
        decided: list[tuple[BatchLine, str, str]] = []
        for number, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            cells = [c.strip() for c in row] + [""] * 4
            reference, amount_text, result_text, reason = cells[:4]
            line = lines.get(reference)
            if line is None:
                errors.append(FieldError("file", f"第{number}行：支付流水号“{reference[:40]}”不属于本批次"))
                continue
            if reference in seen:
                errors.append(FieldError("file", f"第{number}行：支付流水号“{reference}”重复出现"))
                continue
            seen.add(reference)
            try:
                amount_ok = yuan_to_fen(Decimal(amount_text)) == line.amount_fen
            except (InvalidOperation, ValueError):
                amount_ok = False
            if not amount_ok:
                errors.append(FieldError("file", f"第{number}行：金额“{amount_text[:20]}”与本批次该笔金额"
                                                 f"{fen_to_yuan(line.amount_fen)}元不符"))
                continue
            result = RESULTS.get(result_text.lower())
            if result is None:
                errors.append(FieldError("file", f"第{number}行：结果应为 paid/成功 或 failed/失败"))
                continue
            if result == LineResult.FAILED and not reason:
                errors.append(FieldError("file", f"第{number}行：失败的一笔须写明银行反馈的原因"))
                continue
            if line.result == LineResult.PAID and result == LineResult.FAILED:
                errors.append(FieldError("file", f"第{number}行：该笔已确认到账，不能改为失败"))
                continue
            if line.result == LineResult.FAILED and result == LineResult.PAID:
                errors.append(FieldError("file", f"第{number}行：该笔已确认失败并可能已重发，不能改为到账"))
                continue
            if line.result == LineResult.PENDING:
                decided.append((line, result, reason[:200]))
        if errors:
            raise ValidationFailed(errors)
        now = timezone.now()
        paid_by_line: dict[tuple[str, int], int] = defaultdict(int)
        for line, result, reason in decided:
            line.result, line.bank_reason = result, reason if result == LineResult.FAILED else ""
            line.save(update_fields=["result", "bank_reason"])
            payment = line.payment
            if result == LineResult.PAID:
                payment.status, payment.paid_at, payment.reason = PaymentStatus.PAID, now, ""
                paid_by_line[(payment.policy, payment.month.year)] += payment.amount_fen
            else:
                payment.status, payment.reason = PaymentStatus.FAILED, reason[:200]
            payment.save(update_fields=["status", "paid_at", "reason"])
        for (policy, year), fen in paid_by_line.items():
            BudgetLine.objects.filter(policy=policy, year=year).update(paid_fen=F("paid_fen") + fen)
        if not batch.lines.filter(result=LineResult.PENDING).exists():
            batch.status, batch.returned_at = BatchStatus.RETURNED, now
            batch.save(update_fields=["status", "returned_at"])
        counts = {LineResult.PAID: 0, LineResult.FAILED: 0}
        for _line, result, _reason in decided:
            counts[result] += 1
        audit_record(actor=actor, action=AuditAction.DECISION, object_type="payments.paymentbatch",
                     object_id=batch.pk, summary=f"导入银行回盘 {batch.number}：到账{counts['paid']}笔，"
                                                 f"失败{counts['failed']}笔", row_count=len(decided))
        _notify_results(decided)
    return {"paid": counts[LineResult.PAID], "failed": counts[LineResult.FAILED], "unchanged": len(seen) - len(decided)}


def _notify_results(decided: list[tuple[BatchLine, str, str]]) -> None:
    """The talent — or, for a unit's grant, the unit's employer users — told of each line's result."""
    recipients = entitlement_recipients({line.payment.entitlement_id for line, _r, _reason in decided})
    for line, result, reason in decided:
        if line.payment.entitlement_id not in recipients:
            continue
        users, link = recipients[line.payment.entitlement_id]
        month = line.payment.month
        if result == LineResult.PAID:
            title, body = f"{month:%Y年%m月}的政策待遇已到账", f"金额 {fen_to_yuan(line.amount_fen)} 元"
        else:
            title = f"{month:%Y年%m月}的政策待遇发放失败"
            body = f"银行反馈：{reason}。将在下一批次重新发放，请核对收款账户。"
        notify(recipients=users, kind="payment", title=title, body=body, link=link,
               key=f"payment-line-{line.pk}-{result}")


def batch_summary(batch: PaymentBatch) -> dict:
    return dict(batch.lines.values("result").annotate(n=Count("pk"), fen=Sum("amount_fen"))
                .values_list("result", "n"))
