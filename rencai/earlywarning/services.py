"""Writes of 决策预警, each owning its transaction.

- ``warnings_evaluate``: every active rule's evaluator (evaluators.py) over the registry — daily on the worker's
  schedule (`rencai warnings_check`), after a data-centre load (the 流失预警 rule) and, for one talent, after a
  change of their record recorded in the history (``talent_changed``). New subjects are raised once (a unique
  (rule, subject) row: twice, or twice at once, is one warning); open warnings whose condition no longer holds
  are resolved by the system, which says so in the history. The owners are told after the commit.
- ``warning_transition``: the one way a person moves a warning (确认处理, 已解决, 排除 with a reason): row-locked,
  a form shown before someone else acted is a 409 (by the warning's version).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed

from .enums import OPEN_STATES, PERSON_ACTIONS, TRANSITIONS, Action, RuleKind, State
from .evaluators import EVALUATORS, Evaluation, Hit
from .models import EarlyWarning, WarningEvent, WarningRule
from .params import params_check

logger = logging.getLogger("rencai.earlywarning")

MAX_REASON = 500
CHUNK = 2000  # keys per IN (…) list


def today() -> dt.date:
    return timezone.localdate()


def actor_label(actor: User | None) -> str:
    if actor is None:
        return "系统"
    name = actor.display_name or actor.get_username()
    department = getattr(actor, "department", None)
    return f"{department.name} {name}" if department is not None and actor.is_government else name


# --- evaluation --------------------------------------------------------------------------------------------------


def warnings_evaluate(*, on: dt.date | None = None, kinds=None, talent_ids=None) -> dict[str, dict]:
    """Evaluate the active rules (of ``kinds``; for ``talent_ids`` only, when given): {rule key: {"raised": n,
    "resolved": n, "holding": n}}. Each rule in its own transaction; a rule whose stored parameters no longer pass
    their check is skipped and logged. Safe to run twice, or twice at once."""
    on = on or today()
    rules = WarningRule.objects.filter(active=True).order_by("kind", "key")
    if kinds:
        rules = rules.filter(kind__in=list(kinds))
    result = {}
    for rule in rules:
        try:
            params = params_check(rule.kind, rule.params)
        except ValidationFailed as bad:
            logger.warning("earlywarning: rule %s skipped: %s", rule.key, bad.message)
            result[rule.key] = {"skipped": bad.message}
            continue
        evaluation = EVALUATORS[rule.kind](rule, params, on=on, talent_ids=talent_ids)
        run = uuid.uuid4().hex
        with transaction.atomic():
            raised = _raise(rule, evaluation.hits, run)
            resolved = _clear(rule, evaluation, talent_ids)
            if raised:
                transaction.on_commit(lambda rule_id=rule.pk, run=run: warnings_notify_raised(rule_id=rule_id,
                                                                                               run=run))
        result[rule.key] = {"raised": raised, "resolved": resolved, "holding": len(evaluation.hits)}
    return result


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _raise(rule: WarningRule, hits: list[Hit], run: str) -> int:
    by_key = {h.key: h for h in hits}
    existing: set[str] = set()
    for keys in _chunks(list(by_key)):
        existing |= set(EarlyWarning.objects.filter(rule=rule, subject_key__in=keys)
                        .values_list("subject_key", flat=True))
    now = timezone.now()
    new = [EarlyWarning(rule=rule, kind=rule.kind, subject_key=h.key, talent_id=h.talent_id, place_id=h.region_id,
                        title=h.title[:200], detail=h.detail, facts=h.facts, raised_at=now, run=run)
           for key, h in by_key.items() if key not in existing]
    if not new:
        return 0
    # The unique (rule, subject) constraint: what another evaluation raised a moment ago is skipped here, and the
    # rows this run wrote are found again by its token.
    EarlyWarning.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    mine = list(EarlyWarning.objects.filter(run=run).values_list("pk", flat=True))
    WarningEvent.objects.bulk_create(
        [WarningEvent(warning_id=pk, action=Action.RAISE, from_state="", to_state=State.OPEN, actor=None,
                      actor_label="系统", at=now, note=rule.name) for pk in mine], batch_size=1000)
    return len(mine)


def _clear(rule: WarningRule, evaluation: Evaluation, talent_ids) -> int:
    open_rows = EarlyWarning.objects.filter(rule=rule, state__in=OPEN_STATES)
    if talent_ids is not None:
        open_rows = open_rows.filter(talent_id__in=talent_ids)
    open_keys = dict(open_rows.values_list("subject_key", "pk"))
    if evaluation.clears is None:
        gone = set(open_keys) - {h.key for h in evaluation.hits}
    else:
        gone = set(open_keys) & evaluation.clears
    if not gone:
        return 0
    ids = [open_keys[k] for k in gone]
    now = timezone.now()
    done = 0
    for chunk in _chunks(ids):
        # locked, so a person acting on one of them at this moment either went first (then it is no longer
        # open here) or waits and finds it resolved (a 409)
        states = dict(EarlyWarning.objects.select_for_update().filter(pk__in=chunk, state__in=OPEN_STATES)
                      .values_list("pk", "state"))
        if not states:
            continue
        EarlyWarning.objects.filter(pk__in=list(states)).update(
            state=State.RESOLVED, closed_at=now, reason=evaluation.cleared_note[:MAX_REASON],
            version=F("version") + 1)
        WarningEvent.objects.bulk_create(
            [WarningEvent(warning_id=pk, action=Action.AUTO_RESOLVE, from_state=state, to_state=State.RESOLVED,
                          actor=None, actor_label="系统", at=now, note=evaluation.cleared_note[:MAX_REASON])
             for pk, state in states.items()], batch_size=1000)
        done += len(states)
    return done


def talent_changed(talent_id: int) -> None:
    """A talent's record changed in a way the history recorded (a move): evaluate the rules for that talent
    after the commit, in the background (safe to run twice)."""
    def enqueue():
        from . import tasks

        tasks.evaluate_talent.enqueue(talent_id)

    transaction.on_commit(enqueue, robust=True)


def facts_loaded() -> None:
    """A data-centre load finished: 流失预警 reads the 社保 facts, so evaluate it after the commit, in the
    background."""
    def enqueue():
        from . import tasks

        tasks.evaluate_kinds.enqueue([RuleKind.TALENT_LOSS.value])

    transaction.on_commit(enqueue, robust=True)


# --- owners and notifications --------------------------------------------------------------------------------


def owners_for(rule: WarningRule, codes) -> dict[str, list[int]]:
    """{region code: the ids of the rule's owners there}: active staff of a department named with the rule's
    word, at its level — the district's office for a district-level rule (the city's when the district has none),
    the city's for a city-level one (the province's when the city has none). One query."""
    codes = {c for c in codes if c}
    staff = list(User.objects.filter(role=Role.STAFF, is_active=True, department__name__contains=rule.department)
                 .values_list("pk", "department__region_id"))
    by_region: dict[str, list[int]] = defaultdict(list)
    for pk, region in staff:
        by_region[region].append(pk)
    owners = {}
    for code in codes:
        city, province = code[:4] + "00", code[:2] + "0000"
        order = [code, city, province] if rule.level == "district" else [city, province, code]
        owners[code] = next((by_region[c] for c in order if by_region.get(c)), [])
    return owners


def warnings_notify_raised(*, rule_id: int, run: str) -> None:
    """Tell each owner how many warnings of the rule this run raised in their place (one message each, once)."""
    from rencai.notifications.services import Message, notify_many

    rule = WarningRule.objects.get(pk=rule_id)
    rows = list(EarlyWarning.objects.filter(run=run).values_list("pk", "place_id", "talent__district_id", "title"))
    if not rows:
        return
    places = defaultdict(list)
    for pk, region, district, title in rows:
        places[region or district].append((pk, title))
    owners = owners_for(rule, places)
    per_user: dict[int, list] = defaultdict(list)
    for place, items in places.items():
        for user_id in owners.get(place, []):
            per_user[user_id] += items
    link = reverse("earlywarning:list")
    messages = []
    for user_id, items in per_user.items():
        if len(items) == 1:
            pk, title = items[0]
            messages.append(Message(recipient_id=user_id, title=f"决策预警：{rule.name}"[:200], body=title,
                                    link=reverse("earlywarning:detail", args=[pk]), key=f"earlywarning:{run}"))
        else:
            messages.append(Message(recipient_id=user_id, title=f"决策预警：{rule.name}新增{len(items)}条"[:200],
                                    body="；".join(t for _, t in items[:5]) + ("等" if len(items) > 5 else ""),
                                    link=f"{link}?kind={rule.kind}&state=open", key=f"earlywarning:{run}"))
    with transaction.atomic():
        notify_many(messages, kind="earlywarning")


# --- the one transition ------------------------------------------------------------------------------------------


def may_act(user: User, warning: EarlyWarning) -> bool:
    """The owners act on a warning: staff of a department named with the rule's word whose jurisdiction holds
    the warning's place (the talent's current district, or its region); administrators too. Leaders read."""
    from rencai.accounts.permissions import jurisdiction_codes

    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_administrator:
        return True
    if user.role != Role.STAFF or user.department is None or warning.rule.department not in user.department.name:
        return False
    codes = set(jurisdiction_codes(user))
    if warning.place_id and warning.place_id in codes:
        return True
    return bool(warning.talent_id) and warning.talent.district_id in codes


def _reason(value, action: str) -> str:
    text = str(value or "").strip()
    if action in (Action.RESOLVE, Action.DISMISS) and not text:
        what = "处理结果" if action == Action.RESOLVE else "排除的理由"
        raise ValidationFailed([FieldError("reason", f"请填写原因（{what}）")])
    if len(text) > MAX_REASON:
        raise ValidationFailed([FieldError("reason", f"原因不能超过{MAX_REASON}个字")])
    return text


def _version(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if not 1 <= number <= 2**31:
        raise ValidationFailed([FieldError("version", "页面已过期，请刷新后重试")])
    return number


def warning_transition(*, actor: User, warning_id, action: str, version=None, reason: str = "") -> EarlyWarning:
    """The one way a person moves a warning: 确认处理 (open → 处理中), 已解决 or 排除 (open or 处理中 → closed,
    with a reason). Not visible: 404; not an owner: 403 (logged); a state it does not start from, or a version
    someone else moved on: 409."""
    from .selectors import warning_pk, warnings_visible

    if action not in PERSON_ACTIONS:
        raise ValidationFailed([FieldError("action", "请选择处置操作：确认处理、已解决或排除")])
    expected = _version(version)
    note = _reason(reason, action)
    pk = warning_pk(warning_id)
    try:
        with transaction.atomic():
            warning = (warnings_visible(actor).select_for_update(of=("self",)).filter(pk=pk)
                       .select_related("rule", "talent").first())
            if warning is None:
                raise NotFound("未找到该预警，或不在您的管辖范围内")
            if not may_act(actor, warning):
                raise PermissionDenied(f"该预警由{warning.rule.department}（{warning.rule.get_level_display()}）处置")
            starts, ends = TRANSITIONS[action]
            if warning.state not in starts:
                raise Conflict(f"该预警当前为“{warning.get_state_display()}”，不能{Action(action).label}",
                               code="wrong_status")
            if expected is not None and expected != warning.version:
                raise Conflict("该预警刚刚已被他人处置，本次操作未生效，请刷新后查看", code="stale")
            before = warning.state
            now = timezone.now()
            warning.state = ends
            warning.version += 1
            fields = ["state", "version"]
            if ends in (State.RESOLVED, State.DISMISSED):
                warning.closed_at, warning.reason = now, note
                fields += ["closed_at", "reason"]
            warning.save(update_fields=fields)
            WarningEvent.objects.create(warning=warning, action=action, from_state=before, to_state=ends,
                                        actor=actor, actor_label=actor_label(actor), at=now, note=note)
            return warning
    except PermissionDenied as refused:
        audit_record(actor=actor, action=AuditAction.DENIED, object_type="earlywarning.earlywarning",
                     object_id=warning_id, summary=f"越权操作被拒绝：{refused.message}"[:500])
        raise


def rule_params_clean(kind: str, params) -> dict:
    """The admin form's check (a bad parameter is a Chinese error on the field)."""
    return params_check(kind, params)

