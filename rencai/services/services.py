"""Writes of 人才服务 (一件事), each owning its transaction.

- ``catalog_sync``: the shipped catalog into the database (missing items only: the office's edits stay).
- ``request_create``: a talent (or their specialist, or the window's staff) requests an item or a bundle; each
  part goes to its department at once, with its time limit in working days; an item the talent may not
  request is refused with the reason (422).
- ``part_transition``: the one way a part changes (assign, complete, decline, cancel, and the escalations the
  daily check makes); the request is done when every part is closed.
- ``deadlines_check``: daily on the worker's schedule (`rencai services_check`): parts at risk or past their
  limit are escalated to the supervisors, once each; specialists are given to A, B, C talents without one.
- 服务专员: ``specialists_assign`` (balanced), ``specialist_reassign`` (a supervisor), ``message_send``.
"""

from __future__ import annotations

import datetime as dt
import heapq
import logging
from functools import cache

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import talent_scope_q
from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from rencai.fulfilment.services import _int, add_working_days, step_actor_allowed
from rencai.notifications.services import notify
from rencai.talents.enums import DEGREE_RANK
from rencai.talents.models import Talent

from .catalog import Item, shipped_catalog
from .enums import CLOSED_PART_STATUSES, OPEN_PART_STATUSES, Escalation, Origin, PartAction, PartStatus, RequestStatus
from .models import (
    AssignmentChange,
    Message,
    PartEvent,
    RequestPart,
    ServiceBundle,
    ServiceItem,
    ServiceRequest,
    Specialist,
    SpecialistAssignment,
)

logger = logging.getLogger("rencai.services")

HIGH_LEVEL = ("A", "B", "C")
MAX_TEXT = 500
MAX_MESSAGE = 1000
# A part is at risk this many working days before its promised day (the office's choice; no document sets it).
RISK_WORKING_DAYS = 1
SUPERVISE_PERMISSION = "services.supervise_services"


def today() -> dt.date:
    return timezone.localdate()


def _text(value: object, *, field: str, label: str, required: bool, limit: int = MAX_TEXT) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise ValidationFailed([FieldError(field, f"请填写{label}")])
    if len(text) > limit:
        raise ValidationFailed([FieldError(field, f"{label}不能超过{limit}字")])
    return text


def actor_label(actor: User | None) -> str:
    if actor is None:
        return "系统"
    name = actor.display_name or actor.get_username()
    department = getattr(actor, "department", None)
    return f"{department.name} {name}" if department is not None and actor.is_government else name


def is_supervisor(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and (
        user.is_administrator or (user.role == Role.STAFF and user.has_perm(SUPERVISE_PERMISSION))))


def _link(request_id: int) -> str:
    return f"/services/requests/{request_id}/"


# -- the catalog ---------------------------------------------------------------------------------------------------


def _item_fields(item: Item) -> dict:
    return {
        "title": item.title, "summary": item.summary, "jurisdiction": item.jurisdiction,
        "department": item.department, "level": item.level,
        "who": {"anyone": True} if item.anyone else {"any_of": [r.as_dict() for r in item.rules]},
        "treatments": [{**t.rule.as_dict(), "text": t.text} for t in item.treatments],
        "deadline_days": item.deadline_days, "deadline_quote": item.deadline_quote,
        "materials": list(item.materials), "steps": list(item.steps), "notes": list(item.notes),
        "source_document": item.source.document, "source_quote": item.source.quote,
        "also_sources": [{"document": s.document, "quote": s.quote} for s in item.also_sources],
        "requestable": item.requestable,
    }


