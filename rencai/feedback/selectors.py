"""Reads of 政策咨询, 好差评 and 监督反馈. Every list derived from talents is scoped through the talent's *current*
record (``scope_related``); a supervisor also sees the cases assigned to them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from rencai.accounts.enums import Role
from rencai.accounts.models import Department, User
from rencai.accounts.permissions import scope_related
from rencai.core.errors import NotFound, PermissionDenied

from . import subjects
from .enums import POOR_GRADES, CaseKind, CaseStatus, ConsultationStatus, Grade
from .models import Case, Consultation, Rating
from .supervisors import is_supervisor

SATISFIED_GRADES = (Grade.VERY_SATISFIED, Grade.SATISFIED, Grade.BASIC)


def _int(value) -> int:
    from rencai.fulfilment.services import _int as record_id

    return record_id(value) or 0


# -- 政策咨询 -----------------------------------------------------------------------------------------------------


def consultations_visible(user: User) -> QuerySet[Consultation]:
    if user.is_authenticated and user.role in (Role.EMPLOYER, Role.EXPERT, Role.AUDITOR):
        return Consultation.objects.none()
    return Consultation.objects.filter(scope_related(user, "talent"))


def consultation_get(*, user: User, consultation_id) -> Consultation:
    consultation = (consultations_visible(user).filter(pk=_int(consultation_id))
                    .select_related("talent", "answered_by", "answered_by__department").first())
    if consultation is None:
        raise NotFound()
    return consultation


def my_consultations(*, user: User) -> QuerySet[Consultation]:
    return Consultation.objects.filter(talent__user=user).select_related("answered_by").order_by("-asked_at", "-pk")


def consultation_queue(*, user: User, status: str = "open") -> QuerySet[Consultation]:
    """The questions waiting for the user's department (at its level) within the jurisdiction, the earliest
    deadline first; ``status`` "answered" lists the answered ones, "all" both."""
    from rencai.fulfilment.selectors import department_keywords

    if not (user.is_authenticated and (user.role == Role.STAFF or user.is_administrator)):
        raise PermissionDenied("只有政府工作人员可以答复政策咨询")
    rows = consultations_visible(user).select_related("talent", "answered_by")
    if not user.is_administrator:
        keywords, level = department_keywords(user)
        rows = rows.filter(department__in=keywords, level=level)
    if status in ConsultationStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("due_on", "asked_at", "pk") if status == ConsultationStatus.OPEN else \
        rows.order_by("-asked_at", "-pk")


def faq_for_policy(policy_id: str) -> QuerySet[Consultation]:
    """The published questions of a policy (public): only their anonymised words are read."""
    return (Consultation.objects.filter(policy=policy_id, faq_published=True)
            .only("pk", "faq_question", "faq_answer", "faq_published_at").order_by("-faq_published_at", "-pk"))


# -- 好差评 -----------------------------------------------------------------------------------------------------


@dataclass
class Rateable:
    subject: subjects.Subject
    ratings: list  # the ratings given, first round first
    may_rate: bool
    why_not: str  # why it cannot be rated now ("" when it can, or when rated and nothing more to do)
    next_round: int


def rateable(*, user: User) -> list[Rateable]:
    """The talent's items (applications, questions, service requests), each with its ratings and whether it can
    be rated now. A fixed number of queries whatever the count (one per kind, one for the ratings and cases)."""
    talent_id = user.talent.pk if user.is_authenticated and user.role == Role.TALENT and hasattr(user, "talent") \
        else None
    if talent_id is None:
        return []
    items = subjects.of_talent(talent_id)
    given: dict[tuple, list] = {}
    for rating in (Rating.objects.filter(talent_id=talent_id).select_related("case").order_by("round")):
        given.setdefault((rating.subject_kind, rating.subject_id), []).append(rating)
    rows = []
    for subject in items:
        ratings = given.get((subject.kind, subject.id), [])
        next_round, why = _next_round(ratings) if subject.finished else (0, subject.unfinished_reason)
        rows.append(Rateable(subject, ratings, bool(next_round), why, next_round))
    rows.sort(key=lambda r: (not r.may_rate, r.subject.kind, -r.subject.id))
    return rows


def _next_round(ratings: list[Rating]) -> tuple[int, str]:
    """A finished item's next rating round (0: none now) and why not: rated once; again only after the 差评's
    follow-up case is resolved (``ratings`` first round first, their cases read with them)."""
    last = ratings[-1] if ratings else None
    if last is None:
        return 1, ""
    case = getattr(last, "case", None) if last.grade in POOR_GRADES else None
    if case is not None and case.status == CaseStatus.RESOLVED:
        return last.round + 1, ""
    if case is not None:
        return 0, "您的差评正在回访处理中，办结后可以再次评价"
    return 0, ""


@dataclass
class RatingPanel:
    """What an item's own page shows its talent about 好差评: the form, or the ratings given (a 差评 with its
    case), or why it cannot be rated yet."""

    kind: str
    subject_id: int
    ratings: list
    may_rate: bool
    why_not: str
    grades: list


def rating_panel(*, user: User, kind: str, item, talent=None) -> RatingPanel | None:
    """For the page of ``item`` (a request, an application, a question, with its talent read; an application's
    step with ``talent`` given): None unless the viewer is the item's talent. Nothing is read for an unfinished
    item; one query otherwise (the ratings and their cases)."""
    talent = talent or item.talent
    if not (user.is_authenticated and user.role == Role.TALENT and talent.user_id == user.pk):
        return None
    reason = subjects.unfinished_reason(kind, item)
    ratings = [] if reason else list(ratings_of_subject(kind, item.pk).select_related("case"))
    next_round, why = _next_round(ratings) if not reason else (0, reason)
    return RatingPanel(kind, item.pk, ratings, bool(next_round), why, Grade.choices)


def finished_rating_panels(*, user: User, kind: str, items, talent) -> list[tuple[object, RatingPanel]]:
    """The panels of several items on one page (an application's steps), for the finished ones only (a step not
    yet taken has nothing to rate): (item, panel) pairs, one query per finished item; none for other viewers."""
    found = []
    for item in items:
        if not subjects.unfinished_reason(kind, item):
            panel = rating_panel(user=user, kind=kind, item=item, talent=talent)
            if panel is None:
                return []  # not the talent's page: the same for every item
            found.append((item, panel))
    return found


def ratings_of_subject(kind: str, subject_id: int) -> QuerySet[Rating]:
    return Rating.objects.filter(subject_kind=kind, subject_id=subject_id).order_by("round")


# -- cases -----------------------------------------------------------------------------------------------------


def cases_visible(user: User) -> QuerySet[Case]:
    """Administrators all; a talent their own; a supervisor the cases assigned to them and those about their
    department within their jurisdiction; nobody else."""
    if not (user.is_authenticated and user.is_active):
        return Case.objects.none()
    if user.is_administrator:
        return Case.objects.all()
    if user.role == Role.TALENT:
        return Case.objects.filter(talent__user=user)
    if is_supervisor(user):
        return Case.objects.filter(Q(assignee=user) | (Q(about_department_id=user.department_id)
                                                       & scope_related(user, "talent")))
    return Case.objects.filter(assignee=user)


def case_get(*, user: User, case_id) -> Case:
    case = (cases_visible(user).filter(pk=_int(case_id))
            .select_related("talent", "assignee", "about_person", "about_department", "rating").first())
    if case is None:
        raise NotFound()
    return case


def cases_queue(*, user: User, status: str = "pending") -> QuerySet[Case]:
    """A supervisor's cases: "pending" (not resolved, the earliest deadline first), "resolved" or "all"."""
    if not (is_supervisor(user) or user.is_administrator or
            (user.is_authenticated and Case.objects.filter(assignee=user).exists())):
        raise PermissionDenied("只有部门主管可以查看差评回访和监督反馈")
    rows = cases_visible(user).select_related("talent", "assignee", "about_person", "about_department")
    if status == "pending":
        return rows.exclude(status=CaseStatus.RESOLVED).order_by("callback_due", "resolve_due", "pk")
    if status == CaseStatus.RESOLVED:
        rows = rows.filter(status=CaseStatus.RESOLVED)
    return rows.order_by("-opened_at", "-pk")


