"""Writes of 政策兑现, each owning its transaction.

- ``application_submit``: a talent (or their employer, where the policy allows) applies; the engine runs again
  and its whole explanation is frozen on the application; what is missing is listed all at once.
- ``application_transition``: the one way an application changes status (step approvals across departments,
  rejection, withdrawal, resubmission, 公示 and its end). The final approval commits the budget and creates the
  entitlement in one transaction (``_grant``).
- 免申即享: ``offers_generate`` / ``offer_confirm``; 精准推送: ``invitations_send``.
- 公示 of any kind registered in notices.py (政策兑现's grants, a programme's awards): ``notice_publish``,
  ``notice_withdraw``, ``objection_file``, ``objection_answer``, ``notices_close_due``.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import require_staff, talent_scope_q
from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.errors import AppError, Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from rencai.core.throttle import Limit, throttle_check, throttle_count
from rencai.talents.enums import EmploymentStatus
from rencai.talents.models import Talent

from . import notices
from .enums import (
    OPEN_STATUSES,
    RESUBMITTABLE,
    Action,
    Level,
    ObjectionStatus,
    OfferStatus,
    Origin,
    Status,
    StepDecision,
)
from .models import (
    Application,
    ApplicationEvent,
    ApplicationStep,
    ExclusiveGrant,
    Invitation,
    Objection,
    Offer,
    PublicNotice,
)
from .notices import mask_to_surname
from .routes import policy_setting

logger = logging.getLogger("rencai.fulfilment")

MAX_REASON = 500
MAX_BULK = 500
# A monthly benefit whose documents set no end (e.g. 房租补贴) is approved for a year at a time; the talent
# applies again after it (stated on the application).
OPEN_ENDED_MONTHS = 12


# -- other apps, through their published interfaces ----------------------------------------------------------


def notify(**kwargs) -> None:
    """In-site inbox and e-mail after commit, never twice (notifications app)."""
    from rencai.notifications import services as notifications_services

    notifications_services.notify(**kwargs)


def _workdays():
    try:
        from rencai.workdays import services as workdays
    except ImportError:  # the interface may live in the package itself
        import rencai.workdays as workdays
    return workdays


def add_working_days(day: dt.date, n: int) -> dt.date:
    return _workdays().add_working_days(day, n)


# -- helpers ------------------------------------------------------------------------------------------------


def today() -> dt.date:
    return timezone.localdate()


def fen(value) -> int | None:
    """Engine yuan (int or Decimal, never float) → integer fen."""
    if value is None:
        return None
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    return int(Decimal(value) * 100)


def yuan(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value).scaleb(-2)


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _reason(reason: object, *, required: bool, field: str = "reason") -> str:
    text = reason.strip() if isinstance(reason, str) else ""
    if required and not text:
        raise ValidationFailed([FieldError(field, "请填写理由")])
    if len(text) > MAX_REASON:
        raise ValidationFailed([FieldError(field, f"理由不能超过{MAX_REASON}字")])
    return text


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**62 else None


def _policy(policy_id: str):
    from rencai.policies.calculator import default_catalog

    policy = default_catalog().policies.get(policy_id) if isinstance(policy_id, str) else None
    if policy is None or policy.kind != "entitlement" or policy.subject != "person":
        raise NotFound("没有这项可申请的政策")
    return policy


def _actor_label(actor: User | None) -> str:
    if actor is None:
        return "系统"
    department = getattr(actor, "department", None)
    name = actor.display_name or actor.get_username()
    return f"{department.name} {name}" if department is not None and actor.is_government else name


def _talent_users(talent: Talent) -> list[int]:
    return [talent.user_id] if talent.user_id else []


def _link(application: Application) -> str:
    return f"/fulfilment/applications/{application.pk}/"


# -- the engine, run again and frozen --------------------------------------------------------------------------


def evaluate(talent: Talent, policy_id: str, *, as_of: dt.date | None = None) -> dict:
    """The calculator on the talent's registry profile, for one policy: the profile used, the policy's result
    (reasons, amounts, quote) and the choice among exclusive options that concerns it."""
    from rencai.policies.calculator import ProfileError, calculate
    from rencai.policies.registry import talent_profile, talent_verification

    as_of = as_of or today()
    verification = talent_verification(talent)
    profile = talent_profile(talent, as_of=as_of, verification=verification)
    try:
        calculation = calculate(profile, as_of=as_of)
    except ProfileError as error:  # the registry holds a value the engine does not know
        raise ValidationFailed([FieldError("policy", f"登记信息有误，无法计算：{error.message_zh}")]) from error
    result = next(r for r in calculation["results"] if r["policy"] == policy_id)
    from rencai.datahub.provenance import fact_lines, profile_sources

    # Where each deciding fact came from (a feed, as of when; or who declared it), frozen with the result.
    result["facts"] = fact_lines(policy_id, profile_sources(talent, on=as_of, verification=verification))
    choice = next((c for c in calculation["choices"] if policy_id in c["options"]), None)
    return _jsonable({"as_of": as_of, "inputs": profile, "result": result, "choice": choice,
                      "catalog": _catalog_version(policy_id)})


def _catalog_version(policy_id: str) -> str:
    from rencai.policies.models import PolicyRecord

    return PolicyRecord.objects.filter(policy=policy_id).values_list("content_hash", flat=True).first() or ""


def received_policies(talent: Talent) -> list[str]:
    """What the talent already receives (selectors.received_for)."""
    from .selectors import received_for

    return received_for([talent.pk]).get(talent.pk, [])


def missing_documents(talent: Talent, kinds: list[str]) -> tuple[dict, list[str]]:
    """(the documents on file for the kinds asked, the kinds still missing) — 一次性告知."""
    from rencai.documents import selectors as documents_selectors

    on_file = documents_selectors.documents_on_file(talent=talent, kinds=kinds)
    return on_file, [kind for kind in kinds if kind not in on_file]


def kind_label(kind: str) -> str:
    from rencai.documents.enums import DocumentKind

    return DocumentKind(kind).label if kind in DocumentKind.values else "其他材料"


# -- who may do what ----------------------------------------------------------------------------------------------


def _may_apply_for(actor: User, talent: Talent, setting) -> Origin:
    if actor.is_authenticated and actor.role == Role.TALENT and talent.user_id == actor.pk:
        return Origin.APPLICATION
    if (actor.is_authenticated and actor.role == Role.EMPLOYER and talent.organization_id == actor.organization_id
            and talent.employment_status == EmploymentStatus.CONFIRMED):
        if not setting.employer_may_apply:
            raise PermissionDenied("这项政策须由人才本人申请，用人单位不能代为申请")
        return Origin.EMPLOYER
    if (actor.is_authenticated and actor.role == Role.STAFF
            and Talent.objects.filter(talent_scope_q(actor), pk=talent.pk).exists()):
        return Origin.WINDOW  # a paper application received at the office's window, entered by its staff
    raise PermissionDenied("政策申请只能由人才本人、（政策允许时）其所在单位或辖区窗口工作人员提出")


def step_actor_allowed(actor: User, application: Application, step: ApplicationStep) -> bool:
    """A step is taken by staff of the department it names, at its level, with the talent in their
    jurisdiction; administrators may take any step."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_administrator:
        return True
    if actor.role != Role.STAFF or actor.department is None or step.department not in actor.department.name:
        return False
    region = actor.department.region_id
    level = Level.CITY if region.endswith("00") else Level.DISTRICT
    if level != step.level:
        return False
    return Talent.objects.filter(talent_scope_q(actor), pk=application.talent_id).exists()