def catalog_sync() -> int:
    """Create the shipped items and bundles the database does not have yet; an item the office has edited is
    left as it is. Safe to run twice (and at once: the unique keys). Returns how many were created."""
    catalog = shipped_catalog()
    have = set(ServiceItem.objects.values_list("key", flat=True))
    missing = [ServiceItem(key=key, **_item_fields(item)) for key, item in catalog.items.items() if key not in have]
    ServiceItem.objects.bulk_create(missing, ignore_conflicts=True)
    bundles = set(ServiceBundle.objects.values_list("key", flat=True))
    created = len(missing)
    for key, bundle in catalog.bundles.items():
        if key in bundles:
            continue
        with transaction.atomic():
            row, made = ServiceBundle.objects.get_or_create(key=key, defaults={
                "title": bundle.title, "summary": bundle.summary, "jurisdiction": bundle.jurisdiction,
                "source_document": bundle.source.document, "source_quote": bundle.source.quote,
                "also_sources": [{"document": s.document, "quote": s.quote} for s in bundle.also_sources],
                "notes": list(bundle.notes)})
            if made:
                row.items.set(ServiceItem.objects.filter(key__in=bundle.items))
                created += 1
    return created


# -- who may request what --------------------------------------------------------------------------------------------


def _in_jurisdiction(talent: Talent, code: str) -> bool:
    from rencai.regions.models import code_prefix

    return bool(code) and talent.district_id.startswith(code_prefix(code))


def _rule_failures(rule: dict, talent: Talent, on: dt.date) -> list[str]:
    from rencai.talents.enums import Degree

    failures = []
    categories = rule.get("categories") or []
    if categories and talent.talent_category not in categories:
        held = f"{talent.talent_category}类人才" if talent.talent_category else "尚未认定人才类别"
        failures.append(f"须为{'、'.join(categories)}类人才（您{held}）")
    if rule.get("returnee") is True and not talent.returnee:
        failures.append("须为留学回国人员")
    degrees = rule.get("degrees") or []
    if degrees and talent.highest_degree not in degrees:
        lowest = min(degrees, key=lambda d: DEGREE_RANK.get(d, 9))
        held = Degree(talent.highest_degree).label if talent.highest_degree in Degree.values else "未登记学历"
        failures.append(f"须为{Degree(lowest).label}及以上学历（您的最高学历：{held}）")
    years = rule.get("graduated_within_years")
    if years:
        graduated = talent.graduation_date
        from rencai.policies.engine.expr import add_years

        if graduated is None:
            failures.append("档案中没有毕业日期")
        elif not (graduated.year == on.year or (graduated <= on <= add_years(graduated, years))):
            failures.append(f"须为应届或毕业{years}年内（您{graduated:%Y年%m月}毕业）")
    return failures


@cache
def _region_name(code: str) -> str:
    from rencai.regions.models import Region

    return Region.objects.filter(code=code).values_list("name", flat=True).first() or "本地区"


def eligibility(item: ServiceItem, talent: Talent, *, on: dt.date | None = None) -> list[str]:
    """Why ``talent`` may not request ``item`` (in Chinese), or [] when they may."""
    on = on or today()
    if not item.active or not item.requestable:
        return [f"“{item.title}”不接受在线申请"]
    if not _in_jurisdiction(talent, item.jurisdiction):
        region = _region_name(item.jurisdiction)
        return [f"“{item.title}”是{region}的服务事项，您的档案不在{region}"]
    who = item.who or {}
    if who.get("anyone"):
        return []
    alternatives = [_rule_failures(rule, talent, on) for rule in who.get("any_of") or []]
    if any(not failures for failures in alternatives):
        return []
    reasons = "；或".join("、".join(f) for f in alternatives)
    return [f"“{item.title}”{reasons}"]


def treatment_for(item: ServiceItem, talent: Talent, *, on: dt.date | None = None) -> str:
    """The treatment this talent receives (the first entry whose requirements hold), "" where none differs."""
    on = on or today()
    for entry in item.treatments or []:
        rule = {k: v for k, v in entry.items() if k != "text"}
        if not _rule_failures(rule, talent, on):
            return entry["text"]
    return ""


def _origin(actor: User, talent: Talent) -> str:
    if actor.role == Role.TALENT and talent.user_id == actor.pk:
        return Origin.TALENT
    if SpecialistAssignment.objects.filter(talent=talent, specialist__user=actor, specialist__active=True).exists():
        return Origin.SPECIALIST
    if actor.role == Role.STAFF and Talent.objects.filter(talent_scope_q(actor), pk=talent.pk).exists():
        return Origin.WINDOW
    raise PermissionDenied("服务请求只能由人才本人、其服务专员或辖区窗口工作人员提出")


