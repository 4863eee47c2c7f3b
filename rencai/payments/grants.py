"""Programme grants' stages as entitlements (项目申报, issue 8): what the programmes app calls to pay an award.

A competitive programme's grant is paid in stages (e.g. “兴辽英才计划”引进创新团队支持: 50% on award, 50% on
acceptance), each stage one one-time entitlement named by its ``grant_reference`` ("XM0000012-2"), for a talent
(payee the talent, or their employer) or for a unit alone (a station's 设站资助: no talent, payee the unit). The
monthly run, the budget line of (policy, year), batches, the bank file and the returned file then pay it as any
other entitlement — except that a stage is never stopped by the run's condition re-check or the 社保 feed: the
programme decided eligibility once, at award (``run.py``).

The reference is the key: the unique constraint ``entitlement_one_per_grant_reference`` makes scheduling a stage
twice — again, or by two requests at once — one row. Budget is not committed here: the programmes app commits the
whole award on the policy's line itself (``budgets.budget_commit``, reference = the award's number).
"""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction

from rencai.accounts.enums import Role
from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from rencai.organizations.models import Organization
from rencai.talents.models import Talent

from .models import BudgetLine, Entitlement, EntitlementStatus, Payee, fen_to_yuan
from .selectors import policy_title
from .services import _cancel, _money


