"""Writes of recognition. Each service owns its transaction; views and the API only validate input and call.

Every status change of an application goes through ONE function, ``application_transition``: it locks the
row, checks that the step is allowed from the current status and that the actor may take it, runs the step,
writes the event (who, when, from, to, why) and saves with ``update_fields``; notifications go out only after
commit. Two staff acting at once are serialised by the row lock: the second finds the application already
decided and is refused."""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import require_staff, talent_scope_q
from rencai.analytics import services as history
from rencai.analytics.enums import Channel, HistoryReason
from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from rencai.core.parsing import FieldErrors, optional_int, parse_date
from rencai.documents import selectors as documents_selectors
from rencai.documents import services as documents_services
from rencai.documents.enums import DocumentAction, DocumentKind, DocumentStatus
from rencai.documents.models import Document
from rencai.organizations.models import Organization
from rencai.reviews import services as reviews
from rencai.reviews.models import Assignment
from rencai.talents.enums import TalentCategory
from rencai.talents.models import Talent

from . import review, selectors, tasks
from .enums import (
    OPEN_STATUSES,
    Action,
    Kind,
    RecognitionStatus,
    Status,
    Way,
    category_label,
    higher,
)
from .models import (
    Application,
    ApplicationEvent,
    Attachment,
    CategoryRule,
    EmployerAuthorization,
    EmployerQuota,
    EvidenceRequirement,
    Recognition,
    Standard,
    StandardItem,
)

# --- creating an application ----------------------------------------------------------------------------

