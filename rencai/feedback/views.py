"""Pages of 咨询与评价: the talent's questions, ratings and complaints; the departments' questions to answer; the
supervisors' follow-ups and complaints; satisfaction per department and person. Views read the request, call a
service or selector and render; a refused form is shown again with its errors (422), other refusals by the
error page with their status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from rencai.accounts.enums import Role
from rencai.core.confirm import confirm_first
from rencai.core.errors import PermissionDenied, ValidationFailed

from . import confirmations, selectors, services, subjects
from .enums import AboutKind, CaseAction, CaseStatus, ConsultationAction, ConsultationStatus, Grade
from .supervisors import is_supervisor

PAGE_SIZE = 50


def _beside(errors) -> dict:
    """Each refused field's message, shown beside the field (the summary at the top lists them all)."""
    return {e.field: str(e) for e in getattr(errors, "errors", None) or []}


def _policies() -> list[tuple[str, str]]:
    from rencai.policies.calculator import default_catalog

    return sorted(((p.id, p.title) for p in default_catalog().policies.values()), key=lambda p: p[1])


@login_required
def mine(request, errors=None, status: int = 200, rating_form=None):
    """The talent's page: questions asked, what can be rated, complaints and their outcome."""
    user = request.user
    if user.role != Role.TALENT:  # each other role to its own page of 咨询与评价, if it has one
        if is_supervisor(user) or user.is_administrator:
            return redirect("feedback:cases")
        if user.role in (Role.STAFF, Role.LEADER):
            return redirect("feedback:queue" if user.role == Role.STAFF else "feedback:satisfaction")
        raise PermissionDenied("咨询、评价和监督反馈由人才本人在此办理")
    rows = selectors.rateable(user=user)
    return render(request, "feedback/mine.html", {
        "questions": selectors.my_consultations(user=user)[:100],
        "rateable": rows, "cases": selectors.my_cases(user=user)[:100], "grades": Grade.choices,
        "errors": errors, "beside": _beside(errors), "rating_form": rating_form or {},
        "today": timezone.localdate(),
    }, status=status)


@login_required
def ask(request):
    """Ask a question about a policy (``?policy=``) or in general."""
    user = request.user
    policy = (request.POST.get("policy") if request.method == "POST" else request.GET.get("policy", "")) or ""
    errors, status = None, 200
    if request.method == "POST":
        try:
            consultation = services.consultation_ask(actor=user, question=request.POST.get("question", ""),
                                                     policy_id=policy)
        except ValidationFailed as failed:
            errors, status = failed, failed.status
        else:
            messages.success(request, f"咨询已提交（编号 {consultation.number}），承办部门将于"
                                      f"{consultation.due_on:%Y年%m月%d日}前答复。")
            return redirect("feedback:question", consultation.pk)
    elif user.role != Role.TALENT:
        services._talent_of(user)  # only a talent asks: the error page says so
    return render(request, "feedback/ask.html", {
        "policies": _policies(), "policy": policy[:80], "question": request.POST.get("question", ""),
        "errors": errors, "beside": _beside(errors), "days": services.CONSULTATION_DAYS,
        # 常见问题 before asking: the chosen policy's, or the general ones (asked about no policy)
        "faq": list(selectors.faq_for_policy(policy[:80])[:20]),
    }, status=status)


def _question_page(request, consultation, errors=None, status: int = 200, form=None):
    user = request.user
    answering = services.may_answer(user, consultation)
    names = services.consultation_names(consultation)
    panel = selectors.rating_panel(user=user, kind="feedback.consultation", item=consultation)
    ratings = [] if panel else list(selectors.ratings_of_subject("feedback.consultation", consultation.pk))
    return render(request, "feedback/question.html", {
        "c": consultation, "may_answer": answering and consultation.status == ConsultationStatus.OPEN,
        "may_publish": answering and consultation.status == ConsultationStatus.ANSWERED,
        "suggested_question": (form or {}).get("faq_question") or consultation.faq_question
        or services.anonymise(consultation.question, names=names),
        "suggested_answer": (form or {}).get("faq_answer") or consultation.faq_answer
        or services.anonymise(consultation.answer, names=names),
        "answer_text": (form or {}).get("answer", ""),
        "ratings": ratings, "panel": panel,
        "overdue": consultation.status == ConsultationStatus.OPEN and consultation.due_on < timezone.localdate(),
        "events": consultation.events.select_related("actor"), "errors": errors, "beside": _beside(errors),
    }, status=status)


@login_required
def question(request, consultation_id: int):
    return _question_page(request, selectors.consultation_get(user=request.user, consultation_id=consultation_id))


@login_required
@require_POST
@confirm_first(confirmations.consultation)
def consultation_act(request, consultation_id: int):
    action = request.POST.get("action", "")
    try:
        services.consultation_transition(actor=request.user, consultation_id=consultation_id, action=action,
                                         answer=request.POST.get("answer", ""),
                                         faq_question=request.POST.get("faq_question", ""),
                                         faq_answer=request.POST.get("faq_answer", ""))
    except ValidationFailed as failed:
        consultation = selectors.consultation_get(user=request.user, consultation_id=consultation_id)
        return _question_page(request, consultation, failed, failed.status, request.POST)
    done = {ConsultationAction.ANSWER: "已答复。", ConsultationAction.PUBLISH: "已发布为常见问题。",
            ConsultationAction.UNPUBLISH: "已撤下。"}
    messages.success(request, done.get(action, "已办理。"))
    return redirect("feedback:question", consultation_id)


