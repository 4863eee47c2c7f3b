"""Writes of 政策咨询, 好差评 and 监督反馈, each owning its transaction.

- ``consultation_ask`` / ``consultation_transition`` (the one way a question changes: answered, published as an
  FAQ, taken down);
- ``rating_give``: one rating per finished item and round (a unique constraint); a 差评 opens a follow-up case;
- ``complaint_file``: a complaint about a department, a person or an item, opened as a case;
- ``case_transition``: the one way a case changes (回访, 办结);
- ``feedback_check``: daily, on the worker's schedule — flips the deadline state of cases past their call-back
  or resolution day and tells their supervisors (and the one above), and reminds departments of questions
  past their answer day.

Deadlines are working days (rencai.workdays). None of the five documents sets how long a question may wait:
``CONSULTATION_DAYS`` is the office's example. The call-back within one working day and the resolution within
15 are issue 9's."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import Department, User
from rencai.accounts.permissions import talent_scope_q
from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from rencai.fulfilment.selectors import department_keywords
from rencai.fulfilment.services import _int  # a record id from a form or URL: the same parsing as 政策兑现's
from rencai.talents.models import Talent
from rencai.workdays import add_working_days

from . import subjects
from .enums import (
    POOR_GRADES,
    AboutKind,
    CaseAction,
    CaseKind,
    CaseStatus,
    ConsultationAction,
    ConsultationStatus,
    DeadlineState,
    Grade,
)
from .models import Case, CaseEvent, Consultation, ConsultationEvent, Rating
from .supervisors import departments_above, supervisor_for, supervisors_q

CONSULTATION_DAYS = 5  # the office's example: no document sets it
CALLBACK_DAYS = 1
RESOLVE_DAYS = 15
MAX_TEXT = 1000
MAX_COMMENT = 500
GENERAL_ROUTE = "standard"  # a question about no policy goes where the standard route begins (区人社局)


# -- helpers ---------------------------------------------------------------------------------------------------


def today():
    return timezone.localdate()


def _text(value, *, field: str, label: str, required: bool = True, limit: int = MAX_TEXT) -> tuple[str, list]:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        return "", [FieldError(field, f"请填写{label}")]
    if len(text) > limit:
        return text, [FieldError(field, f"{label}不能超过{limit}字")]
    return text, []


def notify(**kwargs) -> None:
    from rencai.notifications import services as notifications_services

    notifications_services.notify(**kwargs)


def _talent_of(actor: User) -> Talent:
    if not (actor.is_authenticated and actor.role == Role.TALENT):
        raise PermissionDenied("只有人才本人可以提出咨询、评价和监督反馈")
    talent = Talent.objects.filter(user=actor).first()
    if talent is None:
        raise NotFound("您的账号尚未关联人才档案，请先联系所在区人社部门登记")
    return talent


def _denied(actor: User, what: str, object_type: str, object_id) -> PermissionDenied:
    message = f"{what}须由承办部门的工作人员办理"
    if actor is not None and getattr(actor, "is_authenticated", False):
        audit_record(actor=actor, action=AuditAction.DENIED, object_type=object_type, object_id=object_id,
                     summary=f"越权操作被拒绝：{message}"[:500])
    return PermissionDenied(message)


# -- personal data in what is published ---------------------------------------------------------------------------

# What looks like a personal number: an ID number (18 or 15 digits), a mobile or fixed-line phone, a bank card, a
# passport number, an e-mail address. Long digit runs are caught whatever their separators.
PERSONAL_PATTERNS = [
    ("身份证号码", re.compile(r"(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}[01]\d[0-3]\d\d{3}[\dXx](?![0-9A-Za-z])")),
    ("身份证号码", re.compile(r"(?<!\d)\d{15}(?!\d)")),
    ("手机号码", re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")),
    ("电话号码", re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)")),
    ("银行卡号", re.compile(r"(?<!\d)\d{16,19}(?!\d)")),
    ("护照号码", re.compile(r"(?<![A-Za-z0-9])[EeGgPpDdSs][A-Za-z]?\d{7,8}(?![A-Za-z0-9])")),
    ("电子邮箱", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("号码", re.compile(r"\d(?:[\s-]?\d){10,}")),
]
MASK = "＊＊＊"


def personal_data_found(text: str, *, names: list[str] = ()) -> list[str]:
    """What in ``text`` looks like a person's name (one of ``names``) or personal number: the kinds found."""
    found = [label for label, pattern in PERSONAL_PATTERNS if pattern.search(text or "")]
    found += ["姓名" for name in names if name and len(name) >= 2 and name in (text or "")]
    return list(dict.fromkeys(found))