def _money(value, field: str, label: str, errors: list[FieldError]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        errors.append(FieldError(field, f"{label}应为数字"))
        return None
    if not number.is_finite() or number < 0:
        errors.append(FieldError(field, f"{label}不能为负数"))
        return None
    if number >= Decimal("1e12"):
        errors.append(FieldError(field, f"{label}过大"))
        return None
    return number.quantize(Decimal("0.01"))


def _talent_for(actor: User, talent_id: int | None) -> Talent:
    if actor.role == Role.TALENT:
        talent = Talent.objects.filter(user=actor).first()
        if talent is None:
            raise Conflict("您的账号尚未关联人才档案，请先登记后再申请认定", code="no_talent_record")
        return talent
    if actor.role == Role.EMPLOYER:
        if not talent_id:
            raise ValidationFailed([FieldError("talent", "请选择申请认定的本单位人才")])
        talent = Talent.objects.filter(talent_scope_q(actor), pk=talent_id).first()
        if talent is None:
            raise NotFound("未找到该人才，或其不是本单位人员")
        return talent
    raise PermissionDenied("认定申请只能由人才本人或其所在单位提出")


def _check_employer_declaration(authorization: EmployerAuthorization | None, quota: EmployerQuota | None,
                                category: str, salary: Decimal | None, tax: Decimal | None) -> list[FieldError]:
    """The employer's declared criteria (salary, income tax paid) for the category; every shortfall at once."""
    if authorization is None:
        return [FieldError("way", "本单位当前没有有效的自主认定授权")]
    if quota is None:
        return [FieldError("category", f"本单位的自主认定授权不含{category_label(category)}")]
    errors = []
    if quota.min_annual_salary is not None:
        if salary is None:
            errors.append(FieldError("annual_salary", "请填写年薪（本单位认定标准要求）"))
        elif salary < quota.min_annual_salary:
            errors.append(FieldError("annual_salary",
                                     f"年薪{salary:,.0f}元，低于本单位{category}类认定标准{quota.min_annual_salary:,.0f}元"))
    if quota.min_annual_tax is not None:
        if tax is None:
            errors.append(FieldError("annual_tax", "请填写年缴个人所得税（本单位认定标准要求）"))
        elif tax < quota.min_annual_tax:
            errors.append(FieldError("annual_tax",
                                     f"年缴个人所得税{tax:,.0f}元，低于本单位{category}类认定标准{quota.min_annual_tax:,.0f}元"))
    return errors


@dataclass
class ApplicationInput:
    way: str
    category: str
    item_code: str = ""
    talent_id: int | None = None
    statement: str = ""
    annual_salary: object = None
    annual_tax: object = None
    market_value: object = None
    form_token: str = ""


@transaction.atomic
def application_create(*, actor: User, data: ApplicationInput) -> Application:
    """A draft application, by the talent or by the talent's employer. Posting the same form twice (same
    ``form_token``) returns the first draft; a talent has at most one application under way."""
    token = _token(data.form_token)
    if token:
        existing = Application.objects.filter(created_by=actor, form_token=token).first()
        if existing is not None:
            return existing
    errors: list[FieldError] = []
    try:
        talent = _talent_for(actor, data.talent_id)
    except ValidationFailed as exc:  # no employee chosen: reported with every other problem, at once
        talent, errors = None, list(exc.errors)
    on = selectors.today()
    standard = selectors.standard_in_force(on=on)
    if data.way not in Way.values:
        errors.append(FieldError("way", "请选择认定方式（直接认定、评审认定或自主认定）"))
    if data.category not in TalentCategory.values:
        errors.append(FieldError("category", "请选择申请的人才类别（A、B、C、D类）"))
    statement = (data.statement or "").strip()
    if len(statement) > 2000:
        errors.append(FieldError("statement", "申请说明不能超过2000字"))
    salary = _money(data.annual_salary, "annual_salary", "年薪", errors)
    tax = _money(data.annual_tax, "annual_tax", "年缴个人所得税", errors)
    market_value = _money(data.market_value, "market_value", "创造的市场价值", errors)
    item = authorization = quota = None
    if data.way == Way.DIRECT:
        item = StandardItem.objects.filter(standard=standard, code=(data.item_code or "").strip()).first()
        if item is None:
            errors.append(FieldError("item", "直接认定须选择符合的认定条目；没有符合的条目请选择评审认定"))
        elif data.category in TalentCategory.values and item.category != data.category:
            errors.append(FieldError("item",
                                     f"条目{item.code}属于{item.category}类，与申请类别{data.category}类不一致"))
    elif data.way == Way.REVIEW and data.item_code:
        errors.append(FieldError("item", "评审认定适用于没有符合条目的申请，请不要选择条目"))
    elif data.way == Way.EMPLOYER:
        if actor.role != Role.EMPLOYER:
            errors.append(FieldError("way", "自主认定只能由获得授权的用人单位提出"))
        else:
            authorization = selectors.authorization_in_force(organization_id=actor.organization_id, on=on)
            quota = authorization.quotas.filter(category=data.category).first() if authorization else None
            errors += _check_employer_declaration(authorization, quota, data.category, salary, tax)
    held = selectors.category_held(talent, on=on)[0] if talent is not None else ""
    if held and data.category in TalentCategory.values and not higher(data.category, held):
        errors.append(FieldError("category", f"已认定为{category_label(held)}，只能申请更高类别（认定升级）"))
    if errors:
        raise ValidationFailed(errors)
    _refuse_second_open(talent)
    application = Application(
        talent=talent, way=data.way, kind=Kind.UPGRADE if held else Kind.NEW, category=data.category,
        standard=standard, item=item, organization_id=talent.organization_id, statement=statement,
        previous_category=talent.talent_category, previous_recognized_on=talent.category_recognized_on,
        authorization=authorization, annual_salary=salary, annual_tax=tax, market_value=market_value,
        created_by=actor, form_token=token or uuid.uuid4(),
    )
    try:
        with transaction.atomic():  # the partial unique constraint still guards a concurrent second draft
            application.save()
    except IntegrityError as exc:
        if token and (existing := Application.objects.filter(created_by=actor, form_token=token).first()):
            return existing
        _refuse_second_open(talent)
        raise Conflict("该人才已有一份正在办理的认定申请", code="application_open") from exc
    _event(application, actor=actor, action=Action.CREATE, from_status="", to_status=Status.DRAFT,
           reason=f"{Way(data.way).label} · {category_label(data.category)}"
                  + (f" · 条目{item.code}" if item else ""))
    _attach_documents_on_file(application, actor)
    return application


def _token(value) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _refuse_second_open(talent: Talent) -> None:
    other = Application.objects.filter(talent=talent, status__in=OPEN_STATUSES).first()
    if other is not None:
        raise Conflict(f"该人才已有一份正在办理的认定申请（{other.number}，{other.get_status_display()}），"
                       "请办结或撤回后再申请", code="application_open")


# --- evidence -------------------------------------------------------------------------------------------

@transaction.atomic
def attachment_add(*, actor: User, application_id: int, requirement_id: int, upload=None,
                   document_id: int | None = None) -> tuple[Attachment, bool]:
    """Attach one evidence file for a requirement: either a new upload (PDF, JPEG or PNG, by content; within
    the size limit), which goes into the talent's document store (材料库) as the requirement's kind of
    document, or a document already on file (``document_id``), which is not asked for again. The same document
    for the same requirement is attached once: posting it twice returns the first (created=False)."""
    application = _lock(actor, application_id)
    _require_applicant(actor, application)
    if application.status not in (Status.DRAFT, Status.RETURNED):
        raise Conflict(f"申请当前状态为“{application.get_status_display()}”，不能再上传材料", code="not_editable")
    wanted = optional_int(requirement_id)
    requirement = next((r for r in selectors.requirements_for(application) if r.pk == wanted), None)
    if requirement is None:
        raise ValidationFailed([FieldError("requirement", "请选择本申请需要提交的材料项目")])
    label = f"材料“{requirement.label}”"
    if document_id not in (None, ""):
        document = Document.objects.filter(pk=optional_int(document_id) or 0, talent_id=application.talent_id).first()
        if document is None:
            raise ValidationFailed([FieldError("document", f"{label}：请从申请人材料库中选择材料")])
        if document.status == DocumentStatus.REJECTED:
            raise Conflict(f"{label}：该材料已被退回（{document.review_reason}），请上传补正后的文件",
                           code="same_as_rejected")
    else:
        # The applicant's right to act for the talent was checked above (the talent, its employer, or the
        # employer authorised for 自主认定).
        document = documents_services.document_upload(actor=actor, talent=application.talent,
                                                      kind=requirement.document_kind, upload=upload, label=label,
                                                      authorized=True)
    return _attach(application, requirement, document, actor=actor, label=label)


def _attach(application: Application, requirement: EvidenceRequirement, document: Document, *, actor: User,
            label: str = "") -> tuple[Attachment, bool]:
    existing = Attachment.objects.filter(application=application, requirement=requirement, document=document).first()
    if existing is not None:
        if existing.problem:
            raise Conflict(f"{label}：与已被退回的文件相同，请上传补正后的文件", code="same_as_returned")
        return existing, False
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(application=application, requirement=requirement,
                                                   document=document, uploaded_by=actor)
    except IntegrityError:  # the same file posted twice at once: keep the first
        return Attachment.objects.get(application=application, requirement=requirement, document=document), False
    return attachment, True


def _attach_documents_on_file(application: Application, actor: User) -> list[Attachment]:
    """What the talent already has on file (verified, or waiting for review) is attached to the requirements
    of its kind when the application is made: never asked for twice."""
    requirements = [r for r in selectors.requirements_for(application) if r.document_kind != DocumentKind.OTHER]
    on_file = documents_selectors.documents_on_file(talent=application.talent,
                                                     kinds={r.document_kind for r in requirements})
    return [_attach(application, r, on_file[r.document_kind], actor=actor)[0]
            for r in requirements if r.document_kind in on_file]


# --- the state machine ----------------------------------------------------------------------------------

class _NoChange(Exception):  # control flow, not an error: the step is already done
    pass


def _require_applicant(actor: User, application: Application) -> None:
    if not selectors.is_applicant(actor, application):
        raise PermissionDenied("只有申请人本人或其所在单位可以办理此操作")


def _require_office(actor: User, application: Application) -> None:
    # Visibility (the jurisdiction) was checked by _lock; this is about the role.
    require_staff(actor)


def _require_expert(actor: User, application: Application) -> None:
    if actor.role != Role.EXPERT:
        raise PermissionDenied("只有本申请的评审专家可以评分")


def _require_approver(actor: User, application: Application) -> None:
    if application.way == Way.EMPLOYER:
        _require_applicant(actor, application)
    else:
        _require_office(actor, application)


@dataclass(frozen=True)
class Step:
    sources: tuple[str, ...]
    target: str | None  # None: the handler decides (a review's conclusion)
    who: Callable[[User, Application], None]
    handler: Callable | None = None
    follow: str | None = None  # a step taken at once after this one, in the same transaction
    follow_ways: tuple[str, ...] = ()


def _lock(actor: User, application_id: int) -> Application:
    if not selectors.application_is_visible(user=actor, application_id=optional_int(application_id) or 0):
        raise NotFound()
    # Lock the application row only (no joins), so that concurrent steps on it are serialised.
    application = Application.objects.select_for_update().get(pk=application_id)
    return application


def _event(application: Application, *, actor: User, action: str, from_status: str, to_status: str,
           reason: str = "", data: dict | None = None) -> ApplicationEvent:
    event = ApplicationEvent.objects.create(application=application, actor=actor, action=action,
                                            from_status=from_status, to_status=to_status, at=timezone.now(),
                                            reason=reason, data=data or {})
    _audit_step(application, actor=actor, action=action, to_status=to_status, reason=reason)
    transaction.on_commit(lambda: tasks.application_notify(event.pk))
    return event


DECISIONS = (Action.APPROVE, Action.REJECT, Action.CONCLUDE, Action.REVOKE)


def _audit_step(application: Application, *, actor: User, action: str, to_status: str, reason: str) -> None:
    """Every step of an application in the audit log; decisions (approve, reject, conclude, revoke) as such."""
    talent = Talent.objects.filter(pk=application.talent_id).values("name", "district_id").first() or {}
    because = f"，理由：{reason[:200]}" if reason else ""
    audit_record(actor=actor, action=AuditAction.DECISION if action in DECISIONS else AuditAction.RECOGNITION,
                 obj=application, region_code=talent.get("district_id", ""),
                 summary=f"{talent.get('name', '')}的认定申请（{application.get_way_display()}，"
                         f"{application.category}类）：{Action(action).label}，状态为"
                         f"{Status(to_status).label}{because}")


@dataclass
class Outcome:
    """What a step's handler decided: the target status (when the step has none), the event's reason and
    data, and which extra fields of the application it changed."""

    target: str | None = None
    reason: str = ""
    data: dict | None = None
    fields: tuple[str, ...] = ()


def _submit(application: Application, actor: User, payload: dict) -> Outcome:
    missing = selectors.missing_evidence(application)
    if missing:
        raise ValidationFailed([FieldError(f"evidence_{r.pk}", f"缺少“{r.label}”") for r in missing])
    if application.way == Way.EMPLOYER:
        _employer_quota_checked(application, lock=False)
    application.submitted_at = timezone.now()
    resubmitted = application.status == Status.RETURNED
    return Outcome(reason="补正后重新提交" if resubmitted else "", fields=("submitted_at",))


def _employer_quota_checked(application: Application, *, lock: bool) -> EmployerQuota:
    on = selectors.today()
    authorization = application.authorization
    if not authorization.in_force(on):
        raise Conflict("本单位的自主认定授权已过期或已被收回", code="authorization_expired")
    quotas = EmployerQuota.objects.filter(authorization=authorization, category=application.category)
    quota = (quotas.select_for_update() if lock else quotas).first()
    errors = _check_employer_declaration(authorization, quota, application.category, application.annual_salary,
                                         application.annual_tax)
    if errors:
        raise ValidationFailed(errors)
    if quota.used >= quota.quota:
        raise Conflict(f"本单位{category_label(application.category)}自主认定名额已用完（已用{quota.used}，"
                       f"共{quota.quota}）", code="quota_exhausted")
    return quota


def _return(application: Application, actor: User, payload: dict) -> Outcome:
    """Staff list every defect at once (一次性告知): per requirement what is wrong, and a general note."""
    raw = {k: str(v or "").strip() for k, v in (payload.get("problems") or {}).items()}
    problems = {optional_int(k): v for k, v in raw.items() if v}
    note = (payload.get("note") or "").strip()
    requirements = {r.pk: r for r in selectors.requirements_for(application)}
    errors = [FieldError("problems", f"材料项目“{k}”不属于本申请") for k in problems if k not in requirements]
    errors += [FieldError(f"problem_{k}", "说明不能超过200字") for k, v in problems.items() if len(v) > 200]
    if not problems and len(note) < 2:
        errors.append(FieldError("note", "请列出需要补正的全部材料或问题（一次性告知）"))
    if errors:
        raise ValidationFailed(errors)
    for requirement_id, text in problems.items():
        returned = list(application.attachments.filter(requirement_id=requirement_id, problem="")
                        .values_list("document_id", flat=True))
        application.attachments.filter(requirement_id=requirement_id, problem="").update(problem=text)
        # The returned documents are checked: 已退回 in the talent's document store with the same reason.
        reason = f"{requirements[requirement_id].label}：{text}"[:documents_services.REASON_MAX]
        _review_documents(actor, returned, DocumentAction.REJECT, reason)
    items = [{"requirement": requirements[k].label, "problem": v} for k, v in problems.items()]
    return Outcome(reason=note, data={"problems": items})


def _review_documents(actor: User, document_ids, action: str, reason: str = "") -> None:
    """Record the office's check of evidence in the document store, so that it is checked once: documents
    still waiting for review become 已核验 (accepted evidence) or 已退回 (returned evidence, with the reason);
    a document already decided keeps its decision."""
    pending = Document.objects.filter(pk__in=list(document_ids), status=DocumentStatus.PENDING).order_by("pk")
    for document_id in pending.values_list("pk", flat=True):
        try:
            documents_services.document_transition(actor=actor, document_id=document_id, action=action,
                                                   reason=reason)
        except Conflict:  # decided meanwhile
            continue


def _accept(application: Application, actor: User, payload: dict) -> Outcome:
    """材料齐全: the attached evidence (not returned) is verified in the document store."""
    _review_documents(actor, application.attachments.filter(problem="").values_list("document_id", flat=True),
                      DocumentAction.VERIFY)
    return Outcome()


def _approve(application: Application, actor: User, payload: dict) -> Outcome:
    on = selectors.today()
    held, _ = selectors.category_held(application.talent, on=on)
    category = payload.get("category") or application.category
    if held and not higher(category, held):
        raise Conflict(f"该人才已认定为{category_label(held)}，本次认定的类别不高于现有类别", code="not_higher")
    if application.way == Way.EMPLOYER:
        quota = _employer_quota_checked(application, lock=True)
        EmployerQuota.objects.filter(pk=quota.pk).update(used=F("used") + 1)  # the check constraint backs this
        reason = (f"{application.authorization.organization}依自主认定授权认定为{category_label(category)}，"
                  "已向人社部门备案")
    elif application.way == Way.DIRECT:
        item = application.item
        reason = f"材料核验通过，符合条目{item.code}“{item.title}”，直接认定为{category_label(category)}"
    else:
        reason = payload.get("reason", "")
    recognition = _recognition_grant(application, actor=actor, category=category, on=on)
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.decision_reason = reason
    return Outcome(target=Status.APPROVED, reason=reason,
                   data={"category": category, "serial": recognition.serial,
                         "valid_until": recognition.valid_until.isoformat(),
                         **({"item": application.item.code} if application.way == Way.DIRECT else {})},
                   fields=("decided_at", "decided_by", "decision_reason"))


def _recognition_grant(application: Application, *, actor: User, category: str, on: dt.date) -> Recognition:
    talent = application.talent
    rule = application.standard.rule_for(category)
    until = _add_years(on, rule.validity_years) - dt.timedelta(days=1)
    previous = Recognition.objects.select_for_update().filter(talent=talent, status=RecognitionStatus.ACTIVE).first()
    if previous is not None:  # an upgrade ends the lower recognition today
        previous.status = RecognitionStatus.SUPERSEDED
        previous.ended_on = on
        previous.save(update_fields=["status", "ended_on"])
    item = application.item if application.way == Way.DIRECT else None
    recognition = Recognition.objects.create(
        talent=talent, application=application, category=category, way=application.way,
        item_code=item.code if item else "", item_title=item.title if item else "",
        organization=application.authorization.organization if application.way == Way.EMPLOYER else None,
        valid_from=on, valid_until=until, serial=uuid.uuid4().hex[:20], granted_by=actor, granted_at=timezone.now(),
    )
    recognition.serial = f"RC{on:%Y}{category}{recognition.pk:07d}"
    recognition.save(update_fields=["serial"])
    if previous is not None:
        previous.superseded_by = recognition
        previous.save(update_fields=["superseded_by"])
    talent_category_sync(talent=talent, on=on)
    if application.way == Way.EMPLOYER:  # the channel that brought the talent, where none is known (人才地图's 来源)
        history.history_record(talent, before=history.history_snapshot(talent), on=on,
                               reason=HistoryReason.RECOGNITION, channel=Channel.EMPLOYER_RECOGNITION)
    return recognition


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _panel(application: Application, actor: User, payload: dict) -> Outcome:
    """The panel, formed by rencai.reviews from the pool with 回避 (the applicant, their organization, declared
    conflicts), at least the standard's panel size, with its scoring period."""
    standard = application.standard
    panel, _ = reviews.panel_form(actor=actor, item=review.ref(application), parties=review.parties(application),
                                  expert_ids=payload.get("expert_ids") or [], sheet=review.sheet(),
                                  size=standard.review_panel_size, review_days=standard.review_days)
    names = [a.expert.name for a in panel.assignments.select_related("expert").order_by("id")]
    return Outcome(reason=f"评审专家{len(names)}人", data={"experts": names})


def _score(application: Application, actor: User, payload: dict) -> Outcome:
    assignment, created = reviews.score_submit(actor=actor, item=review.ref(application),
                                               scores=payload.get("scores") or {}, comment=payload.get("comment") or "")
    if not created:
        raise _NoChange
    return Outcome(reason="", data={"assignment": assignment.pk, "total": str(assignment.total)})


def _conclude(application: Application, actor: User, payload: dict) -> Outcome:
    """The decision follows the pass marks: the highest category, up to the one applied for, whose mark the
    panel's average reaches; none reached, not recognised."""
    result = selectors.review_outcome(application)
    if result is None:
        waiting = selectors.review_result(application).waiting
        raise Conflict(f"还有{waiting}位专家未提交评分，不能作出决定", code="scores_missing")
    average, rules = result.average, result.marks
    application.review_score = average
    base = f"评审专家{result.experts}人，平均分{average}分"
    if not result.category:
        mark = rules.get(application.category)
        reason = f"{base}，未达到{category_label(application.category)}分数线{mark}分，不予认定"
        application.decided_at = timezone.now()
        application.decided_by = actor
        application.decision_reason = reason
        return Outcome(target=Status.REJECTED, reason=reason, data={"average": str(average)},
                       fields=("review_score", "decided_at", "decided_by", "decision_reason"))
    category = result.category
    reason = f"{base}，达到{category_label(category)}分数线{rules[category]}分，评审认定为{category_label(category)}"
    outcome = _approve(application, actor, {"category": category, "reason": reason})
    outcome.data["average"] = str(average)
    outcome.fields = (*outcome.fields, "review_score")
    return outcome


def _reject(application: Application, actor: User, payload: dict) -> Outcome:
    reason = (payload.get("reason") or "").strip()
    if len(reason) < 2:
        raise ValidationFailed([FieldError("reason", "请填写不予认定的理由")])
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.decision_reason = reason
    return Outcome(reason=reason, fields=("decided_at", "decided_by", "decision_reason"))


def _withdraw(application: Application, actor: User, payload: dict) -> Outcome:
    return Outcome(reason=(payload.get("reason") or "").strip()[:500])


def _revoke(application: Application, actor: User, payload: dict) -> Outcome:
    reason = (payload.get("reason") or "").strip()
    if len(reason) < 2:
        raise ValidationFailed([FieldError("reason", "请填写撤销认定的理由")])
    on = selectors.today()
    quota = None
    if application.way == Way.EMPLOYER:
        # Locks in the order approvals take them (application, quota, recognition, talent): no deadlock.
        quota = (EmployerQuota.objects.select_for_update()
                 .filter(authorization=application.authorization, category=application.category).first())
    recognition = Recognition.objects.select_for_update().get(application=application)
    was_active = recognition.status == RecognitionStatus.ACTIVE
    recognition.status = RecognitionStatus.REVOKED
    recognition.ended_on = on
    recognition.save(update_fields=["status", "ended_on"])
    if quota is not None and was_active and quota.used > 0:
        # A revoked recognition no longer uses the employer's quota.
        EmployerQuota.objects.filter(pk=quota.pk).update(used=F("used") - 1)
    restored = None
    if was_active:  # an upgrade revoked: the recognition it replaced stands again while still valid
        restored = (Recognition.objects.select_for_update()
                    .filter(superseded_by=recognition, status=RecognitionStatus.SUPERSEDED, valid_until__gte=on)
                    .first())
        if restored is not None:
            restored.status = RecognitionStatus.ACTIVE
            restored.ended_on = None
            restored.save(update_fields=["status", "ended_on"])
    talent_category_sync(talent=application.talent, on=on)
    application.decision_reason = f"{application.decision_reason}；{on}撤销：{reason}"
    data = {"serial": recognition.serial}
    if restored is not None:
        data["restored"] = restored.serial
    return Outcome(reason=reason, data=data, fields=("decision_reason",))


STEPS: dict[str, Step] = {
    Action.SUBMIT: Step((Status.DRAFT, Status.RETURNED), Status.SUBMITTED, _require_applicant, _submit,
                        follow=Action.APPROVE, follow_ways=(Way.EMPLOYER,)),
    Action.ACCEPT: Step((Status.SUBMITTED,), Status.COMPLETE, _require_office, _accept,
                        follow=Action.APPROVE, follow_ways=(Way.DIRECT,)),
    Action.RETURN: Step((Status.SUBMITTED,), Status.RETURNED, _require_office, _return),
    Action.APPROVE: Step((Status.COMPLETE, Status.SUBMITTED), None, _require_approver, _approve),
    Action.PANEL: Step((Status.COMPLETE,), Status.IN_REVIEW, _require_office, _panel),
    Action.SCORE: Step((Status.IN_REVIEW,), Status.IN_REVIEW, _require_expert, _score),
    Action.CONCLUDE: Step((Status.IN_REVIEW,), None, _require_office, _conclude),
    Action.REJECT: Step((Status.SUBMITTED, Status.COMPLETE), Status.REJECTED, _require_office, _reject),
    Action.WITHDRAW: Step((Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.COMPLETE, Status.IN_REVIEW),
                          Status.WITHDRAWN, _require_applicant, _withdraw),
    Action.REVOKE: Step((Status.APPROVED,), Status.REVOKED, _require_office, _revoke),
}
# Which ways each step applies to; a step outside its way is refused like a wrong status.
STEP_WAYS = {
    Action.ACCEPT: (Way.DIRECT, Way.REVIEW),
    Action.RETURN: (Way.DIRECT, Way.REVIEW),
    Action.PANEL: (Way.REVIEW,),
    Action.SCORE: (Way.REVIEW,),
    Action.CONCLUDE: (Way.REVIEW,),
    Action.REJECT: (Way.DIRECT, Way.REVIEW),
}


@transaction.atomic
def application_transition(*, actor: User, application_id: int, action: str, payload: dict | None = None
                           ) -> Application:
    """The one way an application changes status. Repeating one's own last step (the same form posted
    twice) changes nothing; any other step from a status it does not start from is refused (409)."""
    payload = payload or {}
    step = STEPS.get(action)
    if step is None or (action == Action.APPROVE and not payload.get("_follow")):
        raise ValidationFailed([FieldError("action", f"未知的操作“{action}”")])
    application = _lock(actor, application_id)
    if application.way not in STEP_WAYS.get(action, tuple(Way.values)):
        raise Conflict(f"{application.get_way_display()}的申请没有“{Action(action).label}”这一步",
                       code="wrong_way")
    step.who(actor, application)  # who may take the step comes first: an outsider learns nothing of its state
    if application.status not in step.sources:
        if _repeated(application, actor, action):
            return application
        raise Conflict(_refusal(application, action), code="wrong_status")
    try:
        _take(application, actor, action, step, payload)
    except _NoChange:
        return application
    if step.follow and application.way in step.follow_ways:
        _take(application, actor, step.follow, STEPS[step.follow], {**payload, "_follow": True}, via=action)
    return application


def _take(application: Application, actor: User, action: str, step: Step, payload: dict, via: str = "") -> None:
    step.who(actor, application)
    outcome = step.handler(application, actor, payload) if step.handler else Outcome()
    target = outcome.target or step.target
    from_status = application.status
    application.status = target
    application.save(update_fields=["status", *outcome.fields])
    data = dict(outcome.data or {})
    if via:
        data["via"] = via
    _event(application, actor=actor, action=action, from_status=from_status, to_status=target,
           reason=outcome.reason, data=data)


def _repeated(application: Application, actor: User, action: str) -> bool:
    last = application.events.order_by("-at", "-id").first()
    return bool(last and last.actor_id == actor.pk and (last.action == action or last.data.get("via") == action))


def _refusal(application: Application, action: str) -> str:
    status = application.status
    verb = Action(action).label
    if status == Status.WITHDRAWN:
        return f"该申请已撤回，不能再{verb}"
    if status in (Status.APPROVED, Status.REJECTED, Status.REVOKED):
        who = application.decided_by or "他人"
        return f"该申请已由{who}作出决定（{application.get_status_display()}），不能再{verb}"
    return f"申请当前状态为“{application.get_status_display()}”，不能{verb}"


# --- thin wrappers, one per step, for views and the API -------------------------------------------------

def application_submit(*, actor: User, application_id: int) -> Application:
    return application_transition(actor=actor, application_id=application_id, action=Action.SUBMIT)


def application_accept(*, actor: User, application_id: int) -> Application:
    return application_transition(actor=actor, application_id=application_id, action=Action.ACCEPT)


def application_return(*, actor: User, application_id: int, problems: dict, note: str = "") -> Application:
    return application_transition(actor=actor, application_id=application_id, action=Action.RETURN,
                                  payload={"problems": problems, "note": note})


def application_reject(*, actor: User, application_id: int, reason: str) -> Application:
    return application_transition(actor=actor, application_id=application_id, action=Action.REJECT,
                                  payload={"reason": reason})


def application_withdraw(*, actor: User, application_id: int, reason: str = "") -> Application:
    return application_transition(actor=actor, application_id=application_id, action=Action.WITHDRAW,
                                  payload={"reason": reason})


def application_panel_form(*, actor: User, application_id: int, expert_ids: list) -> Application:
    return application_transition(actor=actor, application_id=application_id, action=Action.PANEL,
                                  payload={"expert_ids": expert_ids})


def review_score_submit(*, actor: User, assignment_id: int, scores: dict, comment: str = "") -> Assignment:
    assignment = selectors.assignment_get(user=actor, assignment_id=assignment_id)
    application_transition(actor=actor, application_id=assignment.panel.object_id, action=Action.SCORE,
                           payload={"scores": scores, "comment": comment})
    return Assignment.objects.get(pk=assignment.pk)


def expert_conflict_record(*, actor: User, application_id: int, expert_id, reason: str) -> Application:
    """Staff record a conflict an expert declared (e.g. by telephone) with this application before its panel is
    formed: kept in rencai.reviews with the reason and the time, and the expert stands aside from its panel."""
    require_staff(actor)
    application = selectors.application_get(user=actor, application_id=optional_int(application_id) or 0)
    reviews.conflict_declare(actor=actor, subject=review.ref(application), expert_id=optional_int(expert_id),
                             reason=reason)
    return application


def application_conclude(*, actor: User, application_id: int) -> Application:
    return application_transition(actor=actor, application_id=application_id, action=Action.CONCLUDE)


def recognition_revoke(*, actor: User, recognition_id: int, reason: str) -> Application:
    recognition = selectors.recognition_get(user=actor, recognition_id=recognition_id)
    return application_transition(actor=actor, application_id=recognition.application_id, action=Action.REVOKE,
                                  payload={"reason": reason})


# --- the registry's current category --------------------------------------------------------------------

def talent_category_sync(*, talent: Talent, on: dt.date | None = None) -> bool:
    """Set the registry's ``talent_category``/``category_recognized_on`` to the category held on ``on``
    (default today), so the registry, its filters and the policy engine see it. True if it changed."""
    category, since = selectors.category_held(talent, on=on)
    talent = Talent.objects.select_for_update().get(pk=talent.pk)
    if (talent.talent_category, talent.category_recognized_on) == (category, since):
        return False
    talent.talent_category = category
    talent.category_recognized_on = since
    talent.save(update_fields=["talent_category", "category_recognized_on", "updated_at"])
    if category in ("A", "B", "C"):  # a high-level talent gets a 服务专员 (services), once this is committed
        from rencai.services.services import specialist_assign_on_recognition

        transaction.on_commit(lambda: specialist_assign_on_recognition(talent.pk))
    return True


@transaction.atomic
def recognitions_expire(*, on: dt.date | None = None) -> int:
    """Bring the registry up to date with recognitions that ended by ``on`` (run daily); safe to run twice."""
    on = on or selectors.today()
    due = (Recognition.objects.filter(valid_until__lt=on).values_list("talent_id", flat=True).distinct())
    changed = 0
    for talent in Talent.objects.filter(pk__in=list(due)):
        changed += talent_category_sync(talent=talent, on=on)
    return changed


# --- employer authorisations (administrators) -----------------------------------------------------------

@dataclass
class QuotaInput:
    category: str
    quota: int
    min_annual_salary: object = None
    min_annual_tax: object = None


@transaction.atomic
def employer_authorize(*, actor: User, organization_id: int, valid_from: dt.date, valid_until: dt.date,
                       criteria: str, quotas: list[QuotaInput]) -> EmployerAuthorization:
    """An administrator authorises an employer for 自主认定 in a period, with a quota per category and the
    criteria the employer declared."""
    if not actor.is_administrator:
        raise PermissionDenied("只有系统管理员可以授予自主认定权限")
    errors: list[FieldError] = []
    if valid_until < valid_from:
        errors.append(FieldError("valid_until", "授权截止日不能早于起始日"))
    if not (criteria or "").strip():
        errors.append(FieldError("criteria", "请填写单位申报的认定标准"))
    seen = set()
    for q in quotas:
        if q.category not in TalentCategory.values or q.category in seen:
            errors.append(FieldError("quotas", f"类别“{q.category}”无效或重复"))
        seen.add(q.category)
        if not isinstance(q.quota, int) or q.quota < 0:
            errors.append(FieldError("quotas", f"{q.category}类名额应为非负整数"))
        _money(q.min_annual_salary, "quotas", f"{q.category}类年薪标准", errors)
        _money(q.min_annual_tax, "quotas", f"{q.category}类个税标准", errors)
    if not quotas:
        errors.append(FieldError("quotas", "请至少设置一个类别的名额"))
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            authorization = EmployerAuthorization.objects.create(
                organization_id=organization_id, valid_from=valid_from, valid_until=valid_until,
                criteria=criteria.strip(), granted_by=actor)
    except IntegrityError as exc:
        raise Conflict("该单位在此起始日已有授权", code="duplicate_authorization") from exc
    EmployerQuota.objects.bulk_create([
        EmployerQuota(authorization=authorization, category=q.category, quota=q.quota,
                      min_annual_salary=_money(q.min_annual_salary, "quotas", "", []),
                      min_annual_tax=_money(q.min_annual_tax, "quotas", "", []))
        for q in quotas])
    organization = Organization.objects.filter(pk=organization_id).first()
    audit_record(actor=actor, action=AuditAction.AUTHORIZATION, obj=authorization,
                 region_code=getattr(organization, "district_id", "") or "",
                 summary=f"授予{organization}自主认定权限（{valid_from}至{valid_until}），名额："
                         + "、".join(f"{q.category}类{q.quota}名" for q in quotas))
    return authorization


def employer_authorize_from_form(*, actor: User, data) -> EmployerAuthorization:
    """The authorisation page's fields (organization_uscc, valid_from, valid_until, criteria, and per
    category quota_X / salary_X / tax_X) read and checked together, then ``employer_authorize``."""
    errors = FieldErrors()
    uscc = (data.get("organization_uscc") or "").strip().upper()
    organization = Organization.objects.filter(uscc=uscc).first() if uscc else None
    if organization is None:
        errors.add("organization_uscc",
                   f"未登记的用人单位（统一社会信用代码“{uscc}”）" if uscc else "请填写用人单位的统一社会信用代码")
    valid_from = parse_date(data.get("valid_from"), field="valid_from", label="授权起始日", errors=errors)
    valid_until = parse_date(data.get("valid_until"), field="valid_until", label="授权截止日", errors=errors)
    for key, value, label in (("valid_from", valid_from, "授权起始日"), ("valid_until", valid_until, "授权截止日")):
        if value is None and key not in {e.field for e in errors}:
            errors.add(key, f"请填写{label}")
    quotas = []
    for category in TalentCategory.values:
        raw = (data.get(f"quota_{category}") or "").strip()
        if not raw:
            continue
        if not raw.isdigit():
            errors.add(f"quota_{category}", f"{category}类名额应为非负整数，而不是“{raw}”")
            continue
        quotas.append(QuotaInput(category=category, quota=int(raw),
                                 min_annual_salary=(data.get(f"salary_{category}") or "").strip() or None,
                                 min_annual_tax=(data.get(f"tax_{category}") or "").strip() or None))
    if errors:
        raise ValidationFailed(list(errors))
    return employer_authorize(actor=actor, organization_id=organization.pk, valid_from=valid_from,
                              valid_until=valid_until, criteria=data.get("criteria") or "", quotas=quotas)


# --- the standard (administrators) ----------------------------------------------------------------------

@transaction.atomic
def standard_copy(*, actor: User, standard_id: int, valid_from: dt.date | None = None) -> Standard:
    """A new version of a standard, to edit: items, evidence and category rules copied; it starts the day
    after the later of today and the original's start, unless told otherwise."""
    if not actor.is_administrator:
        raise PermissionDenied("只有系统管理员可以修改认定标准")
    standard = Standard.objects.get(pk=standard_id)
    start = valid_from or max(selectors.today(), standard.valid_from) + dt.timedelta(days=1)
    if Standard.objects.filter(valid_from=start).exists():
        raise Conflict(f"{start}起施行的标准版本已存在", code="duplicate_standard")
    copy = Standard.objects.create(name=f"{standard.name}（新版本）", valid_from=start, is_example=standard.is_example,
                                   source_note=standard.source_note, review_panel_size=standard.review_panel_size,
                                   review_days=standard.review_days)
    CategoryRule.objects.bulk_create([
        CategoryRule(standard=copy, category=r.category, validity_years=r.validity_years,
                     review_threshold=r.review_threshold) for r in standard.rules.all()])
    items = {}
    for item in standard.items.all():
        items[item.pk] = StandardItem.objects.create(standard=copy, code=item.code, category=item.category,
                                                     title=item.title, description=item.description,
                                                     position=item.position)
    EvidenceRequirement.objects.bulk_create([
        EvidenceRequirement(standard=copy, item=items.get(e.item_id), way=e.way, label=e.label, hint=e.hint,
                            required=e.required, position=e.position) for e in standard.evidence.all()])
    return copy