def my_cases(*, user: User) -> QuerySet[Case]:
    return Case.objects.filter(talent__user=user).select_related("about_department", "about_person") \
        .order_by("-opened_at", "-pk")


# -- satisfaction ------------------------------------------------------------------------------------------------


def may_see_satisfaction(user: User) -> bool:
    return bool(user.is_authenticated and (user.role == Role.LEADER or user.is_administrator or is_supervisor(user)))


def satisfaction(*, user: User, by: str = "department") -> list[dict]:
    """Satisfaction and complaints per department (``by="department"``) or per person (``by="person"``: the
    people rated, e.g. a specialist), within the viewer's jurisdiction (the talents' current districts): every
    rating counted (a re-rating after a follow-up too), per grade, the share 满意 (非常满意, 满意, 基本满意), the
    差评, and the complaints. Read by the leaders' view (the talent-map issue). Three queries (and the viewer's
    jurisdiction, once per request)."""
    if not may_see_satisfaction(user):
        raise PermissionDenied("只有领导、部门主管和系统管理员可以查看满意度统计")
    key = "department_id" if by == "department" else "person_id"
    case_key = "about_department_id" if by == "department" else "about_person_id"
    counts = {g: Count("pk", filter=Q(grade=g)) for g in Grade.values}
    rows = {r[key]: r for r in Rating.objects.filter(scope_related(user, "talent"), **{f"{key}__isnull": False})
            .values(key).annotate(total=Count("pk"), **counts).order_by()}
    complaints = dict(Case.objects.filter(scope_related(user, "talent"), kind=CaseKind.COMPLAINT,
                                          **{f"{case_key}__isnull": False})
                      .values_list(case_key).annotate(n=Count("pk")).values_list(case_key, "n").order_by())
    ids = set(rows) | set(complaints)
    if by == "department":
        names = {d.pk: d.name for d in Department.objects.filter(pk__in=ids)}
    else:
        names = {u.pk: f"{u}（{u.department.name}）" if u.department_id else str(u)
                 for u in User.objects.filter(pk__in=ids).select_related("department")}
    table = []
    for pk in ids:
        row = rows.get(pk, {"total": 0, **{g: 0 for g in Grade.values}})
        total = row["total"]
        satisfied = sum(row[g] for g in SATISFIED_GRADES)
        table.append({"id": pk, "name": names.get(pk, ""), "total": total,
                      "grades": [row[g] for g in Grade.values], "satisfied": satisfied,
                      "rate": round(100 * satisfied / total, 1) if total else None,
                      "poor": sum(row[g] for g in POOR_GRADES), "complaints": complaints.get(pk, 0)})
    table.sort(key=lambda r: (-(r["poor"] + r["complaints"]), r["name"]))
    return table