@login_required
def queue(request):
    """The department's questions: waiting (the earliest deadline first, overdue marked) or answered."""
    status = request.GET.get("status", ConsultationStatus.OPEN)
    status = status if status in (*ConsultationStatus.values, "all") else ConsultationStatus.OPEN
    rows = selectors.consultation_queue(user=request.user, status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feedback/queue.html", {
        "page": page, "status": status, "statuses": ConsultationStatus.choices, "today": timezone.localdate(),
    })


@login_required
@require_POST
@confirm_first(confirmations.rate)
def rate(request):
    try:
        rating = services.rating_give(actor=request.user, subject_kind=request.POST.get("subject_kind", ""),
                                      subject_id=request.POST.get("subject_id"),
                                      grade=request.POST.get("grade", ""), comment=request.POST.get("comment", ""))
    except ValidationFailed as failed:
        return mine(request, errors=failed, status=failed.status, rating_form=request.POST)
    if rating.poor:
        messages.success(request, "评价已提交。您的差评已转给相关部门主管，将在1个工作日内回访您。")
    else:
        messages.success(request, "评价已提交，感谢您的评价。")
    return redirect(safe_next(request) or "feedback:mine")


def safe_next(request) -> str:
    """The page a rating was given from (``next``): only a path of this site (never another host, a scheme or
    a protocol-relative address), else ""."""
    target = request.POST.get("next", "")
    if not (isinstance(target, str) and target.startswith("/")) or target.startswith(("//", "/\\")):
        return ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return ""
    return target


@login_required
@confirm_first(confirmations.complain)
def complain(request):
    """File a complaint (监督反馈) about a department, a person who handled one's items, or an item."""
    talent = services._talent_of(request.user)
    errors, status = None, 200
    if request.method == "POST":
        post = request.POST
        subject_kind, _, subject_id = post.get("subject", "").partition(":")
        try:
            case = services.complaint_file(actor=request.user, about_kind=post.get("about_kind", ""),
                                           text=post.get("text", ""), department_id=post.get("about_department"),
                                           person_id=post.get("about_person"), subject_kind=subject_kind,
                                           subject_id=subject_id)
        except ValidationFailed as failed:
            errors, status = failed, failed.status
        else:
            messages.success(request, f"监督反馈已提交（编号 {case.number}），主管将于"
                                      f"{case.callback_due:%Y年%m月%d日}前回访您。")
            return redirect("feedback:mine")
    targets = services.complaint_targets(talent)
    return render(request, "feedback/complain.html", {
        **targets, "abouts": AboutKind.choices, "form": request.POST, "errors": errors, "beside": _beside(errors),
    }, status=status)


@login_required
def cases(request):
    """A supervisor's 差评 follow-ups and complaints with their deadlines."""
    status = request.GET.get("status", "pending")
    status = status if status in ("pending", CaseStatus.RESOLVED, "all") else "pending"
    rows = selectors.cases_queue(user=request.user, status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feedback/cases.html", {"page": page, "status": status, "today": timezone.localdate()})


def _case_page(request, case, errors=None, status: int = 200, form=None):
    rating = case.rating
    link = ""
    if case.subject_kind:
        subject = subjects.get(case.subject_kind, case.subject_id)
        link = subject.link if subject is not None else ""
    return render(request, "feedback/case.html", {
        "case": case, "rating": rating, "link": link,
        "may_handle": services.may_handle(request.user, case) and case.status != CaseStatus.RESOLVED,
        "events": case.events.select_related("actor"), "errors": errors, "beside": _beside(errors),
        "form": form or {},
        "is_talent": request.user.role == Role.TALENT, "actions": CaseAction,
    }, status=status)


@login_required
def case(request, case_id: int):
    return _case_page(request, selectors.case_get(user=request.user, case_id=case_id))


@login_required
@require_POST
@confirm_first(confirmations.case)
def case_act(request, case_id: int):
    action = request.POST.get("action", "")
    try:
        services.case_transition(actor=request.user, case_id=case_id, action=action,
                                 note=request.POST.get("note", ""))
    except ValidationFailed as failed:
        item = selectors.case_get(user=request.user, case_id=case_id)
        return _case_page(request, item, failed, failed.status, request.POST)
    messages.success(request, "已回访。" if action == CaseAction.CALL_BACK else "已办结。")
    return redirect("feedback:case", case_id)


@login_required
def satisfaction(request):
    """Satisfaction and complaints per department and per person, within the viewer's jurisdiction."""
    user = request.user
    return render(request, "feedback/satisfaction.html", {
        "departments": selectors.satisfaction(user=user, by="department"),
        "people": selectors.satisfaction(user=user, by="person"), "grades": Grade.choices,
    })