def _refuse(actor: User, application: Application | None, message: str) -> PermissionDenied:
    """The refusal of a decision; application_transition logs it once the refused transaction is undone."""
    return PermissionDenied(message)


def log_denied(actor: User, application_id, message: str) -> None:
    """Record a refused attempt (called outside the refused transaction)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return
    audit_record(actor=actor, action=AuditAction.DENIED, object_type="fulfilment.application",
                 object_id=application_id or "", summary=f"越权操作被拒绝：{message}"[:500])


def _require_staff_logged(actor: User, what: str) -> None:
    """A decision only staff may take: anyone else is refused (403) and the attempt logged."""
    try:
        require_staff(actor)
    except PermissionDenied as refused:
        log_denied(actor, "", f"{what}：{refused.message}")
        raise


# -- submission ---------------------------------------------------------------------------------------------------


def _eligibility_errors(snapshot: dict) -> list[FieldError]:
    result = snapshot["result"]
    status = result["eligible"]
    if status is True or status == "manual":
        return []
    if status == "unknown":
        missing = "、".join(result.get("missing") or []) or "部分信息"
        return [FieldError("policy", f"登记信息不全，无法判断是否符合：请先完善{missing}")]
    reasons = "；".join(r for r in result.get("reasons") or [] if r) or "不符合政策条件"
    return [FieldError("policy", f"根据您登记的信息，暂不符合该政策：{reasons}")]


def _amounts(snapshot: dict) -> dict:
    result = snapshot["result"]
    monthly = fen(Decimal(result["monthly_amount"])) if result.get("monthly_amount") is not None else None
    one_time = fen(Decimal(result["one_time_amount"])) if result.get("one_time_amount") is not None else None
    months = result.get("months")
    if monthly is not None and not months:
        months = OPEN_ENDED_MONTHS
    total = (monthly or 0) * (months or 0) + (one_time or 0) if (monthly or one_time) else None
    return {"monthly_fen": monthly, "months": months if monthly is not None else None, "one_time_fen": one_time,
            "total_fen": total, "exclusive_group": result.get("exclusive_group") or ""}


def application_submit(*, actor: User, talent_id, policy_id: str, form: dict | None = None,
                       origin: str | None = None) -> tuple[Application, bool]:
    """Apply (or apply again after a withdrawal or rejection). Everything missing is refused at once, naming each
    item. Returns ``(application, created)``: ``created`` is true when this call submitted it (a new application,
    or a new round of a withdrawn or rejected one) and false when the same form found it already under way —
    also when two identical posts arrive at the same instant (exactly one of them creates it)."""
    policy = _policy(policy_id)
    setting = policy_setting(policy_id)
    talent = Talent.objects.filter(pk=_int(talent_id) or 0).select_related("district").first()
    if talent is None:
        raise NotFound()
    how = _may_apply_for(actor, talent, setting)
    if setting.no_application and origin != Origin.OFFER:
        raise Conflict("这项政策为免申即享，无需申请：系统比对后会通知您确认", code="no_application")
    existing = Application.objects.filter(talent=talent, policy=policy_id).first()
    if existing is not None and existing.status not in RESUBMITTABLE:
        return existing, False  # the same form again: one application
    snapshot = evaluate(talent, policy_id)
    errors = _eligibility_errors(snapshot)
    on_file, missing = missing_documents(talent, setting.documents)
    errors += [FieldError(f"documents.{kind}", f"缺少材料：{kind_label(kind)}（请先在材料库上传）")
               for kind in missing]
    if errors:
        raise ValidationFailed(errors)
    documents = {kind: doc.pk for kind, doc in on_file.items()}
    with transaction.atomic():
        if existing is not None:
            # Locked and read again: of two resubmissions at once, the second finds the new round under way.
            locked = _lock(existing.pk)
            if locked.status not in RESUBMITTABLE:
                return locked, False
            return application_transition(actor=actor, application_id=existing.pk, action=Action.RESUBMIT,
                                          payload={"snapshot": snapshot, "documents": documents,
                                                   "form": form or {}}), True
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    talent=talent, policy=policy_id, policy_title=policy.title,
                    origin=origin or how,
                    applicant=actor, organization=actor.organization if how == Origin.EMPLOYER else None,
                    snapshot=snapshot, form=form or {}, documents=documents, submitted_at=timezone.now(),
                    **_amounts(snapshot))
        except IntegrityError:  # the same form posted at the same moment: the other post made it
            return Application.objects.get(talent=talent, policy=policy_id), False
        _open_steps(application, setting.route, only_last=origin == Origin.OFFER)
        _event(application, actor=actor, action=Action.CONFIRM if origin == Origin.OFFER else Action.SUBMIT,
               from_status="", to_status=Status.REVIEWING)
        _notify_step(application)
    return application, True


def _open_steps(application: Application, route: list[dict], *, only_last: bool = False) -> None:
    """Copy the route onto the application (a new round) and start its first step. A 免申即享 confirmation
    goes straight to the route's last step."""
    round_ = (application.steps.order_by("-round").values_list("round", flat=True).first() or 0) + 1
    steps = route[-1:] if only_last else route
    created = ApplicationStep.objects.bulk_create([
        ApplicationStep(application=application, round=round_, position=i, key=s["key"], title=s["title"],
                        department=s["department"], level=s["level"], statutory_days=s["statutory_days"],
                        promised_days=s["promised_days"])
        for i, s in enumerate(steps, start=1)
    ])
    first = ApplicationStep.objects.get(application=application, round=round_, position=1) if created else None
    _start(application, first)