def _require_actor(actor) -> None:
    """Government staff or an administrator (the programme's officer awarding or accepting), or no user at all
    (a background job of the programmes app)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return
    if not (actor.role == Role.STAFF or actor.is_administrator):
        raise PermissionDenied("只有政府工作人员可以安排或终止项目资助的发放")


def _reference(reference, errors: list[FieldError]) -> str:
    text = reference.strip() if isinstance(reference, str) else ""
    if not 1 <= len(text) <= 40:
        errors.append(FieldError("reference", "项目资助编号须为1到40个字符"))
    return text


def _of(model, value, field: str, label: str, errors: list[FieldError]):
    """A talent or organization given as an instance or an id: the row, or a field error."""
    if value is None:
        return None
    pk = value.pk if isinstance(value, model) else value
    found = model.objects.filter(pk=pk).first() if isinstance(pk, int) and not isinstance(pk, bool) else None
    if found is None:
        errors.append(FieldError(field, f"{label}不存在"))
    return found


def _describe(entitlement: Entitlement) -> str:
    return (f"{entitlement.payee_name}的“{policy_title(entitlement.policy)}”项目资助 {entitlement.grant_reference}："
            f"{entitlement.one_time_amount}元，{entitlement.start_month:%Y年%m月}发放")


def grant_stage_schedule(*, reference: str, policy_id: str, amount: Decimal, month: dt.date, actor,
                         talent=None, organization=None, payee: str = "talent") -> Entitlement:
    """An active one-time entitlement (``one_time_fen``, start = end = ``month``'s first day) paying one stage of
    a programme grant. ``payee`` "talent" pays the talent's own account (``talent`` needed); "employer" pays
    ``organization``'s account (needed), for a talent or, without one, for the unit itself. Idempotent by
    ``reference``: the same stage again returns the existing row unchanged (whatever its status); the same
    reference with another amount, policy, month, payee, talent or organization is a 409. Invalid input is a
    422 naming the field in Chinese. Its own transaction (a savepoint inside the caller's); the unique
    constraint on the reference decides between concurrent calls. Budget is not committed here."""
    _require_actor(actor)
    errors: list[FieldError] = []
    reference = _reference(reference, errors)
    from rencai.policies.calculator import default_catalog

    if not isinstance(policy_id, str) or policy_id not in default_catalog().policies:
        errors.append(FieldError("policy_id", "政策不存在或已移出政策目录"))
    fen = _money(amount, "amount", errors)
    if not isinstance(month, dt.date):
        errors.append(FieldError("month", "发放月份格式不正确"))
    if payee not in Payee.values:
        errors.append(FieldError("payee", "收款方只能是人才本人或用人单位"))
    talent = _of(Talent, talent, "talent", "人才", errors)
    organization = _of(Organization, organization, "organization", "收款单位", errors)
    if payee == Payee.TALENT and talent is None and not any(e.field == "talent" for e in errors):
        errors.append(FieldError("talent", "向人才本人发放时须指明人才"))
    if payee == Payee.EMPLOYER and organization is None and not any(e.field == "organization" for e in errors):
        errors.append(FieldError("organization", "向用人单位发放时须指明收款单位"))
    if errors:
        raise ValidationFailed(errors)
    start = dt.date(month.year, month.month, 1)
    wanted = {"policy": policy_id, "one_time_fen": fen, "start_month": start, "payee": payee,
              "talent_id": talent.pk if talent else None,
              "organization_id": organization.pk if payee == Payee.EMPLOYER else None}
    existing = Entitlement.objects.filter(grant_reference=reference).first()
    if existing is None:
        try:
            with transaction.atomic():
                entitlement = Entitlement.objects.create(
                    grant_reference=reference, end_month=start, talent=talent,
                    organization=organization if payee == Payee.EMPLOYER else None,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                    **{k: v for k, v in wanted.items() if not k.endswith("_id")})
                audit_record(actor=actor, action=AuditAction.DECISION, obj=talent or organization,
                             object_type="payments.entitlement", object_id=entitlement.pk,
                             summary=f"安排{_describe(entitlement)}",
                             details={"policy": policy_id, "entitlement": entitlement.pk, "grant": reference})
            return entitlement
        except IntegrityError:  # the same reference scheduled at the same moment: the other call's row stands
            existing = Entitlement.objects.filter(grant_reference=reference).first()
            if existing is None:
                raise
    if any(getattr(existing, key) != value for key, value in wanted.items()):
        raise Conflict(f"项目资助编号 {reference} 已安排了不同的发放（{fen_to_yuan(existing.one_time_fen)}元，"
                       f"{existing.start_month:%Y年%m月}，{existing.get_payee_display()}），不能改为本次的内容",
                       code="grant_reference_conflict")
    return existing


def grant_stage_cancel(*, reference: str, reason: str, actor) -> Entitlement | None:
    """Cancel a stage not yet paid (a failed acceptance stops the later stages), with a reason the talent or the
    unit is told. ``None`` when no stage has the reference; a stage already cancelled is returned unchanged. A
    stage with any payment (prepared, batched, paid, or failed and so due to be retried) is a 409: the money is
    on its way or gone. Takes the budget line's lock first, as the monthly run does before it inserts payments,
    so that a run and a cancellation never cross: either the run's payment is there and the cancellation is
    refused, or the stage is cancelled before the run writes anything for it."""
    _require_actor(actor)
    errors: list[FieldError] = []
    reference = _reference(reference, errors)
    reason = reason.strip() if isinstance(reason, str) else ""
    if not 2 <= len(reason) <= 200:
        errors.append(FieldError("reason", "请填写终止原因（2到200个字）"))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        found = Entitlement.objects.filter(grant_reference=reference).values_list("policy", "start_month").first()
        if found is None:
            return None
        policy, start = found
        BudgetLine.objects.select_for_update().filter(policy=policy, year=start.year).first()
        entitlement = (Entitlement.objects.select_for_update(of=("self",)).select_related("talent", "organization")
                       .get(grant_reference=reference))
        if entitlement.status == EntitlementStatus.CANCELLED:
            return entitlement
        if entitlement.status != EntitlementStatus.ACTIVE or entitlement.payments.exists():
            raise Conflict(f"项目资助 {reference} 已生成发放记录或已发放，不能终止", code="grant_stage_paid")
        _cancel(entitlement, actor=actor, reason=reason, summary=f"终止{_describe(entitlement)}：{reason}")
    return entitlement