def anonymise(text: str, *, names: list[str] = ()) -> str:
    """``text`` with names and what looks like personal numbers replaced (the FAQ's suggested wording)."""
    for name in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        text = text.replace(name, "咨询人")
    for _label, pattern in PERSONAL_PATTERNS:
        text = pattern.sub(MASK, text)
    return text


def consultation_names(consultation: Consultation) -> list[str]:
    """The names a published question must not carry: the talent's and the answerer's."""
    names = [consultation.talent.name]
    if consultation.answered_by_id:
        answerer = consultation.answered_by
        names += [answerer.display_name, answerer.get_full_name()]
    return [n for n in names if n]


# -- 政策咨询 -----------------------------------------------------------------------------------------------------


def consultation_route(policy_id: str) -> tuple[str, str, str]:
    """(policy title, department word, level) of a question: a policy's question goes to the department that
    receives its applications (the first step of its 政策兑现 route, fulfilment.routes); a general one to the
    standard route's first step."""
    from rencai.fulfilment.routes import policy_setting, shipped

    if not policy_id:
        step = shipped()["routes"][GENERAL_ROUTE][0]
        return "", step["department"], step["level"]
    from rencai.policies.calculator import default_catalog

    policy = default_catalog().policies.get(policy_id)
    if policy is None:
        raise ValidationFailed([FieldError("policy", "咨询政策：没有这项政策，请从列表中选择")])
    step = policy_setting(policy_id).route[0]
    return policy.title, step["department"], step["level"]


def consultation_answerers(consultation: Consultation) -> list[User]:
    """Staff of the consultation's department at its level with the talent in their jurisdiction."""
    staff = User.objects.filter(role=Role.STAFF, is_active=True, department__name__contains=consultation.department
                                ).select_related("department")
    return [u for u in staff if may_answer(u, consultation)]