def _start(application: Application, step: ApplicationStep | None) -> None:
    if step is not None:
        start = today()
        step.started_on = start
        step.promised_due = add_working_days(start, step.promised_days)
        step.statutory_due = add_working_days(start, step.statutory_days)
        step.save(update_fields=["started_on", "promised_due", "statutory_due"])
    application.current_step = step
    application.save(update_fields=["current_step"])


# -- the state machine ----------------------------------------------------------------------------------------------


def _lock(application_id) -> Application:
    pk = _int(application_id)
    application = Application.objects.select_for_update().filter(pk=pk or 0).first()
    if application is None:
        raise NotFound()
    return application


def _lock_notice_of(application_id) -> None:
    list(PublicNotice.objects.select_for_update().filter(application_id=_int(application_id) or 0)
         .values_list("pk", flat=True))


def _visible_to(actor: User, application: Application) -> bool:
    from .selectors import applications_visible

    return applications_visible(actor).filter(pk=application.pk).exists()


def application_transition(*, actor: User, application_id, action: str, reason: str = "",
                           payload: dict | None = None) -> Application:
    """The one way an application changes status. Who may take the step is checked first (an outsider learns
    nothing of its state); a step from a status it does not start from is refused (409); repeating one's own
    last step (the same form posted twice) changes nothing."""
    payload = payload or {}
    if action not in (Action.APPROVE, Action.REJECT, Action.WITHDRAW, Action.RESUBMIT, Action.FINALIZE,
                      Action.UPHOLD):
        raise ValidationFailed([FieldError("action", "未知的操作")])
    try:
        with transaction.atomic():
            if action in (Action.WITHDRAW, Action.FINALIZE, Action.UPHOLD):
                _lock_notice_of(application_id)  # the notice first, as notices_close_due and objection_answer do
            application = _lock(application_id)
            # The daily job finalizes 公示 as the system (no actor); everyone else sees the application first.
            if (actor is not None or action != Action.FINALIZE) and not _visible_to(actor, application):
                raise NotFound()
            if action in (Action.FINALIZE, Action.UPHOLD) and actor is not None and not actor.is_administrator:
                require_staff(actor)
            if action in (Action.APPROVE, Action.REJECT):
                return _decide(actor, application, action, reason)
            if action == Action.WITHDRAW:
                return _withdraw(actor, application, reason)
            if action == Action.RESUBMIT:
                return _resubmit(actor, application, payload)
            if action == Action.FINALIZE:
                return _finalize(actor, application)
            return _uphold(actor, application, reason)
    except PermissionDenied as refused:  # the refused step is undone; the attempt is logged
        log_denied(actor, application_id, refused.message)
        raise


def _repeated(application: Application, actor: User, action: str) -> bool:
    last = application.events.order_by("-at", "-id").first()
    return bool(last and last.actor_id == getattr(actor, "pk", None) and last.action == action)


def _decision_refusal(actor: User, application: Application) -> PermissionDenied | None:
    """Who may decide, asked before what state the application is in: a decision by someone without the role is
    refused (403) whatever the state. While a step waits, its department at its level decides; once none waits
    (decided, withdrawn), only those who could take a step of the last round may ask, and are told it is
    decided (409) or, repeating their own last step, find it unchanged."""
    step = application.current_step
    if step is not None:
        if step_actor_allowed(actor, application, step):
            return None
        return _refuse(actor, application, f"“{step.title}”须由{step.department}（{step.get_level_display()}）"
                                            "的工作人员办理")
    last_round = application.steps.order_by("-round").values_list("round", flat=True).first()
    steps = list(application.steps.filter(round=last_round)) if last_round else []
    if any(step_actor_allowed(actor, application, s) for s in steps) or (not steps and actor.is_administrator):
        return None
    departments = "、".join(dict.fromkeys(s.department for s in steps)) or "审批流程中的部门"
    return _refuse(actor, application, f"该申请的审核须由{departments}的工作人员办理")


def _decide(actor: User, application: Application, action: str, reason: str) -> Application:
    refusal = _decision_refusal(actor, application)
    if refusal is not None:
        raise refusal
    step = application.current_step
    if application.status != Status.REVIEWING or step is None:
        if _repeated(application, actor, action):
            return application
        raise Conflict(f"申请当前状态为“{application.get_status_display()}”，不能再审核", code="wrong_status")
    reason = _reason(reason, required=action == Action.REJECT)
    step.decision = StepDecision.APPROVED if action == Action.APPROVE else StepDecision.REJECTED
    step.decided_by, step.decided_at, step.reason = actor, timezone.now(), reason
    step.save(update_fields=["decision", "decided_by", "decided_at", "reason"])
    if action == Action.REJECT:
        application.status, application.reject_reason = Status.REJECTED, reason
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "reject_reason", "decided_at"])
        _start(application, None)
        _event(application, actor=actor, action=action, from_status=Status.REVIEWING, to_status=Status.REJECTED,
               reason=reason, step=step)
        return application
    following = application.steps.filter(round=step.round, position=step.position + 1).first()
    if following is not None:
        _start(application, following)
        _event(application, actor=actor, action=action, from_status=Status.REVIEWING,
               to_status=Status.REVIEWING, reason=reason, step=step)
        _notify_step(application)
        return application
    _start(application, None)
    _grant(actor, application)
    _event(application, actor=actor, action=action, from_status=Status.REVIEWING, to_status=application.status,
           reason=reason, step=step)
    return application