# -- requests ---------------------------------------------------------------------------------------------------------


def _dates(item: ServiceItem, start: dt.date) -> tuple[dt.date | None, dt.date | None]:
    if item.deadline_days is None:
        return None, None
    due = add_working_days(start, item.deadline_days) if item.deadline_days else start
    risk = add_working_days(due, -RISK_WORKING_DAYS) if item.deadline_days > RISK_WORKING_DAYS else start
    return due, max(risk, start)


def request_create(*, actor: User, talent_id, item_keys: list | None = None, bundle_key: str = "",
                   note: str = "") -> ServiceRequest:
    """Request one item (``item_keys`` of one) or a bundle (``bundle_key``, with ``item_keys`` the parts chosen,
    all of the bundle's when empty). Every refusal at once: an item the talent may not request says why (422);
    an item already under way for the talent is a 409 naming it."""
    talent = Talent.objects.filter(pk=_int(talent_id) or 0).first()
    if talent is None:
        raise NotFound()
    origin = _origin(actor, talent)
    note = _text(note, field="note", label="说明", required=False)
    keys = [k for k in dict.fromkeys(item_keys or []) if isinstance(k, str) and k]
    bundle = None
    if bundle_key:
        bundle = ServiceBundle.objects.filter(key=bundle_key, active=True).first()
        if bundle is None:
            raise ValidationFailed([FieldError("bundle", "没有这项一件事服务")])
        offered = {i.key: i for i in bundle.items.filter(active=True)}
        if any(k not in offered for k in keys):
            raise ValidationFailed([FieldError("items", "所选事项不属于这项一件事服务")])
        items = [offered[k] for k in (keys or sorted(offered))]
    else:
        found = {i.key: i for i in ServiceItem.objects.filter(key__in=keys, active=True)}
        if len(keys) != 1 or keys[0] not in found:
            raise ValidationFailed([FieldError("items", "请选择一个服务事项")])
        items = [found[keys[0]]]
    if not items:
        raise ValidationFailed([FieldError("items", "请至少选择一个服务事项")])
    on = today()
    errors = [FieldError("items", reason) for item in items for reason in eligibility(item, talent, on=on)]
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            request = ServiceRequest.objects.create(
                talent=talent, bundle=bundle, title=bundle.title if bundle else items[0].title, origin=origin,
                requested_by=actor, note=note, submitted_at=timezone.now())
            parts = []
            for item in items:
                due, risk = _dates(item, on)
                parts.append(RequestPart.objects.create(
                    request=request, talent=talent, service_item=item, title=item.title, department=item.department,
                    level=item.level, treatment=treatment_for(item, talent, on=on), deadline_days=item.deadline_days,
                    started_on=on, promised_due=due, at_risk_on=risk, documents=_documents_on_file(talent, item)))
            for part in parts:
                _event(part, actor=actor, action=PartAction.ROUTE, from_status="", to_status=PartStatus.WAITING,
                       note=f"承办部门：{part.department}")
                _notify_department(part)
    except IntegrityError:
        under_way = [i.title for i in items if RequestPart.objects.filter(
            talent=talent, service_item=i, status__in=OPEN_PART_STATUSES).exists()]
        raise Conflict(f"{'、'.join(under_way) or '所选事项'}已有办理中的请求，请勿重复申请",
                       code="already_open") from None
    audit_record(actor=actor, action=AuditAction.SERVICES, obj=talent, object_type="services.request",
                 object_id=request.pk, summary=f"{request.number} 服务请求：{request.title}（{len(items)}项）")
    _notify_talent(request, f"已受理，{len(items)}个事项已分送承办部门", key=f"services:{request.pk}:created")
    return request


def _documents_on_file(talent: Talent, item: ServiceItem) -> dict:
    if not item.materials:
        return {}
    from rencai.documents.selectors import documents_on_file

    return {kind: doc.pk for kind, doc in documents_on_file(talent=talent, kinds=list(item.materials)).items()}


# -- the part's state machine -----------------------------------------------------------------------------------------

