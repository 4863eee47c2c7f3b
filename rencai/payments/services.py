"""Writes of the payments app: entitlements, bank accounts (and their logged reveal). Each owns its
transaction; the monthly run is in ``run.py``, batches and bank files in ``batches.py``."""

import datetime as dt
import logging
import re
from decimal import Decimal

from django.db import IntegrityError, transaction

from rencai.accounts.models import User
from rencai.accounts.permissions import can_reveal, require_staff, talent_scope_q
from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core import crypto
from rencai.core.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from rencai.talents.models import Talent

from .models import BankAccount, Entitlement, EntitlementStatus, Payee, add_months, yuan_to_fen
from .selectors import entitlement_recipients, entitlement_scope_q, policy_title

logger = logging.getLogger("rencai.payments")


def notify(**kwargs) -> None:
    """Through the notifications app (in-site inbox + e-mail, after commit, never twice); logged when that
    app is not installed."""
    try:
        from rencai.notifications import services as notifications_services
    except ImportError:
        logger.info("通知 %s：%s", kwargs.get("key"), kwargs.get("title"))
        return
    notifications_services.notify(**kwargs)


def _money(value, field: str, errors: list[FieldError]) -> int | None:
    if value is None:
        return None
    if isinstance(value, float) or not isinstance(value, (Decimal, int)):
        errors.append(FieldError(field, "金额必须是精确的十进制数（元）"))
        return None
    value = Decimal(value)
    if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("0.01")):
        errors.append(FieldError(field, "金额必须大于0，且最多两位小数"))
        return None
    if value > Decimal("100000000"):
        errors.append(FieldError(field, "金额超出范围"))
        return None
    return yuan_to_fen(value)


def entitlement_create(*, actor, talent, policy_id: str, monthly_amount: Decimal | None, months: int | None,
                       one_time_amount: Decimal | None, start_month: dt.date, payee: str = Payee.TALENT,
                       application=None) -> Entitlement:
    """An approved benefit with its schedule. One active entitlement per (talent, policy): a second one is a
    409 (the partial unique constraint decides, also under concurrent approvals). ``payee`` "employer" pays
    the talent's current employer's account (named on the entitlement). Called by fulfilment inside its
    approval transaction (a savepoint here)."""
    errors: list[FieldError] = []
    monthly_fen = _money(monthly_amount, "monthly_amount", errors)
    one_time_fen = _money(one_time_amount, "one_time_amount", errors)
    if monthly_fen is not None and (not isinstance(months, int) or not 1 <= months <= 600):
        errors.append(FieldError("months", "发放月数必须是1到600之间的整数"))
    if monthly_fen is None and months is not None and not errors:
        errors.append(FieldError("months", "只有按月发放时才填写发放月数"))
    if monthly_fen is None and one_time_fen is None and not errors:
        errors.append(FieldError("monthly_amount", "每月金额和一次性金额至少填写一项"))
    if not isinstance(start_month, dt.date):
        errors.append(FieldError("start_month", "起始月份格式不正确"))
    if payee not in Payee.values:
        errors.append(FieldError("payee", "收款方只能是人才本人或用人单位"))
    if errors:
        raise ValidationFailed(errors)
    start = start_month.replace(day=1)
    organization = None
    if payee == Payee.EMPLOYER:
        organization = talent.organization
        if organization is None:
            raise ValidationFailed([FieldError("payee", "该政策向用人单位发放，但该人才没有登记用人单位")])
    end = add_months(start, (months or 1) - 1) if monthly_fen else start
    application_ref = getattr(application, "pk", application)
    try:
        with transaction.atomic():
            entitlement = Entitlement.objects.create(
                talent=talent, policy=policy_id, application_ref=application_ref, monthly_fen=monthly_fen,
                months=months if monthly_fen else None, one_time_fen=one_time_fen, start_month=start,
                end_month=end, payee=payee, organization=organization,
                created_by=actor if getattr(actor, "is_authenticated", False) else None)
    except IntegrityError as exc:
        raise Conflict("该人才已在享受这项政策，不能重复批准", code="duplicate_entitlement") from exc
    if getattr(actor, "is_authenticated", False):
        audit_record(actor=actor, action=AuditAction.DECISION, obj=talent, object_type="payments.entitlement",
                     object_id=entitlement.pk,
                     summary=f"批准 {talent.name} 享受“{policy_title(policy_id)}”，自{start:%Y年%m月}起发放",
                     details={"policy": policy_id, "entitlement": entitlement.pk})
    return entitlement


def entitlement_cancel(*, actor: User, entitlement_id: int, reason: str) -> Entitlement:
    """Stop an entitlement for good (staff decision, with a reason the talent — or the unit — sees)."""
    require_staff(actor)
    reason = (reason or "").strip()
    if not 2 <= len(reason) <= 200:
        raise ValidationFailed([FieldError("reason", "请填写终止原因（2到200个字）")])
    with transaction.atomic():
        entitlement = (Entitlement.objects.select_for_update(of=("self",)).select_related("talent", "organization")
                       .filter(entitlement_scope_q(actor), pk=entitlement_id).first())
        if entitlement is None:
            raise NotFound()
        if entitlement.status != EntitlementStatus.ACTIVE:
            raise Conflict("该享受资格已经结束，不能再终止")
        _cancel(entitlement, actor=actor, reason=reason,
                summary=f"终止 {entitlement.payee_name} 的“{policy_title(entitlement.policy)}”发放：{reason}")
    return entitlement