def _claim(application: Application) -> str:
    return f"group:{application.exclusive_group}" if application.exclusive_group else f"policy:{application.policy}"


def _budget_amount(application: Application, start: dt.date) -> Decimal | None:
    """What the approval commits on the year's budget line: the schedule's payments in the start year."""
    from rencai.payments.budgets import schedule_fen_in_year

    amount = schedule_fen_in_year(monthly_fen=application.monthly_fen, months=application.months,
                                  one_time_fen=application.one_time_fen, start_month=start, year=start.year)
    return yuan(amount) if amount else None


def _grant(actor: User, application: Application) -> Application:
    """The approved moment: 不可兼得 / one per person (checked, then guarded by the database), the budget
    committed, then 公示 or the entitlement — all in the caller's transaction."""
    from rencai.payments.budgets import budget_commit

    taken = (ExclusiveGrant.objects.filter(talent_id=application.talent_id, claim=_claim(application))
             .exclude(application=application).select_related("application").first())
    if taken is not None:
        raise Conflict(f"不可兼得：该人才已获批“{taken.application.policy_title}”，与本政策只能享受一项",
                       code="exclusive")
    try:
        with transaction.atomic():
            ExclusiveGrant.objects.create(talent_id=application.talent_id, claim=_claim(application),
                                          application=application)
    except IntegrityError as exc:
        raise Conflict("不可兼得：同组政策刚刚已为该人才批准，本次未生效", code="exclusive") from exc
    start = today().replace(day=1)
    amount = _budget_amount(application, start)
    if amount is not None:
        application.budget_reference = f"fulfilment:{application.number}:{start.year}"
        budget_commit(policy_id=application.policy, year=start.year, amount=amount,
                      reference=application.budget_reference)
    setting = policy_setting(application.policy)
    if setting.public_notice_days:
        notice_publish(kind=notices.FULFILMENT, subject_id=application.pk,
                       masked_name=mask_to_surname(application.talent.name)[:20], title=application.policy_title,
                       amount_text=amount_text(application), days=setting.public_notice_days)
        application.status = Status.PUBLICIZING
        application.save(update_fields=["status", "budget_reference"])
        return application
    return _approve(actor, application, from_status=Status.REVIEWING, action=Action.APPROVE)


def _approve(actor: User | None, application: Application, *, from_status: str, action: str) -> Application:
    from rencai.payments import services as payments_services

    setting = policy_setting(application.policy)
    if application.monthly_fen or application.one_time_fen:
        entitlement = payments_services.entitlement_create(
            actor=actor, talent=application.talent, policy_id=application.policy,
            monthly_amount=yuan(application.monthly_fen), months=application.months,
            one_time_amount=yuan(application.one_time_fen), start_month=today().replace(day=1),
            payee=setting.payee, application=application)
        application.entitlement_id = entitlement.pk
    application.status, application.decided_at = Status.APPROVED, timezone.now()
    application.save(update_fields=["status", "decided_at", "entitlement_id", "budget_reference"])
    if action == Action.FINALIZE:
        _event(application, actor=actor, action=action, from_status=from_status, to_status=Status.APPROVED)
    return application


def _release(application: Application) -> None:
    from rencai.payments.budgets import budget_release

    if application.budget_reference:
        year = int(application.budget_reference.rsplit(":", 1)[-1])
        budget_release(policy_id=application.policy, year=year, reference=application.budget_reference)
    ExclusiveGrant.objects.filter(application=application).delete()


def _withdraw(actor: User, application: Application, reason: str) -> Application:
    if not (application.applicant_id == actor.pk or application.talent.user_id == actor.pk):
        raise _refuse(actor, application, "只有申请人可以撤回申请")
    if application.status not in OPEN_STATUSES:
        if _repeated(application, actor, Action.WITHDRAW):
            return application
        raise Conflict(f"申请当前状态为“{application.get_status_display()}”，不能撤回", code="wrong_status")
    reason = _reason(reason, required=False)
    from_status = application.status
    if from_status == Status.PUBLICIZING:
        _release(application)
        notice_withdraw(kind=notices.FULFILMENT, subject_id=application.pk)
    application.steps.filter(decision=StepDecision.PENDING).update(decision=StepDecision.CANCELLED)
    application.status = Status.WITHDRAWN
    application.save(update_fields=["status"])
    _start(application, None)
    _event(application, actor=actor, action=Action.WITHDRAW, from_status=from_status, to_status=Status.WITHDRAWN,
           reason=reason)
    return application


def _resubmit(actor: User, application: Application, payload: dict) -> Application:
    if application.status not in RESUBMITTABLE:
        return application
    from_status = application.status
    snapshot = payload["snapshot"]
    for name, value in _amounts(snapshot).items():
        setattr(application, name, value)
    application.snapshot, application.documents = snapshot, payload.get("documents") or {}
    application.form, application.reject_reason = payload.get("form") or {}, ""
    application.status, application.submitted_at, application.decided_at = Status.REVIEWING, timezone.now(), None
    application.applicant = actor
    application.save()
    _open_steps(application, policy_setting(application.policy).route)
    _event(application, actor=actor, action=Action.RESUBMIT, from_status=from_status, to_status=Status.REVIEWING)
    _notify_step(application)
    return application