# (action) → (statuses it starts from, the status it ends in; None: unchanged)
TRANSITIONS = {
    PartAction.ASSIGN: (OPEN_PART_STATUSES, PartStatus.ASSIGNED),
    PartAction.COMPLETE: ((PartStatus.ASSIGNED,), PartStatus.DONE),
    PartAction.DECLINE: (OPEN_PART_STATUSES, PartStatus.DECLINED),
    PartAction.CANCEL: (OPEN_PART_STATUSES, PartStatus.CANCELLED),
    PartAction.AT_RISK: (OPEN_PART_STATUSES, None),
    PartAction.BREACH: (OPEN_PART_STATUSES, None),
}


def department_member(user: User, part: RequestPart) -> bool:
    """Staff of the part's department at its level with the talent in their jurisdiction (administrators
    too): fulfilment's rule for a step, which a part answers as a step does."""
    return step_actor_allowed(user, part, part)


def _may(actor: User | None, part: RequestPart, action: str) -> bool:
    if action in (PartAction.AT_RISK, PartAction.BREACH):
        return actor is None  # the daily check only
    if actor is None:
        return False
    if action == PartAction.CANCEL:
        return (part.request.requested_by_id == actor.pk or part.talent.user_id == actor.pk
                or SpecialistAssignment.objects.filter(talent_id=part.talent_id, specialist__user=actor).exists()
                or department_member(actor, part))
    return department_member(actor, part)


def part_transition(*, actor: User | None, part_id, action: str, version=None, note: str = "",
                    assignee_id=None) -> RequestPart:
    """The one way a part changes. Who may act is checked first (403, logged); an act from a status it does not
    start from, or on a version another officer has moved on (``version``: the one the form was shown), is a
    409. Closing the last open part closes the request."""
    if action not in TRANSITIONS:
        raise ValidationFailed([FieldError("action", "未知的操作")])
    expected = _int(version) if version not in (None, "") else None
    if version not in (None, "") and expected is None:
        raise ValidationFailed([FieldError("version", "页面已过期，请刷新后重试")])
    try:
        with transaction.atomic():
            part = (RequestPart.objects.select_for_update().filter(pk=_int(part_id) or 0)
                    .select_related("request", "talent").first())
            if part is None or (actor is not None and not _visible(actor, part)):
                raise NotFound()
            if not _may(actor, part, action):
                raise PermissionDenied(f"“{part.title}”由{part.department}（{part.get_level_display()}）的工作人员办理"
                                       if action != PartAction.CANCEL else "只有申请人、其服务专员或承办部门可以撤销")
            starts, ends = TRANSITIONS[action]
            if part.status not in starts:
                raise Conflict(f"“{part.title}”当前为“{part.get_status_display()}”，不能{PartAction(action).label}",
                               code="wrong_status")
            if expected is not None and expected != part.version:
                raise Conflict("该事项刚刚已被他人办理，本次操作未生效，请刷新后查看", code="stale")
            return _apply(actor, part, action, ends, note, assignee_id)
    except PermissionDenied as refused:
        if actor is not None and actor.is_authenticated:
            audit_record(actor=actor, action=AuditAction.DENIED, object_type="services.part", object_id=part_id or "",
                         summary=f"越权操作被拒绝：{refused.message}"[:500])
        raise


def _visible(actor: User, part: RequestPart) -> bool:
    from .selectors import parts_visible

    return parts_visible(actor).filter(pk=part.pk).exists()