def may_answer(user: User, consultation: Consultation) -> bool:
    """Staff of the department the question went to, at its level (as a 政策兑现 step's department: fulfilment's
    ``department_keywords``), with the talent in their jurisdiction; administrators."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_administrator:
        return True
    keywords, level = department_keywords(user)
    return (consultation.department in keywords and level == consultation.level
            and Talent.objects.filter(talent_scope_q(user), pk=consultation.talent_id).exists())


@transaction.atomic
def consultation_ask(*, actor: User, question, policy_id: str = "") -> Consultation:
    talent = _talent_of(actor)
    text, errors = _text(question, field="question", label="咨询内容")
    policy_id = (policy_id or "").strip()[:80]
    try:
        title, department, level = consultation_route(policy_id)
    except ValidationFailed as failed:
        errors += failed.errors
    if errors:
        raise ValidationFailed(errors)
    now = timezone.now()
    consultation = Consultation.objects.create(
        talent=talent, asked_by=actor, policy=policy_id, policy_title=title, question=text,
        department=department, level=level, asked_at=now,
        due_on=add_working_days(timezone.localdate(now), CONSULTATION_DAYS))
    ConsultationEvent.objects.create(consultation=consultation, action=ConsultationAction.ASK, actor=actor, at=now)
    notify(recipients=consultation_answerers(consultation), kind="feedback_question",
           title=f"新的政策咨询：{title or '综合咨询'}",
           body=f"咨询 {consultation.number} 请于{consultation.due_on:%Y年%m月%d日}前答复。",
           link=f"/feedback/questions/{consultation.pk}/", key=f"feedback-question:{consultation.pk}")
    return consultation


def _consultation_lock(consultation_id) -> Consultation:
    consultation = (Consultation.objects.select_for_update().filter(pk=_int(consultation_id) or 0).first())
    if consultation is None:
        raise NotFound()
    return consultation


def consultation_transition(*, actor: User, consultation_id, action: str, answer: str = "", faq_question: str = "",
                            faq_answer: str = "") -> Consultation:
    """The one way a question changes: ANSWER (open → answered), PUBLISH (an answered one as an FAQ, its words
    checked free of names and personal numbers), UNPUBLISH. Only the department it went to (or an
    administrator); anyone else 403, logged (permission is checked before the state, outside the transaction
    so that the log entry stays)."""
    consultation = Consultation.objects.filter(pk=_int(consultation_id) or 0).first()
    if consultation is None or not Consultation.objects.filter(
            pk=consultation.pk, talent__in=Talent.objects.filter(talent_scope_q(actor))).exists():
        raise NotFound()
    if not may_answer(actor, consultation):
        raise _denied(actor, "答复和发布咨询", "feedback.consultation", consultation.pk)
    with transaction.atomic():
        return _consultation_act(actor, _consultation_lock(consultation.pk), action, answer, faq_question,
                                 faq_answer)


def _consultation_act(actor: User, consultation: Consultation, action: str, answer: str, faq_question: str,
                      faq_answer: str) -> Consultation:
    now = timezone.now()
    if action == ConsultationAction.ANSWER:
        if consultation.status != ConsultationStatus.OPEN:
            raise Conflict("该咨询已经答复，不能重复答复")
        text, errors = _text(answer, field="answer", label="答复内容")
        if errors:
            raise ValidationFailed(errors)
        consultation.status, consultation.answer = ConsultationStatus.ANSWERED, text
        consultation.answered_by, consultation.answered_at = actor, now
        consultation.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        if consultation.talent.user_id:
            notify(recipients=[consultation.talent.user_id], kind="feedback_answered",
                   title=f"您的咨询已答复：{consultation.policy_title or '综合咨询'}",
                   body="请查看答复，并可对本次答复进行评价。", link=f"/feedback/questions/{consultation.pk}/",
                   key=f"feedback-answered:{consultation.pk}")
    elif action == ConsultationAction.PUBLISH:
        if consultation.status != ConsultationStatus.ANSWERED:
            raise Conflict("尚未答复的咨询不能发布为常见问题")
        question_text, errors = _text(faq_question, field="faq_question", label="公开的问题")
        answer_text, more = _text(faq_answer, field="faq_answer", label="公开的答复")
        errors += more
        names = consultation_names(consultation)
        for field, label, text in (("faq_question", "公开的问题", question_text),
                                   ("faq_answer", "公开的答复", answer_text)):
            found = personal_data_found(text, names=names)
            if found:
                errors.append(FieldError(field, f"{label}中含有{'、'.join(found)}，请删除后再发布"))
        if errors:
            raise ValidationFailed(errors)
        consultation.faq_published, consultation.faq_published_at = True, now
        consultation.faq_question, consultation.faq_answer = question_text, answer_text
        consultation.save(update_fields=["faq_published", "faq_published_at", "faq_question", "faq_answer"])
    elif action == ConsultationAction.UNPUBLISH:
        if not consultation.faq_published:
            raise Conflict("该咨询未发布为常见问题")
        consultation.faq_published = False
        consultation.save(update_fields=["faq_published"])
    else:
        raise ValidationFailed([FieldError("action", "操作：请选择答复或发布")])
    ConsultationEvent.objects.create(consultation=consultation, action=action, actor=actor, at=now)
    return consultation


# -- 好差评 -----------------------------------------------------------------------------------------------------


def _subject_of(actor: User, kind: str, subject_id) -> tuple[Talent, subjects.Subject]:
    talent = _talent_of(actor)
    if kind not in subjects.KINDS:
        raise ValidationFailed([FieldError("subject", "评价事项：请从列表中选择要评价的事项")])
    subject = subjects.get(kind, _int(subject_id) or 0)
    if subject is None or subject.talent_id != talent.pk:
        raise NotFound("未找到该事项，或该事项不是您本人的")
    return talent, subject


def rating_round(subject: subjects.Subject) -> int:
    """The round the next rating of ``subject`` would be, or a Conflict saying why there is none: rated once;
    again only after the 差评's follow-up case is resolved."""
    last = (Rating.objects.filter(subject_kind=subject.kind, subject_id=subject.id).order_by("-round")
            .select_related("case").first())
    if last is None:
        return 1
    case = getattr(last, "case", None) if last.grade in POOR_GRADES else None
    if case is None:
        raise Conflict("该事项已经评价过，不能重复评价")
    if case.status != CaseStatus.RESOLVED:
        raise Conflict("您的差评正在回访处理中，办结后才能再次评价")
    return last.round + 1