def _finalize(actor: User | None, application: Application) -> Application:
    if application.status != Status.PUBLICIZING:
        return application
    notice = application.notice
    if notice.ends_on >= today():
        raise Conflict(f"公示期至{notice.ends_on:%Y年%m月%d日}，期满后才能批准", code="notice_running")
    if notice.objections.filter(status=ObjectionStatus.OPEN).exists():
        raise Conflict("公示期内有尚未答复的异议，须先答复", code="objection_open")
    notice_withdraw(kind=notices.FULFILMENT, subject_id=application.pk)
    return _approve(actor, application, from_status=Status.PUBLICIZING, action=Action.FINALIZE)


def _uphold(actor: User, application: Application, reason: str) -> Application:
    if application.status != Status.PUBLICIZING:
        return application
    _release(application)
    application.status, application.reject_reason = Status.REJECTED, reason
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "reject_reason", "decided_at"])
    notice_withdraw(kind=notices.FULFILMENT, subject_id=application.pk)
    _event(application, actor=actor, action=Action.UPHOLD, from_status=Status.PUBLICIZING,
           to_status=Status.REJECTED, reason=reason)
    return application


def _event(application: Application, *, actor: User | None, action: str, from_status: str, to_status: str,
           reason: str = "", step: ApplicationStep | None = None) -> ApplicationEvent:
    event = ApplicationEvent.objects.create(
        application=application, action=action, step_title=step.title if step else "", from_status=from_status,
        to_status=to_status, actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=_actor_label(actor if getattr(actor, "is_authenticated", False) else None), at=timezone.now(),
        reason=reason)
    if getattr(actor, "is_authenticated", False):
        decision = action in (Action.APPROVE, Action.REJECT, Action.FINALIZE, Action.UPHOLD)
        because = f"，理由：{reason[:200]}" if reason else ""
        audit_record(actor=actor, action=AuditAction.FULFILMENT_DECISION if decision else AuditAction.FULFILMENT,
                     obj=application.talent, object_type="fulfilment.application", object_id=application.pk,
                     summary=f"{application.number} {application.policy_title}：{Action(action).label}"
                             f"{'（' + step.title + '）' if step else ''}{because}",
                     details={"policy": application.policy, "to": to_status})
    _notify_talent(application, Action(action).label + (f"（{step.title}）" if step else ""), event=event)
    return event


def _notify_talent(application: Application, what: str, event: ApplicationEvent | None = None) -> None:
    recipients = _talent_users(application.talent)
    if application.applicant_id and application.applicant_id not in recipients:
        recipients.append(application.applicant_id)
    status = application.get_status_display()
    body = f"当前状态：{status}。"
    if application.status == Status.REJECTED and application.reject_reason:
        body += f"原因：{application.reject_reason}"
    notify(recipients=recipients, kind="fulfilment", title=f"您的“{application.policy_title}”申请：{what}",
           body=body, link=_link(application),
           key=f"fulfilment:{application.pk}:{event.pk if event else application.status}")


def _notify_step(application: Application) -> None:
    """Tell the staff who take the new current step that it waits for them."""
    step = application.current_step
    if step is None:
        return
    staff = [u for u in User.objects.filter(role=Role.STAFF, is_active=True,
                                            department__name__contains=step.department)
             .select_related("department")
             if step_actor_allowed(u, application, step)]
    notify(recipients=staff, kind="fulfilment_step", title=f"待办：{application.policy_title}（{step.title}）",
           body=f"申请 {application.number} 待{step.title}，承诺办结日 {step.promised_due:%Y年%m月%d日}。",
           link=_link(application), key=f"fulfilment-step:{step.pk}")


def amount_text(application: Application) -> str:
    if application.monthly_fen:
        text = f"每月{yuan(application.monthly_fen)}元，{application.months}个月"
        return text + (f"，另一次性{yuan(application.one_time_fen)}元" if application.one_time_fen else "")
    if application.one_time_fen:
        return f"一次性{yuan(application.one_time_fen)}元"
    return "非现金待遇"


# -- thin wrappers ------------------------------------------------------------------------------------------------


def application_approve(*, actor: User, application_id, reason: str = "") -> Application:
    return application_transition(actor=actor, application_id=application_id, action=Action.APPROVE, reason=reason)


def application_reject(*, actor: User, application_id, reason: str) -> Application:
    return application_transition(actor=actor, application_id=application_id, action=Action.REJECT, reason=reason)


def application_withdraw(*, actor: User, application_id, reason: str = "") -> Application:
    return application_transition(actor=actor, application_id=application_id, action=Action.WITHDRAW,
                                  reason=reason)


def applications_bulk_decide(*, actor: User, application_ids: list, action: str, reason: str = ""
                             ) -> tuple[list[Application], list[tuple[object, str]]]:
    """Approve or reject many with one reason. Each application is its own transaction: one refusal (409,
    403, budget) does not undo the others; every refusal is returned with its reason."""
    _require_staff_logged(actor, "批量办理")
    if action not in (Action.APPROVE, Action.REJECT):
        raise ValidationFailed([FieldError("action", "请选择批量通过或批量不予通过")])
    reason = _reason(reason, required=action == Action.REJECT)
    ids = [i for i in dict.fromkeys(_int(x) for x in application_ids) if i]
    if not ids:
        raise ValidationFailed([FieldError("applications", "请至少选择一项申请")])
    if len(ids) > MAX_BULK:
        raise ValidationFailed([FieldError("applications", f"一次最多办理{MAX_BULK}项")])
    done, refused = [], []
    for pk in ids:
        try:
            done.append(application_transition(actor=actor, application_id=pk, action=action, reason=reason))
        except AppError as error:
            refused.append((pk, error.message))
    return done, refused


# -- 免申即享 -----------------------------------------------------------------------------------------------------