def _apply(actor: User | None, part: RequestPart, action: str, ends: str | None, note: str,
           assignee_id) -> RequestPart:
    before = part.status
    fields = ["status", "version"]
    if action == PartAction.ASSIGN:
        handled_by = actor
        if assignee_id not in (None, "", str(getattr(actor, "pk", ""))):
            handled_by = User.objects.filter(pk=_int(assignee_id) or 0, is_active=True).select_related("department") \
                .first()
            if handled_by is None or not department_member(handled_by, part):
                raise ValidationFailed([FieldError("handled_by", f"承办人须为{part.department}的工作人员")])
        part.handled_by = handled_by
        fields.append("handled_by")
        note = _text(note, field="note", label="说明", required=False) or f"承办人：{actor_label(handled_by)}"
    elif action in (PartAction.COMPLETE, PartAction.DECLINE, PartAction.CANCEL):
        label = {PartAction.COMPLETE: "办理结果", PartAction.DECLINE: "不予办理的理由",
                 PartAction.CANCEL: "撤销原因"}[action]
        note = _text(note, field="outcome", label=label, required=action != PartAction.CANCEL)
        part.outcome, part.decided_by, part.decided_at = note, actor, timezone.now()
        fields += ["outcome", "decided_by", "decided_at"]
    else:  # an escalation: the status stays, the supervisors are told
        part.escalation = Escalation.BREACHED if action == PartAction.BREACH else Escalation.AT_RISK
        part.escalated_at = timezone.now()
        fields += ["escalation", "escalated_at"]
    part.status = ends or part.status
    part.version += 1
    part.save(update_fields=fields)
    _event(part, actor=actor, action=action, from_status=before, to_status=part.status, note=note)
    if action in (PartAction.AT_RISK, PartAction.BREACH):
        _notify_supervisors(part, action)
    elif action == PartAction.ASSIGN and part.handled_by_id != getattr(actor, "pk", None):
        notify(recipients=[part.handled_by_id], kind="services_part", title=f"分派给您：{part.title}",
               body=f"{part.request.number} {part.talent.name}的“{part.title}”由您承办。", link=_link(part.request_id),
               key=f"services-assign:{part.pk}:{part.version}")
    if part.status in CLOSED_PART_STATUSES:
        _part_closed(part)
    return part


def _part_closed(part: RequestPart) -> None:
    request = ServiceRequest.objects.select_for_update().get(pk=part.request_id)
    statuses = set(request.parts.values_list("status", flat=True))
    what = f"“{part.title}”{part.get_status_display()}" + (f"：{part.outcome}" if part.outcome else "")
    if statuses & set(OPEN_PART_STATUSES):
        _notify_talent(request, what, key=f"services-part:{part.pk}:{part.status}")
        return
    request.status = RequestStatus.CANCELLED if statuses == {PartStatus.CANCELLED} else RequestStatus.DONE
    request.finished_at = timezone.now()
    request.save(update_fields=["status", "finished_at"])
    _notify_talent(request, f"{what}。全部事项已办结，可查看各项办理结果", key=f"services:{request.pk}:finished")


def _event(part: RequestPart, *, actor: User | None, action: str, from_status: str, to_status: str,
           note: str = "") -> PartEvent:
    event = PartEvent.objects.create(part=part, action=action, from_status=from_status, to_status=to_status,
                                     actor=actor, actor_label=actor_label(actor), at=timezone.now(), note=note)
    if actor is not None and action != PartAction.ROUTE:
        audit_record(actor=actor, action=AuditAction.SERVICES, obj=part.talent, object_type="services.part",
                     object_id=part.pk, summary=f"{part.request.number} {part.title}：{PartAction(action).label}"
                                                + (f"，{note[:200]}" if note else ""))
    return event


def _notify_talent(request: ServiceRequest, what: str, *, key: str) -> None:
    recipients = [u for u in {request.talent.user_id, request.requested_by_id} if u]
    notify(recipients=recipients, kind="services", title=f"您的服务请求“{request.title}”：{what}"[:200],
           body=f"请求编号 {request.number}。", link=_link(request.pk), key=key)


def _notify_department(part: RequestPart) -> None:
    staff = [u for u in User.objects.filter(role=Role.STAFF, is_active=True, department__name__contains=part.department)
             .select_related("department") if department_member(u, part)]
    due = f"，承诺办结日 {part.promised_due:%Y年%m月%d日}" if part.promised_due else ""
    notify(recipients=staff, kind="services_part", title=f"待受理：{part.title}（{part.request.number}）",
           body=f"{part.talent.name}的“{part.title}”已分送本部门{due}。", link=_link(part.request_id),
           key=f"services-route:{part.pk}")


def supervisors_for(part: RequestPart) -> list[User]:
    """Supervisors (staff with the supervision permission) whose jurisdiction holds the talent."""
    from django.contrib.auth.models import Permission

    permission = Permission.objects.filter(codename="supervise_services", content_type__app_label="services").first()
    users = User.objects.filter(role=Role.STAFF, is_active=True).filter(
        Q(user_permissions=permission) | Q(groups__permissions=permission)).select_related("department").distinct()
    return [u for u in users if Talent.objects.filter(talent_scope_q(u), pk=part.talent_id).exists()]


