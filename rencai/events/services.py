"""Writes of 对接活动, each owning its transaction.

- ``event_create``: staff publish an event of their jurisdiction (every field checked, all problems at once).
- ``registration_create``: a talent (from their registry record) or an employer (its organization, a number of
  attendees) registers. Under the event's row lock: a cancelled event, a closed registration, a full event or a
  second registration is refused (409, nothing written), so twenty people at once for the last place are one
  registration and nineteen 409s; the database's unique constraints back the duplicate check.
- ``checkin_record``: staff of the event's district scan the registration's QR (its token URL); attendance is
  written once (a second scan answers when it was) and a talent's follow-up is created with it.
- ``walk_in_record``: a registry talent staff met at the event without registering: attended, followed up.
- ``followup_act``: the one way a person moves a follow-up — a contact note (the next step and due date may
  change), a reassignment to another staff of the district, or its close with an outcome; row-locked, and a form
  shown before someone else acted is a 409 (by the follow-up's version).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import jurisdiction_codes, require_staff, talent_scope_q
from rencai.core.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from rencai.core.parsing import FieldErrors, is_blank, optional_int, parse_choice
from rencai.workdays import add_working_days

from .enums import EventKind, EventStatus, FollowUpAction, FollowUpStatus
from .models import Event, FollowUp, FollowUpNote, Registration

FOLLOW_UP_DAYS = 5  # working days to the first contact (the office's example, not a document's figure)
FIRST_STEP = "电话联系，了解就业创业意向和服务需求"
MAX_ATTENDEES = 50
MAX_TEXT = 500


def _datetime(value, *, field: str, label: str, errors: FieldErrors) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if is_blank(value):
        errors.add(field, f"请填写{label}")
        return None
    text = str(value).strip().replace("T", " ").replace("/", "-")
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        errors.add(field, f"{label}“{value}”不是有效时间，请按 YYYY-MM-DD HH:MM 填写")
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _text(data: dict, key: str, *, label: str, limit: int, errors: FieldErrors, required: bool = True) -> str:
    text = str(data.get(key) or "").strip()
    if required and not text:
        errors.add(key, f"请填写{label}")
    elif len(text) > limit:
        errors.add(key, f"{label}不能超过{limit}个字")
    return text


def event_create(*, actor: User, data: dict) -> Event:
    """Publish an event. ``data`` as typed: kind (code or label), title, description, district (a code of the
    actor's jurisdiction), venue and/or online_link, starts_at, ends_at, capacity, registration_deadline,
    organizer (default: the actor's department)."""
    require_staff(actor)
    errors = FieldErrors()
    kind = parse_choice(data.get("kind"), EventKind, field="kind", label="活动类型", errors=errors)
    if not kind and not any(e.field == "kind" for e in errors):
        errors.add("kind", "请选择活动类型")
    title = _text(data, "title", label="活动名称", limit=120, errors=errors)
    description = _text(data, "description", label="活动介绍", limit=5000, errors=errors, required=False)
    venue = _text(data, "venue", label="活动地点", limit=200, errors=errors, required=False)
    link = _text(data, "online_link", label="线上参与链接", limit=300, errors=errors, required=False)
    if link and not link.startswith(("https://", "http://")):
        errors.add("online_link", "线上参与链接应以 https:// 开头")
    if not venue and not link:
        errors.add("venue", "请填写活动地点或线上参与链接")
    organizer = str(data.get("organizer") or "").strip() or (actor.department.name if actor.department_id else "")
    if not organizer:
        errors.add("organizer", "请填写主办部门")
    elif len(organizer) > 100:
        errors.add("organizer", "主办部门不能超过100个字")
    district = str(data.get("district") or "").strip()
    codes = None if actor.is_administrator else set(jurisdiction_codes(actor))
    from rencai.regions.models import Region, RegionLevel

    if not Region.objects.filter(code=district, level=RegionLevel.DISTRICT).exists() or (
            codes is not None and district not in codes):
        errors.add("district", "举办区县无效：请选择您管辖范围内的区县")
    starts = _datetime(data.get("starts_at"), field="starts_at", label="开始时间", errors=errors)
    ends = _datetime(data.get("ends_at"), field="ends_at", label="结束时间", errors=errors)
    deadline = _datetime(data.get("registration_deadline"), field="registration_deadline", label="报名截止时间",
                         errors=errors)
    if starts and ends and ends < starts:
        errors.add("ends_at", "结束时间不能早于开始时间")
    if deadline and ends and deadline > ends:
        errors.add("registration_deadline", "报名截止时间不能晚于活动结束时间")
    capacity = optional_int(str(data.get("capacity") or "").strip())
    if capacity is None or not 1 <= capacity <= 100000:
        errors.add("capacity", "名额应为1到100000之间的整数")
    if errors:
        raise ValidationFailed(list(errors))
    return Event.objects.create(kind=kind, title=title, description=description, district_id=district, venue=venue,
                                online_link=link, starts_at=starts, ends_at=ends, capacity=capacity,
                                registration_deadline=deadline, organizer=organizer, created_by=actor)


def seats_taken(event: Event) -> int:
    return (event.registrations.filter(walk_in=False).aggregate(n=Sum("attendees"))["n"] or 0)


def _new_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits: unguessable, and URL-safe for the QR code


def registration_create(*, actor: User, event_id, attendees=None) -> Registration:
    """Register ``actor`` for the event: a talent with their registry record (one seat), an employer with its
    organization (``attendees`` seats). Refused with a Chinese message and nothing written: another role (403),
    an event not published or past its deadline, a second registration, too few seats left (409)."""
    if actor.role == Role.TALENT:
        from rencai.talents.models import Talent

        talent = Talent.objects.filter(user=actor).first()
        if talent is None:
            raise PermissionDenied("您的账号尚未关联人才档案，请先完善档案后报名")
        who, seats = {"talent": talent}, 1
    elif actor.role == Role.EMPLOYER and actor.organization_id:
        seats = optional_int(str(attendees if attendees is not None else "1").strip())
        if seats is None or not 1 <= seats <= MAX_ATTENDEES:
            raise ValidationFailed([FieldError("attendees", f"参会人数应为1到{MAX_ATTENDEES}之间的整数")])
        who = {"organization_id": actor.organization_id}
    else:
        raise PermissionDenied("只有人才和用人单位可以报名参加活动")
    try:
        with transaction.atomic():
            event = Event.objects.select_for_update().filter(pk=optional_int(event_id) or 0).first()
            if event is None or event.status != EventStatus.PUBLISHED:
                raise NotFound("未找到该活动，或活动已取消")
            if timezone.now() > event.registration_deadline:
                raise Conflict(f"“{event.title}”报名已截止（截止时间 "
                               f"{timezone.localtime(event.registration_deadline):%Y-%m-%d %H:%M}）", code="closed")
            if event.registrations.filter(**who).exists():
                raise Conflict("您已报名该活动，不能重复报名", code="duplicate")
            left = event.capacity - seats_taken(event)
            if left < seats:
                raise Conflict("该活动名额已满，报名未成功" if left <= 0 else f"该活动仅剩{left}个名额，报名未成功",
                               code="full")
            return Registration.objects.create(event=event, attendees=seats, token=_new_token(), created_by=actor,
                                               **who)
    except IntegrityError as exc:  # the unique constraint: the same person's second registration at this moment
        raise Conflict("您已报名该活动，不能重复报名", code="duplicate") from exc


def require_event_staff(actor: User, event: Event) -> None:
    if not (actor.is_authenticated and (actor.is_administrator or (
            actor.role == Role.STAFF and event.district_id in jurisdiction_codes(actor)))):
        raise PermissionDenied("只有活动举办区县的工作人员可以登记签到")


def _follow_up_open(*, event: Event, talent_id: int, actor: User) -> FollowUp | None:
    """The talent's follow-up for this event, made once: owned by the event's creator — or, for a talent living
    outside the creator's jurisdiction, by the first staff member of the talent's district (the list is scoped by
    the talent's current district) —, due in FOLLOW_UP_DAYS working days. Inside the caller's transaction."""
    if FollowUp.objects.filter(event=event, talent_id=talent_id).exists():
        return None
    follow_up = FollowUp.objects.create(talent_id=talent_id, event=event, owner_id=_owner_for(event, talent_id),
                                        next_step=FIRST_STEP,
                                        due_on=add_working_days(timezone.localdate(), FOLLOW_UP_DAYS))
    FollowUpNote.objects.create(follow_up=follow_up, action=FollowUpAction.CREATE, actor=actor,
                                text=f"参加“{event.title}”后建立跟踪")
    return follow_up


def _owner_for(event: Event, talent_id: int) -> int:
    from rencai.talents.models import Talent

    district = Talent.objects.filter(pk=talent_id).values_list("district_id", flat=True).first()
    creator = event.created_by
    if creator.is_administrator or (creator.department_id and district in jurisdiction_codes(creator)):
        return creator.pk
    local = (User.objects.filter(role=Role.STAFF, is_active=True, department__region_id=district)
             .order_by("pk").values_list("pk", flat=True).first())
    return local or creator.pk


def registration_by_token(token: str) -> Registration | None:
    text = str(token or "").strip()
    if not text or len(text) > 64:
        return None
    return Registration.objects.select_related("event", "talent", "organization").filter(token=text).first()


def checkin_record(*, actor: User, token: str) -> tuple[Registration, bool]:
    """Record the attendance of the registration with this token: (registration, True) when recorded now,
    (registration, False) when it already was (the page says 已签到 with the time). Unknown token: 404; staff of
    another district: 403."""
    found = registration_by_token(token)
    if found is None:
        raise NotFound("签到码无效：未找到该报名")
    require_event_staff(actor, found.event)
    with transaction.atomic():
        registration = Registration.objects.select_for_update().select_related("event").get(pk=found.pk)
        if registration.checked_in_at is not None:
            return registration, False
        registration.checked_in_at, registration.checked_in_by = timezone.now(), actor
        registration.save(update_fields=["checked_in_at", "checked_in_by"])
        if registration.talent_id:
            _follow_up_open(event=registration.event, talent_id=registration.talent_id, actor=actor)
        return registration, True


def walk_in_record(*, actor: User, event_id, talent_id) -> Registration:
    """A registry talent met at the event without a registration: attended now, followed up. The talent must be
    within the actor's jurisdiction (404 otherwise); one already registered is checked in instead."""
    from rencai.talents.models import Talent

    event = Event.objects.filter(pk=optional_int(event_id) or 0).first()
    if event is None:
        raise NotFound("未找到该活动")
    require_event_staff(actor, event)
    talent = Talent.objects.filter(talent_scope_q(actor), pk=optional_int(talent_id) or 0).first()
    if talent is None:
        raise ValidationFailed([FieldError("talent", "请选择人才信息库中您管辖范围内的人才")])
    existing = Registration.objects.filter(event=event, talent=talent).first()
    if existing is not None:
        return checkin_record(actor=actor, token=existing.token)[0]
    try:
        with transaction.atomic():
            registration = Registration.objects.create(event=event, talent=talent, walk_in=True, token=_new_token(),
                                                       created_by=actor, checked_in_at=timezone.now(),
                                                       checked_in_by=actor)
            _follow_up_open(event=event, talent_id=talent.pk, actor=actor)
            return registration
    except IntegrityError as exc:
        raise Conflict("该人才刚刚已登记，请刷新后查看", code="duplicate") from exc


def _version(value) -> int | None:
    if value in (None, ""):
        return None
    number = optional_int(str(value).strip())
    if number is None or not 1 <= number <= 2**31:
        raise ValidationFailed([FieldError("version", "页面已过期，请刷新后重试")])
    return number


def followup_act(*, actor: User, followup_id, action: str, version=None, text: str = "", owner_id=None,
                 next_step: str = "", due_on=None) -> FollowUp:
    """The one way a person moves a follow-up (staff within the talent's current district):
    - ``note``: a contact logged (``text``), and the next step and due date, when given, replace the old;
    - ``reassign``: to ``owner_id``, an active staff member whose jurisdiction holds the talent's district;
    - ``close``: with its outcome (``text``), open → closed.
    Not visible: 404; a closed one: 409; a version someone else moved on: 409."""
    from .selectors import followups_visible

    require_staff(actor)
    if action not in FollowUpAction.values or action == FollowUpAction.CREATE:
        raise ValidationFailed([FieldError("action", "请选择操作：联系记录、转交或结束跟踪")])
    expected = _version(version)
    errors = FieldErrors()
    note = str(text or "").strip()
    if action in (FollowUpAction.NOTE, FollowUpAction.CLOSE) and not note:
        errors.add("text", "请填写联系情况" if action == FollowUpAction.NOTE else "请填写跟踪结果")
    elif len(note) > MAX_TEXT:
        errors.add("text", f"记录内容不能超过{MAX_TEXT}个字")
    step = str(next_step or "").strip()
    if len(step) > 200:
        errors.add("next_step", "下一步不能超过200个字")
    due = None
    if not is_blank(due_on):
        from rencai.core.parsing import parse_date

        due = parse_date(due_on, field="due_on", label="期限", errors=errors)
        if due is not None and due < timezone.localdate():
            errors.add("due_on", "期限不能早于今天")
    new_owner = None
    if action == FollowUpAction.REASSIGN:
        new_owner = User.objects.filter(pk=optional_int(owner_id) or 0, role=Role.STAFF, is_active=True).first()
        if new_owner is None:
            errors.add("owner", "请选择接手的工作人员")
    if errors:
        raise ValidationFailed(list(errors))
    with transaction.atomic():
        follow_up = (followups_visible(actor).select_for_update(of=("self",))
                     .filter(pk=optional_int(followup_id) or 0).select_related("talent").first())
        if follow_up is None:
            raise NotFound("未找到该跟踪事项，或不在您的管辖范围内")
        if follow_up.status != FollowUpStatus.OPEN:
            raise Conflict("该跟踪已结束，不能再操作", code="wrong_status")
        if expected is not None and expected != follow_up.version:
            raise Conflict("该跟踪刚刚已被他人处理，本次操作未生效，请刷新后查看", code="stale")
        fields = ["version"]
        follow_up.version += 1
        if action == FollowUpAction.NOTE:
            if step:
                follow_up.next_step = step
                fields.append("next_step")
            if due:
                follow_up.due_on = due
                fields.append("due_on")
        elif action == FollowUpAction.REASSIGN:
            if follow_up.talent.district_id not in jurisdiction_codes(new_owner):
                raise ValidationFailed([FieldError("owner", "接手的工作人员须管辖该人才现所在的区县")])
            note = f"转交给{new_owner.display_name or new_owner.get_username()}" + (f"：{note}" if note else "")
            follow_up.owner = new_owner
            fields.append("owner")
        else:
            follow_up.status, follow_up.outcome, follow_up.closed_at = FollowUpStatus.CLOSED, note, timezone.now()
            fields += ["status", "outcome", "closed_at"]
        follow_up.save(update_fields=fields)
        FollowUpNote.objects.create(follow_up=follow_up, action=action, actor=actor, text=note[:MAX_TEXT])
        return follow_up