def policy_setting_mark(*, actor: User, policy_id: str, no_application: bool, note: str,
                        example: bool = False) -> None:
    """An administrator marks (or unmarks) a policy as 免申即享, with who decided, when and why."""
    if not actor.is_administrator:
        raise PermissionDenied("只有系统管理员可以设置免申即享")
    _policy(policy_id)
    note = _reason(note, required=True, field="note")
    with transaction.atomic():
        setting = policy_setting(policy_id)
        setting.no_application, setting.example, setting.note = bool(no_application), bool(example), note
        setting.decided_by, setting.decided_at = actor, timezone.now()
        setting.save()
        answer = "是" if no_application else "否"
        audit_record(actor=actor, action=AuditAction.FULFILMENT, object_type="fulfilment.policysetting",
                     object_id=setting.pk, summary=f"“{_policy_title(policy_id)}” 免申即享：{answer}；{note}")


def _policy_title(policy_id: str) -> str:
    from rencai.policies.calculator import default_catalog

    policy = default_catalog().policies.get(policy_id)
    return policy.title if policy else policy_id


def offers_generate(*, actor: User | None = None, run_id: int | None = None) -> int:
    """系统比对 → 精准推送: from the latest finished 政策找人 run, one offer per entitled talent and 免申即享
    policy (not yet applied for or received) whose every deciding fact the data centre has verified
    (datahub.provenance: a declaration alone is not enough to grant without an application; the talent is
    offered once their facts are verified, at a later run); the talent is told. Safe to run twice (one offer
    per talent and policy)."""
    from rencai.datahub.provenance import all_verified, verified_groups
    from rencai.policies.models import MatchRun, PolicyMatch

    from .models import PolicySetting

    policies = list(PolicySetting.objects.filter(no_application=True).values_list("policy", flat=True))
    run = (MatchRun.objects.filter(pk=run_id) if run_id else
           MatchRun.objects.filter(status=MatchRun.Status.FINISHED).order_by("-finished_at")).first()
    if not policies or run is None:
        return 0
    from rencai.policies.calculator import default_catalog

    titles = {p: default_catalog().policies[p].title for p in policies if p in default_catalog().policies}
    applied = Application.objects.filter(talent_id=OuterRef("talent_id"), policy=OuterRef("policy"))
    # Ids first, then chunk by chunk: no read cursor stays open while offers are written (on SQLite a reader
    # that then writes fails once another connection has written), and no query per match.
    match_ids = list(PolicyMatch.objects.filter(run=run, policy__in=titles, eligible=PolicyMatch.Eligibility.ELIGIBLE)
                     .exclude(talent__fulfilment_offers__policy=F("policy"))
                     .exclude(Exists(applied))
                     .order_by("pk").values_list("pk", flat=True))
    created = 0
    for start in range(0, len(match_ids), 2000):
        matches = list(PolicyMatch.objects.filter(pk__in=match_ids[start:start + 2000])
                       .select_related("talent").order_by("pk"))
        verified = verified_groups({m.talent_id for m in matches}, on=run.as_of)
        matches = [m for m in matches if all_verified(m.policy, verified[m.talent_id])]
        if not matches:
            continue
        with transaction.atomic():
            Offer.objects.bulk_create([
                Offer(talent_id=m.talent_id, policy=m.policy, policy_title=titles[m.policy],
                      exclusive_group=m.exclusive_group, recommended=not m.alternative, monthly_fen=m.monthly_fen,
                      one_time_fen=m.one_time_fen, total_fen=m.total_fen)
                for m in matches], ignore_conflicts=True)  # a concurrent run's offer stands
            users = {(m.talent_id, m.policy): m.talent.user_id for m in matches}
            made = Offer.objects.filter(talent_id__in={m.talent_id for m in matches},
                                        policy__in={m.policy for m in matches})
            for offer in made:
                if (offer.talent_id, offer.policy) not in users:
                    continue
                created += 1
                if users[(offer.talent_id, offer.policy)]:
                    notify(recipients=[users[(offer.talent_id, offer.policy)]], kind="fulfilment_offer",
                           title=f"免申即享：您符合“{offer.policy_title}”", body="无需申请，确认后即可享受。",
                           link="/fulfilment/", key=f"fulfilment-offer:{offer.pk}")
    return created


def offer_confirm(*, actor: User, offer_id) -> Application:
    """意愿确认: the talent confirms one offer; the other options of its exclusive group are set aside; the
    grant goes straight to the route's last step (自动兑付) with no form."""
    with transaction.atomic():
        offer = Offer.objects.select_for_update().filter(pk=_int(offer_id) or 0).select_related("talent").first()
        if offer is None or offer.talent.user_id != actor.pk:
            raise NotFound()
        if offer.status == OfferStatus.CONFIRMED and offer.application_id:
            return offer.application
        if offer.status != OfferStatus.PENDING:
            raise Conflict(f"该待确认事项已{offer.get_status_display()}，不能再确认", code="wrong_status")
        application, _created = application_submit(actor=actor, talent_id=offer.talent_id,
                                                    policy_id=offer.policy, origin=Origin.OFFER)
        offer.status, offer.answered_at, offer.application = OfferStatus.CONFIRMED, timezone.now(), application
        offer.save(update_fields=["status", "answered_at", "application"])
        if offer.exclusive_group:
            Offer.objects.filter(talent_id=offer.talent_id, exclusive_group=offer.exclusive_group,
                                 status=OfferStatus.PENDING).exclude(pk=offer.pk).update(
                status=OfferStatus.SUPERSEDED, answered_at=timezone.now())
    return application


def offer_decline(*, actor: User, offer_id) -> Offer:
    with transaction.atomic():
        offer = Offer.objects.select_for_update().filter(pk=_int(offer_id) or 0).select_related("talent").first()
        if offer is None or offer.talent.user_id != actor.pk:
            raise NotFound()
        if offer.status == OfferStatus.PENDING:
            offer.status, offer.answered_at = OfferStatus.DECLINED, timezone.now()
            offer.save(update_fields=["status", "answered_at"])
    return offer


# -- 精准推送 -------------------------------------------------------------------------------------------------------