def _notify_supervisors(part: RequestPart, action: str) -> None:
    which = "已超过承诺时限" if action == PartAction.BREACH else "即将超过承诺时限"
    recipients = supervisors_for(part) + ([part.handled_by] if part.handled_by_id else [])
    notify(recipients=recipients, kind="services_escalation", title=f"督办：{part.title}{which}",
           body=f"{part.request.number} {part.talent.name}的“{part.title}”（{part.department}）{which}"
                f"（{part.promised_due:%Y年%m月%d日}），{part.get_status_display()}。",
           link=_link(part.request_id), key=f"services-escalation:{part.pk}:{action}")


# -- the daily check --------------------------------------------------------------------------------------------------


def deadlines_check(*, on: dt.date | None = None) -> dict[str, int]:
    """Escalate the open parts past their promised day (breached) and those at risk (from their warning day),
    each once; then give a specialist to every A, B, C talent without one. Safe to run twice."""
    on = on or today()
    open_parts = RequestPart.objects.filter(status__in=OPEN_PART_STATUSES, promised_due__isnull=False)
    breached = list(open_parts.filter(promised_due__lt=on).exclude(escalation=Escalation.BREACHED)
                    .values_list("pk", flat=True))
    at_risk = list(open_parts.filter(at_risk_on__lte=on, promised_due__gte=on, escalation=Escalation.NONE)
                   .values_list("pk", flat=True))
    done = {"breached": 0, "at_risk": 0}
    for name, ids, action in (("breached", breached, PartAction.BREACH), ("at_risk", at_risk, PartAction.AT_RISK)):
        for pk in ids:
            try:
                part_transition(actor=None, part_id=pk, action=action)
                done[name] += 1
            except Conflict:  # closed meanwhile
                continue
    done["specialists"] = specialists_assign()
    return done


# -- 服务专员 ----------------------------------------------------------------------------------------------------------


def _coverage(specialist: Specialist) -> list[str]:
    from rencai.accounts.permissions import jurisdiction_codes

    user = specialist.user
    if user.is_administrator or user.department is None:
        return []
    return jurisdiction_codes(user)


def specialists_assign(*, talent_ids: list[int] | None = None, actor: User | None = None) -> int:
    """Give every A, B, C talent without a specialist one (only ``talent_ids`` when given): the active specialist
    whose jurisdiction holds the talent's district and who serves the fewest talents (ties: the lower id).
    Set-based: one read of the loads, one of the talents, one insert. Safe to run twice and at once (one
    assignment per talent, by the constraint). Returns how many were assigned."""
    specialists = list(Specialist.objects.filter(active=True, user__is_active=True)
                       .select_related("user", "user__department").annotate(load=Count("assignments")))
    if not specialists:
        return 0
    by_district: dict[str, list] = {}
    heaps: dict[int, list] = {}
    for sp in specialists:
        for code in _coverage(sp):
            by_district.setdefault(code, []).append(sp.pk)
    loads = {sp.pk: sp.load for sp in specialists}
    talents = Talent.objects.filter(talent_category__in=HIGH_LEVEL, specialist_assignment__isnull=True)
    if talent_ids is not None:
        talents = talents.filter(pk__in=talent_ids)
    rows, now = [], timezone.now()
    for talent_id, district in talents.order_by("pk").values_list("pk", "district_id").iterator(chunk_size=5000):
        candidates = by_district.get(district)
        if not candidates:
            continue
        key = tuple(candidates)
        heap = heaps.get(id(candidates))
        if heap is None:
            heap = heaps[id(candidates)] = [(loads[pk], pk) for pk in key]
            heapq.heapify(heap)
        # The heap may hold a stale load for a specialist shared with another jurisdiction: take the true one.
        while True:
            load, pk = heapq.heappop(heap)
            if load == loads[pk]:
                break
            heapq.heappush(heap, (loads[pk], pk))
        loads[pk] += 1
        heapq.heappush(heap, (loads[pk], pk))
        rows.append(SpecialistAssignment(talent_id=talent_id, specialist_id=pk, assigned_at=now, assigned_by=actor))
    if not rows:
        return 0
    with transaction.atomic():
        created = SpecialistAssignment.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
        AssignmentChange.objects.bulk_create(
            [AssignmentChange(talent_id=r.talent_id, to_specialist_id=r.specialist_id, by=actor, at=now,
                              reason="自动分配（均衡工作量）") for r in rows], batch_size=2000)
    return len(created)