def _cancel(entitlement: Entitlement, *, actor, reason: str, summary: str) -> None:
    """Cancel (the row locked by the caller, in its transaction), audit, and tell the talent or the unit after
    the commit."""
    entitlement.status, entitlement.end_reason = EntitlementStatus.CANCELLED, reason
    entitlement.save(update_fields=["status", "end_reason"])
    audit_record(actor=actor, action=AuditAction.DECISION, obj=entitlement.talent or entitlement.organization,
                 object_type="payments.entitlement", object_id=entitlement.pk, summary=summary)
    told = entitlement_recipients([entitlement.pk]).get(entitlement.pk)
    if told:
        notify(recipients=told[0], kind="payment", title="您的一项政策待遇已终止发放", body=f"原因：{reason}",
               link=told[1], key=f"entitlement-cancel-{entitlement.pk}")


# --- Bank accounts -------------------------------------------------------------------------------------------

_ACCOUNT = re.compile(r"^\d{8,30}$")


def mask_account(number: str) -> str:
    """6222 **** **** 1234: the bank's prefix and the last four."""
    return number[:4] + " **** **** " + number[-4:]


def _account_fields(bank_name: str, account_name: str, account_number: str) -> tuple[str, str, str]:
    errors: list[FieldError] = []
    bank_name, account_name = (bank_name or "").strip(), (account_name or "").strip()
    number = re.sub(r"[\s-]", "", account_number or "")
    if not 2 <= len(bank_name) <= 100:
        errors.append(FieldError("bank_name", "请填写开户银行（2到100个字）"))
    if not 2 <= len(account_name) <= 100:
        errors.append(FieldError("account_name", "请填写户名（2到100个字）"))
    if not _ACCOUNT.match(number):
        errors.append(FieldError("account_number", "银行账号应为8到30位数字"))
    if errors:
        raise ValidationFailed(errors)
    return bank_name, account_name, number


def bank_account_set(*, actor: User, talent: Talent | None = None, organization=None, bank_name: str,
                     account_name: str, account_number: str) -> BankAccount:
    """Record (or replace) the account a talent — or, for staff, an employer — is paid into. A talent sets
    their own; employer HR their unit's; staff those in their jurisdiction."""
    bank_name, account_name, number = _account_fields(bank_name, account_name, account_number)
    if talent is not None:
        if not Talent.objects.filter(talent_scope_q(actor), pk=talent.pk).exists():
            raise NotFound()
        if talent.user_id != actor.pk and not (actor.role == "staff" or actor.is_administrator):
            raise PermissionDenied("只有本人或政府工作人员可以登记收款账户")
        owner = {"talent": talent}
    elif organization is not None:
        if not (actor.is_administrator or actor.role == "staff"
                or (actor.role == "employer" and actor.organization_id == organization.pk)):
            raise PermissionDenied("只有本单位或政府工作人员可以登记单位收款账户")
        owner = {"organization": organization}
    else:
        raise ValidationFailed([FieldError("account_number", "请指明收款账户属于哪位人才或哪家单位")])
    with transaction.atomic():
        account, created = BankAccount.objects.select_for_update().get_or_create(
            **owner, defaults={"bank_name": bank_name, "account_name": account_name,
                               "account_number_cipher": crypto.encrypt(number),
                               "account_number_hash": crypto.lookup_hash(number),
                               "account_number_masked": mask_account(number), "updated_by": actor})
        if not created:
            account.bank_name, account.account_name = bank_name, account_name
            account.account_number_cipher = crypto.encrypt(number)
            account.account_number_hash = crypto.lookup_hash(number)
            account.account_number_masked = mask_account(number)
            account.updated_by = actor
            account.save()
        subject = talent.name if talent is not None else organization.name
        audit_record(actor=actor, action=AuditAction.TALENT_UPDATE, obj=talent if talent is not None else None,
                     object_type="payments.bankaccount", object_id=account.pk,
                     summary=f"登记 {subject} 的收款账户 {account.account_number_masked}")
    return account


def bank_account_reveal(*, actor: User, account_id: int, reason: str) -> str:
    """The full account number: for the owner, or staff who may reveal numbers and have the talent in their
    jurisdiction, with a stated reason; logged in the same transaction."""
    reason = (reason or "").strip()
    if not 2 <= len(reason) <= 200:
        raise ValidationFailed([FieldError("reason", "请填写查看事由（2到200个字）")])
    with transaction.atomic():
        account = BankAccount.objects.select_related("talent", "organization").filter(pk=account_id).first()
        if account is None:
            raise NotFound()
        if account.talent_id:
            if not Talent.objects.filter(talent_scope_q(actor), pk=account.talent_id).exists():
                raise NotFound()
            is_owner = account.talent.user_id == actor.pk
            subject = account.talent.name
        else:
            is_owner = actor.role == "employer" and actor.organization_id == account.organization_id
            subject = account.organization.name
            if not (is_owner or actor.is_government or actor.is_administrator):
                raise NotFound()
        if not (is_owner or can_reveal(actor)):
            raise PermissionDenied("您没有查看完整银行账号的权限")
        audit_record(actor=actor, action=AuditAction.REVEAL, obj=account.talent,
                     object_type="payments.bankaccount", object_id=account.pk,
                     summary=f"查看 {subject} 的完整银行账号，事由：{reason}",
                     details={"field": "account_number", "reason": reason})
        return crypto.decrypt(account.account_number_cipher)