def invitations_send(*, actor: User, policy_id: str, talent_ids: list | None = None) -> int:
    """Invite the entitled who have not applied (from the latest 政策找人 run, within the actor's jurisdiction),
    once per person and policy, with the pre-filled application one click away. Returns how many were sent."""
    from rencai.policies.models import MatchRun, PolicyMatch

    require_staff(actor)
    policy = _policy(policy_id)
    if policy_setting(policy_id).no_application:
        raise Conflict("这项政策为免申即享，由系统推送待确认，不需邀请申请", code="no_application")
    run = MatchRun.objects.filter(status=MatchRun.Status.FINISHED).order_by("-finished_at").first()
    if run is None:
        raise Conflict("尚无政策找人结果，请先运行政策找人", code="no_match_run")
    matches = (PolicyMatch.objects.filter(run=run, policy=policy_id, eligible=PolicyMatch.Eligibility.ELIGIBLE,
                                          alternative=False)
               .filter(talent_scope_q(actor, prefix="talent__") if not actor.is_administrator else Q())
               .exclude(talent__fulfilment_applications__policy=policy_id)
               .exclude(talent__fulfilment_invitations__policy=policy_id))
    if talent_ids is not None:
        matches = matches.filter(talent_id__in=[i for i in (_int(x) for x in talent_ids) if i])
    sent = 0
    # A list, not an open cursor: on SQLite a reader that then writes fails once another connection has written.
    for talent_id, user_id in list(matches.values_list("talent_id", "talent__user_id")):
        with transaction.atomic():
            _, made = Invitation.objects.get_or_create(talent_id=talent_id, policy=policy_id,
                                                       defaults={"policy_title": policy.title, "sent_by": actor})
            if made:
                sent += 1
                if user_id:
                    notify(recipients=[user_id], kind="fulfilment_invitation",
                           title=f"政策提醒：您可能符合“{policy.title}”",
                           body="根据登记信息，您可能符合该政策但尚未申请。申请表已为您预填，点击即可申请。",
                           link=f"/fulfilment/apply/{policy_id}/", key=f"fulfilment-invite:{talent_id}:{policy_id}")
    if sent:
        audit_record(actor=actor, action=AuditAction.FULFILMENT, object_type="fulfilment.invitation",
                     object_id=policy_id, summary=f"精准推送“{policy.title}”申请邀请 {sent} 人", row_count=sent)
    return sent


# -- 公示 and objections (any kind registered in notices.py) --------------------------------------------------------


def notice_publish(*, kind: str, subject_id: int, masked_name: str, title: str, amount_text: str, days: int,
                   starts_on: dt.date | None = None) -> PublicNotice:
    """Publish a subject for 公示: ``days`` working days from ``starts_on`` (today) — the kind registered in
    notices.py, the name already masked (``notices.mask_to_surname``). One notice per subject: publishing the same
    subject again reopens its notice with the new words and a new period (the objections of an earlier period
    stay on record; only those of the new one can stand in its way)."""
    adapter = notices.get(kind)
    subject = _int(subject_id)
    masked_name, title, amount_text = (str(v or "").strip() for v in (masked_name, title, amount_text))
    errors = []
    if subject is None:
        errors.append(FieldError("subject_id", "公示事项编号无效"))
    if not masked_name or len(masked_name) > 20:
        errors.append(FieldError("masked_name", "公示姓名须为1至20个字"))
    if not title or len(title) > 200:
        errors.append(FieldError("title", "公示事项须为1至200个字"))
    if len(amount_text) > 60:
        errors.append(FieldError("amount_text", "金额说明不能超过60字"))
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        errors.append(FieldError("days", "公示期须至少1个工作日"))
    if errors:
        raise ValidationFailed(errors)
    starts = starts_on or today()
    with transaction.atomic():
        notice, _created = PublicNotice.objects.update_or_create(
            subject_kind=adapter.kind, subject_id=subject, defaults={
                "application_id": subject if adapter.kind == notices.FULFILMENT else None,
                "masked_name": masked_name, "title": title, "amount_text": amount_text, "starts_on": starts,
                "ends_on": add_working_days(starts, days), "published_at": timezone.now(), "closed_at": None})
    return notice


def notice_withdraw(*, kind: str, subject_id: int) -> PublicNotice | None:
    """End a subject's 公示 at once (withdrawn, decided otherwise): closed, off the public page, nothing called
    and nobody told; its objections stay on record. None when the subject has none; a closed one is left as it
    is."""
    notice = PublicNotice.objects.filter(subject_kind=kind, subject_id=_int(subject_id) or 0).first()
    if notice is not None:
        _close(notice)
    return notice


def _close(notice: PublicNotice) -> None:
    if notice.closed_at is None:
        notice.closed_at = timezone.now()
        notice.save(update_fields=["closed_at"])


OBJECTION_LIMIT = Limit(scope="objection", count=5, seconds=3600,
                        message="提交过于频繁：同一网络地址对同一条公示每小时最多提出5条异议，请一小时后再试")


def objection_file(*, notice_id, text: str, contact: str = "", client: str | None = None) -> Objection:
    """Anyone may object during the notice period (no login); the kind's staff are told. A public form, so it is
    throttled per client address and notice (``OBJECTION_LIMIT``: 429 beyond it); only accepted objections are
    counted, after they are stored."""
    text = text.strip() if isinstance(text, str) else ""
    contact = contact.strip() if isinstance(contact, str) else ""
    errors = []
    if not text:
        errors.append(FieldError("text", "请填写异议内容"))
    elif len(text) > 2000:
        errors.append(FieldError("text", "异议内容不能超过2000字"))
    if len(contact) > 60:
        errors.append(FieldError("contact", "联系方式不能超过60字"))
    if errors:
        raise ValidationFailed(errors)
    throttle_check(OBJECTION_LIMIT, client or "", _int(notice_id))
    with transaction.atomic():
        notice = PublicNotice.objects.select_for_update().filter(pk=_int(notice_id) or 0).first()
        if notice is None or notice.subject_kind not in notices.KINDS:
            raise NotFound("没有这条公示")
        if notice.closed_at is not None or not notice.starts_on <= today() <= notice.ends_on:
            raise Conflict("公示期已结束，不能再提出异议", code="notice_closed")
        objection = Objection.objects.create(notice=notice, text=text, contact=contact)
        adapter = notices.get(notice.subject_kind)
        notify(recipients=list(adapter.staff(notice)), kind="fulfilment_objection", title=f"公示异议：{notice.title}",
               body="有人对公示提出异议，须在批准前答复。", link=adapter.link(notice),
               key=f"fulfilment-objection:{objection.pk}")
    throttle_count(OBJECTION_LIMIT, client or "", _int(notice_id))
    return objection