def specialist_assign_on_recognition(talent_id: int) -> None:
    """After a talent is recognised A, B or C (recognition calls it after the commit)."""
    try:
        specialists_assign(talent_ids=[talent_id])
    except Exception:  # never undo or fail a recognition for this; the daily check assigns it later
        logger.exception("服务专员自动分配失败：%s", talent_id)


def specialist_reassign(*, actor: User, talent_id, specialist_id, reason: str) -> SpecialistAssignment:
    """A supervisor gives the talent another specialist (serving the talent's district), with the reason."""
    if not is_supervisor(actor):
        raise PermissionDenied("只有督办人员可以调整服务专员")
    reason = _text(reason, field="reason", label="调整原因", required=True, limit=300)
    talent = Talent.objects.filter(talent_scope_q(actor), pk=_int(talent_id) or 0).first()
    if talent is None:
        raise NotFound()
    specialist = Specialist.objects.filter(pk=_int(specialist_id) or 0, active=True).select_related(
        "user", "user__department").first()
    if specialist is None or talent.district_id not in _coverage(specialist):
        raise ValidationFailed([FieldError("specialist", "请选择负责该人才所在区县的在岗服务专员")])
    with transaction.atomic():
        current = SpecialistAssignment.objects.select_for_update().filter(talent=talent).first()
        if current is not None and current.specialist_id == specialist.pk:
            raise Conflict("该人才的服务专员已是所选人员", code="unchanged")
        previous = current.specialist_id if current else None
        assignment, _ = SpecialistAssignment.objects.update_or_create(
            talent=talent, defaults={"specialist": specialist, "assigned_at": timezone.now(), "assigned_by": actor})
        AssignmentChange.objects.create(talent=talent, from_specialist_id=previous, to_specialist=specialist,
                                        by=actor, at=timezone.now(), reason=reason)
        audit_record(actor=actor, action=AuditAction.SERVICES, obj=talent, object_type="services.specialist",
                     object_id=talent.pk, summary=f"调整服务专员为{specialist.user}：{reason[:200]}")
        notify(recipients=[specialist.user_id, talent.user_id], kind="services_specialist",
               title=f"服务专员调整：{talent.name}的服务专员为{specialist.user}", body=reason,
               link="/services/specialist/" if talent.user_id is None else "/services/mine/",
               key=f"services-specialist:{talent.pk}:{assignment.assigned_at.timestamp()}")
    return assignment


def message_send(*, actor: User, talent_id, body: str) -> Message:
    """A talent writes to their specialist, or the specialist to the talent; the other is told (inbox)."""
    body = _text(body, field="body", label="留言内容", required=True, limit=MAX_MESSAGE)
    talent = Talent.objects.filter(pk=_int(talent_id) or 0).select_related("specialist_assignment__specialist").first()
    assignment = getattr(talent, "specialist_assignment", None) if talent else None
    if talent is None:
        raise NotFound()
    if assignment is None:
        raise Conflict("尚未为您分配服务专员", code="no_specialist")
    specialist_user = assignment.specialist.user_id
    if actor.pk == talent.user_id:
        recipient, link = specialist_user, f"/services/specialist/talents/{talent.pk}/"
    elif actor.pk == specialist_user:
        recipient, link = talent.user_id, "/services/mine/"
    else:
        raise PermissionDenied("只有人才本人和其服务专员可以在此留言")
    with transaction.atomic():
        message = Message.objects.create(talent=talent, sender=actor, body=body, written_at=timezone.now())
        notify(recipients=[recipient], kind="services_message", title=f"{actor_label(actor)}给您留言",
               body=body[:200], link=link, key=f"services-message:{message.pk}")
    return message