@transaction.atomic
def rating_give(*, actor: User, subject_kind: str, subject_id, grade: str, comment: str = "") -> Rating:
    """Rate a finished item once (again after a 差评's case is resolved, kept beside the first). A 差评 opens a
    follow-up case for a supervisor of the rated person's department, never the person rated."""
    errors = []
    if grade not in Grade.values:
        errors.append(FieldError("grade", "评价等级：请选择非常满意、满意、基本满意、不满意或非常不满意"))
    text, more = _text(comment, field="comment", label="评价意见", required=grade in POOR_GRADES,
                       limit=MAX_COMMENT)
    if more and grade in POOR_GRADES and not text:
        more = [FieldError("comment", "评价意见：差评请写明不满意的原因")]
    errors += more
    try:
        talent, subject = _subject_of(actor, subject_kind, subject_id)
    except ValidationFailed as failed:  # every problem at once
        raise ValidationFailed(failed.errors + errors) from None
    if errors:
        raise ValidationFailed(errors)
    if not subject.finished:
        raise Conflict(subject.unfinished_reason)
    round_ = rating_round(subject)
    now = timezone.now()
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                subject_kind=subject.kind, subject_id=subject.id, round=round_, subject_title=subject.title[:200],
                talent=talent, rater=actor, grade=grade, comment=text, person_id=subject.person_id,
                department_id=subject.department_id, created_at=now)
    except IntegrityError:  # the same rating sent twice at once: one is kept
        raise Conflict("该事项已经评价过，不能重复评价") from None
    if grade in POOR_GRADES:
        _case_open(kind=CaseKind.FOLLOW_UP, talent=talent, filed_by=actor, rating=rating,
                   about_kind=AboutKind.ITEM, subject=subject, department_id=subject.department_id,
                   person_id=subject.person_id,
                   text=f"{rating.get_grade_display()}：{text}")
    return rating


# -- 监督反馈 and the cases -------------------------------------------------------------------------------------


def _case_open(*, kind: str, talent: Talent, filed_by: User, about_kind: str, text: str, department_id=None,
               person_id=None, subject: subjects.Subject | None = None, rating: Rating | None = None) -> Case:
    department = Department.objects.select_related("region").filter(pk=department_id).first()
    assignee, how = supervisor_for(department, concerned=person_id)
    now = timezone.now()
    day = timezone.localdate(now)
    case = Case.objects.create(
        kind=kind, talent=talent, filed_by=filed_by, rating=rating, about_kind=about_kind,
        subject_kind=subject.kind if subject else "", subject_id=subject.id if subject else None,
        subject_title=subject.title[:200] if subject else "", about_department=department,
        about_person_id=person_id, text=text, assignee=assignee, assigned_how=how[:120], opened_at=now,
        callback_due=add_working_days(day, CALLBACK_DAYS), resolve_due=add_working_days(day, RESOLVE_DAYS))
    CaseEvent.objects.create(case=case, action=CaseAction.OPEN, to_status=CaseStatus.OPEN, actor=filed_by, at=now,
                             note=f"分派给{assignee}（{how}）")
    notify(recipients=[assignee], kind="feedback_case", title=f"新的{case.get_kind_display()}：{case.number}",
           body=f"请于{case.callback_due:%Y年%m月%d日}前回访，{case.resolve_due:%Y年%m月%d日}前办结。",
           link=f"/feedback/cases/{case.pk}/", key=f"feedback-case:{case.pk}")
    return case