def objection_answer(*, actor: User, objection_id, answer: str, upheld: bool) -> Objection:
    """Staff answer an objection (those the notice's kind names, or administrators; anyone else: 404). An upheld
    one ends the notice and the subject falls: the kind's ``on_upheld`` (政策兑现: the application is not
    approved and its budget released), in the same transaction."""
    _require_staff_logged(actor, "答复公示异议")
    answer = _reason(answer, required=True, field="answer")
    with transaction.atomic():
        objection = Objection.objects.select_for_update().filter(pk=_int(objection_id) or 0).first()
        if objection is None:
            raise NotFound()
        notice = (PublicNotice.objects.select_for_update(of=("self",)).select_related("application__talent")
                  .get(pk=objection.notice_id))
        if notice.subject_kind not in notices.KINDS or not notices.may_answer(notice, actor):
            raise NotFound()
        if objection.status != ObjectionStatus.OPEN:
            raise Conflict("该异议已答复", code="answered")
        objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
        objection.answer, objection.answered_by, objection.answered_at = answer, actor, timezone.now()
        objection.save()
        application = notice.application
        audit_record(actor=actor, action=AuditAction.FULFILMENT_DECISION,
                     obj=application.talent if application else None,
                     object_type="fulfilment.objection", object_id=objection.pk,
                     summary=f"{_notice_name(notice)} 公示异议答复：{objection.get_status_display()}；{answer[:200]}")
        if upheld:
            _close(notice)
            notices.get(notice.subject_kind).on_upheld(notice, objection, actor)
    return objection


def _notice_name(notice: PublicNotice) -> str:
    """How the audit log names a notice's subject: the application's number, or the kind, title and name."""
    if notice.application is not None:
        return notice.application.number
    return f"{notices.kind_label(notice.subject_kind)}“{notice.title}”（{notice.masked_name}）"


def notices_close_due(*, actor: User | None = None) -> tuple[int, int]:
    """Daily (`rencai check_deadlines`), for every kind: a notice whose period has ended with every objection of
    the period answered (none open, none upheld) is closed and its kind's ``on_cleared`` called (政策兑现: the
    grant approved) — each notice in its own transaction, so one that fails is undone, logged and tried again the
    next day, and the others go on. Safe to run twice (a closed notice is never cleared again). Returns (cleared,
    still waiting: an objection unanswered, or its kind failed)."""
    cleared = waiting = 0
    due = list(PublicNotice.objects.filter(closed_at__isnull=True, ends_on__lt=today(),
                                           subject_kind__in=list(notices.KINDS))
               .order_by("ends_on", "pk").values_list("pk", flat=True))
    for notice_id in due:
        try:
            with transaction.atomic():
                notice = PublicNotice.objects.select_for_update().filter(pk=notice_id, closed_at__isnull=True,
                                                                          ends_on__lt=today()).first()
                if notice is None:
                    continue
                standing = notice.objections.filter(Q(status=ObjectionStatus.OPEN) | Q(
                    status=ObjectionStatus.UPHELD, filed_at__gte=notice.published_at))
                if standing.exists():
                    logger.info("公示期满，异议尚未答复：%s %s", notice.subject_kind, notice.subject_id)
                    waiting += 1
                    continue
                adapter = notices.get(notice.subject_kind)
                _close(notice)
                adapter.on_cleared(notice, actor)
            cleared += 1
        except AppError as error:
            logger.warning("公示期满未能办结 %s：%s", notice_id, error.message)
            waiting += 1
        except Exception:
            logger.exception("公示期满未能办结 %s", notice_id)
            waiting += 1
    return cleared, waiting


# -- the daily check ------------------------------------------------------------------------------------------------


def deadlines_check() -> dict[str, int]:
    """Daily (`rencai check_deadlines`, on the worker's schedule): remind the departments of steps past their
    promised or statutory deadline (once per step and deadline), end the 公示 periods that are over, and
    offer the 免申即享 grants the latest 政策找人 run found. Safe to run twice."""
    on = today()
    reminded = 0
    overdue = (ApplicationStep.objects.filter(application__status=Status.REVIEWING, decided_at__isnull=True,
                                              promised_due__lt=on)
               .filter(application__current_step=F("pk")).select_related("application", "application__talent"))
    all_staff = list(User.objects.filter(role=Role.STAFF, is_active=True).select_related("department"))
    for step in list(overdue):  # read first, then write (see invitations_send)
        which = "statutory" if step.statutory_due and step.statutory_due < on else "promised"
        label = "法定时限" if which == "statutory" else "承诺时限"
        due = step.statutory_due if which == "statutory" else step.promised_due
        application = step.application
        staff = [u for u in all_staff if u.department and step.department in u.department.name
                 and step_actor_allowed(u, application, step)]
        notify(recipients=staff, kind="fulfilment_overdue",
               title=f"超期提醒：{application.policy_title}（{step.title}）",
               body=f"申请 {application.number} 的“{step.title}”已超过{label}（{due:%Y年%m月%d日}），请尽快办理。",
               link=_link(application), key=f"fulfilment-overdue:{step.pk}:{which}")
        reminded += 1
    approved, waiting = notices_close_due()
    offered = offers_generate()
    return {"overdue": reminded, "approved_after_notice": approved, "notice_waiting": waiting, "offers": offered}