def complaint_targets(talent: Talent) -> dict:
    """What a talent may complain about: their items (each with who handled it), the people who handled them,
    and every department."""
    items = [s for s in subjects.of_talent(talent.pk)]
    person_ids = {s.person_id for s in items if s.person_id}
    people = list(User.objects.filter(pk__in=person_ids).select_related("department").order_by("pk"))
    departments = list(Department.objects.select_related("region").order_by("region_id", "name"))
    return {"items": items, "people": people, "departments": departments}


@transaction.atomic
def complaint_file(*, actor: User, about_kind: str, text: str, department_id=None, person_id=None,
                   subject_kind: str = "", subject_id=None) -> Case:
    """A complaint (监督反馈) about a department, a person who handled one of the talent's items, or an item; it
    goes to a supervisor as a 差评 does, never to the person it is about."""
    talent = _talent_of(actor)
    body, errors = _text(text, field="text", label="反映内容")
    subject = None
    department, person = None, None
    if about_kind == AboutKind.DEPARTMENT:
        department = Department.objects.filter(pk=_int(department_id) or 0).first()
        if department is None:
            errors.append(FieldError("about_department", "涉及部门：请从列表中选择部门"))
    elif about_kind == AboutKind.PERSON:
        handlers = {s.person_id for s in subjects.of_talent(talent.pk) if s.person_id}
        person = User.objects.filter(pk=_int(person_id) or 0, pk__in=handlers).select_related("department").first()
        if person is None:
            errors.append(FieldError("about_person", "涉及人员：请从为您办理过事项的工作人员中选择"))
        else:
            department = person.department
    elif about_kind == AboutKind.ITEM:
        if subject_kind in subjects.KINDS:
            subject = subjects.get(subject_kind, _int(subject_id) or 0)
        if subject is None or subject.talent_id != talent.pk:
            subject = None
            errors.append(FieldError("subject", "反映事项：请从您办理过的事项中选择"))
        else:
            department = Department.objects.filter(pk=subject.department_id).first()
            person = User.objects.filter(pk=subject.person_id).first()
    else:
        errors.append(FieldError("about_kind", "反映对象：请选择部门、工作人员或办理事项"))
    if errors:
        raise ValidationFailed(errors)
    return _case_open(kind=CaseKind.COMPLAINT, talent=talent, filed_by=actor, about_kind=about_kind, text=body,
                      department_id=department.pk if department else None, person_id=person.pk if person else None,
                      subject=subject)


def may_handle(user: User, case: Case) -> bool:
    """The assignee, or an administrator who is not the person the case is about."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.pk == case.about_person_id:
        return False
    return user.pk == case.assignee_id or user.is_administrator


def case_transition(*, actor: User, case_id, action: str, note: str = "") -> Case:
    """The one way a case changes: CALL_BACK (open → called back, what was said) and RESOLVE (called back →
    resolved, the result the talent reads; a follow-up's talent may then rate again). Only the assignee (or
    an administrator who is not the person concerned); anyone else who sees the case 403, logged."""
    from . import selectors

    case = selectors.cases_visible(actor).filter(pk=_int(case_id) or 0).first()
    if case is None:
        raise NotFound()
    if not may_handle(actor, case):
        audit_record(actor=actor, action=AuditAction.DENIED, object_type="feedback.case", object_id=case.pk,
                     summary="越权操作被拒绝：回访和办结须由承办主管办理")
        raise PermissionDenied("回访和办结须由承办主管办理" if actor.pk != case.about_person_id
                               else "本案件涉及您本人，须由其他主管办理")
    with transaction.atomic():
        return _case_act(actor, Case.objects.select_for_update().get(pk=case.pk), action, note)


def _case_act(actor: User, case: Case, action: str, note: str) -> Case:
    moves = {CaseAction.CALL_BACK: (CaseStatus.OPEN, CaseStatus.CALLED_BACK, "回访情况", "callback_note"),
             CaseAction.RESOLVE: (CaseStatus.CALLED_BACK, CaseStatus.RESOLVED, "处理结果", "resolution")}
    if action not in moves:
        raise ValidationFailed([FieldError("action", "操作：请选择回访或办结")])
    source, target, label, field = moves[action]
    text, errors = _text(note, field=field, label=label)
    if case.status != source:
        if action == CaseAction.RESOLVE and case.status == CaseStatus.OPEN:
            raise Conflict("请先回访，再办结")
        raise Conflict(f"该案件{case.get_status_display()}，不能{CaseAction(action).label}")
    if errors:
        raise ValidationFailed(errors)
    now = timezone.now()
    fields = ["status", field]
    setattr(case, field, text)
    case.status = target
    if action == CaseAction.CALL_BACK:
        case.called_back_at = now
        fields.append("called_back_at")
    else:
        case.resolved_at = now
        fields.append("resolved_at")
    case.save(update_fields=fields)
    CaseEvent.objects.create(case=case, action=action, from_status=source, to_status=target, actor=actor, at=now,
                             note=text)
    if action == CaseAction.RESOLVE and case.talent.user_id:
        again = "您可以对该事项再次评价。" if case.kind == CaseKind.FOLLOW_UP else ""
        notify(recipients=[case.talent.user_id], kind="feedback_resolved",
               title=f"您的{case.get_kind_display()}已办结：{case.number}", body=f"处理结果：{text}。{again}",
               link="/feedback/", key=f"feedback-resolved:{case.pk}")
    return case


# -- the daily check ------------------------------------------------------------------------------------------


def feedback_check() -> dict[str, int]:
    """Daily (`rencai feedback_check`, on the worker's schedule): flip the deadline state of cases past their
    call-back or resolution day (once each), tell the assignee and the supervisors of the department above;
    remind departments of questions past their answer day (once each). Safe to run twice."""
    on = today()
    flipped = 0
    late = [(CaseStatus.OPEN, "callback_due", DeadlineState.CALLBACK_LATE, "回访"),
            (CaseStatus.CALLED_BACK, "resolve_due", DeadlineState.RESOLVE_LATE, "办结"),
            (CaseStatus.OPEN, "resolve_due", DeadlineState.RESOLVE_LATE, "办结")]
    for status, due_field, state, word in late:
        rows = (Case.objects.filter(status=status, **{f"{due_field}__lt": on})
                .exclude(deadline_state=state).select_related("about_department__region"))
        if state == DeadlineState.CALLBACK_LATE:
            rows = rows.exclude(deadline_state=DeadlineState.RESOLVE_LATE)
        for case in list(rows):
            with transaction.atomic():
                if not Case.objects.filter(pk=case.pk, status=status).exclude(deadline_state=state).update(
                        deadline_state=state):
                    continue
                due = getattr(case, due_field)
                CaseEvent.objects.create(case=case, action=CaseAction.ESCALATE, from_status=status, to_status=status,
                                         at=timezone.now(), note=f"已超过{word}期限（{due:%Y年%m月%d日}）")
                above = []
                if case.about_department is not None:
                    for dept in departments_above(case.about_department):
                        above += list(User.objects.filter(supervisors_q(), department=dept)
                                      .exclude(pk=case.about_person_id or 0).distinct())
                notify(recipients=[case.assignee_id, *[u.pk for u in above]], kind="feedback_case_late",
                       title=f"{case.get_kind_display()}{case.number}已超过{word}期限",
                       body=f"{word}期限为{due:%Y年%m月%d日}，请尽快办理。", link=f"/feedback/cases/{case.pk}/",
                       key=f"feedback-case-late:{case.pk}:{state}")
                flipped += 1
    reminded = 0
    for consultation in list(Consultation.objects.filter(status=ConsultationStatus.OPEN, due_on__lt=on)):
        notify(recipients=consultation_answerers(consultation), kind="feedback_question_late",
               title=f"咨询{consultation.number}已超过答复期限",
               body=f"答复期限为{consultation.due_on:%Y年%m月%d日}，请尽快答复。",
               link=f"/feedback/questions/{consultation.pk}/", key=f"feedback-question-late:{consultation.pk}")
        reminded += 1
    return {"cases": flipped, "questions": reminded}
