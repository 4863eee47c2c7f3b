"""Pages of recognition for talents, employers, the talent office and experts. Views read the request,
call a service or selector, and render; an AppError is shown on the page it came from with its status."""

import uuid
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from rencai.accounts.enums import Role
from rencai.core.confirm import confirm_first
from rencai.core.errors import AppError, NotFound, PermissionDenied, ValidationFailed
from rencai.core.parsing import optional_int
from rencai.reviews import selectors as reviews
from rencai.talents.enums import TalentCategory

from . import cards, confirmations, review, selectors, services
from .enums import TOTAL_MAX, Status, Way
from .models import Attachment

PAGE_SIZE = 50


@login_required
def index(request):
    """人才认定 in the menu: each role lands on its own page."""
    user = request.user
    if user.role == Role.TALENT:
        return redirect("recognition:mine")
    if user.role == Role.EMPLOYER:
        return redirect("recognition:employer")
    if user.role == Role.EXPERT:
        return redirect("recognition:reviews")
    return redirect("recognition:queue")


def standard(request):
    """The standard in force: items per category, the evidence each needs, validity and review pass marks."""
    current = selectors.standard_in_force()
    items = list(current.items.prefetch_related("evidence").order_by("category", "position", "code"))
    common = current.evidence.filter(item__isnull=True).order_by("position", "id")
    return render(request, "recognition/standard.html", {
        "standard": current, "items": items, "rules": current.rules.order_by("category"),
        "common": [e for e in common if not e.way], "by_way": [(Way(w).label, [e for e in common if e.way == w])
                                                              for w in (Way.REVIEW, Way.EMPLOYER)],
        "sheet": review.sheet(), "total_max": TOTAL_MAX,
    })


@login_required
def mine(request):
    if request.user.role != Role.TALENT:
        raise PermissionDenied("本页面向人才本人")
    from rencai.talents.selectors import talent_for_user

    talent = talent_for_user(user=request.user)
    held = selectors.category_held(talent) if talent else ("", None)
    return render(request, "recognition/mine.html", {
        "talent": talent, "held": held[0], "held_since": held[1], "pending": selectors.open_application(talent),
        "applications": selectors.applications_of_user(user=request.user),
        "recognitions": selectors.recognitions_of_user(user=request.user),
        "today": selectors.today(),
    })


@login_required
def employer(request):
    if request.user.role != Role.EMPLOYER:
        raise PermissionDenied("本页面向用人单位")
    current = selectors.authorization_in_force(organization_id=request.user.organization_id)
    return render(request, "recognition/employer.html", {
        "authorizations": selectors.authorizations_of_employer(user=request.user),
        "current": current,
        "applications": selectors.applications_of_user(user=request.user),
        "today": selectors.today(),
    })


def _apply_context(request, data: dict | None = None) -> dict:
    user = request.user
    current = selectors.standard_in_force()
    ways = [(Way.DIRECT, Way.DIRECT.label), (Way.REVIEW, Way.REVIEW.label)]
    employees = []
    authorization = None
    if user.role == Role.EMPLOYER:
        employees = list(selectors.employees_for_recognition(user=user)[:500])
        authorization = selectors.authorization_in_force(organization_id=user.organization_id)
        if authorization:
            ways.append((Way.EMPLOYER, Way.EMPLOYER.label))
    data = data or {"way": request.GET.get("way", Way.DIRECT), "form_token": str(uuid.uuid4())}
    return {
        "standard": current, "items": current.items.order_by("category", "position", "code"),
        "ways": ways, "categories": TalentCategory.choices, "employees": employees,
        "authorization": authorization, "data": data, "field_errors": {},
    }


@login_required
def apply(request):
    if request.user.role not in (Role.TALENT, Role.EMPLOYER):
        raise PermissionDenied("认定申请只能由人才本人或其所在单位提出")
    if request.method != "POST" and request.user.role == Role.TALENT:
        # One application under way at a time: the form is not offered until it ends (the service still refuses
        # a second one posted, and takes the same form posted twice as one).
        from rencai.talents.selectors import talent_for_user

        pending = selectors.open_application(talent_for_user(user=request.user))
        if pending is not None:
            return render(request, "recognition/apply.html", {"pending": pending})
    if request.method != "POST":
        return render(request, "recognition/apply.html", _apply_context(request))
    post = request.POST
    data = services.ApplicationInput(
        way=post.get("way", ""), category=post.get("category", ""), item_code=post.get("item", ""),
        talent_id=optional_int(post.get("talent")), statement=post.get("statement", ""),
        annual_salary=post.get("annual_salary"), annual_tax=post.get("annual_tax"),
        market_value=post.get("market_value"), form_token=post.get("form_token", ""),
    )
    try:
        application = services.application_create(actor=request.user, data=data)
    except AppError as exc:
        context = _apply_context(request, data=post.dict())
        context["error"] = exc
        context["field_errors"] = {e.field: e.message for e in exc.errors}
        return render(request, "recognition/apply.html", context, status=exc.status)
    messages.success(request, f"已创建认定申请{application.number}，请上传申报材料后提交")
    return redirect("recognition:detail", application_id=application.pk)


def _detail_context(request, application, **extra) -> dict:
    user = request.user
    permissions = selectors.application_permissions(user=user, application=application)
    rows = selectors.evidence_rows(application, with_on_file=permissions.editable)
    context = {
        "application": application,
        "perm": permissions,
        "rows": rows,
        "missing": [r.requirement for r in rows if r.missing],
        "notice": selectors.last_return_notice(application),
        "events": selectors.timeline(application, viewer=user),
        "recognition": getattr(application, "recognition", None) if application.status in (
            Status.APPROVED, Status.REVOKED) else None,
        "today": selectors.today(),
        "rules": application.standard.rules.order_by("category"),
        "total_max": TOTAL_MAX,
    }
    if (user.is_government or user.is_administrator) and application.way == Way.REVIEW:
        context["review"] = selectors.review_result(application)
    if permissions.office and application.status == Status.COMPLETE and application.way == Way.REVIEW:
        pool = selectors.review_pool(application)
        context["available_experts"] = pool.available
        context["excluded_experts"] = pool.refused
        context["panel_size"] = application.standard.review_panel_size
    if context["recognition"] is not None:
        context["recognition_state"] = context["recognition"].state_on(context["today"])
    context.update(extra)
    return context


@login_required
def detail(request, application_id: int):
    application = selectors.application_get(user=request.user, application_id=application_id)
    return render(request, "recognition/detail.html", _detail_context(request, application))


def _page_error(request, application_id: int, exc: AppError):
    """Show a refusal on the application's page, with every field error listed."""
    application = selectors.application_get(user=request.user, application_id=application_id)
    return render(request, "recognition/detail.html", _detail_context(request, application, error=exc),
                  status=exc.status)


@login_required
@require_POST
def upload(request, application_id: int):
    try:
        attachment, created = services.attachment_add(
            actor=request.user, application_id=application_id, requirement_id=request.POST.get("requirement"),
            upload=request.FILES.get("file"), document_id=request.POST.get("document") or None)
    except AppError as exc:
        return _page_error(request, application_id, exc)
    if created and request.POST.get("document"):
        messages.success(request, f"已从材料库选用：{attachment.original_name}")
    elif created:
        messages.success(request, f"已上传：{attachment.original_name}")
    else:
        messages.info(request, f"该文件已上传过：{attachment.original_name}")
    return redirect("recognition:detail", application_id=application_id)


def _problems(post) -> dict:
    return {key.removeprefix("problem_"): value for key, value in post.items()
            if key.startswith("problem_") and value.strip()}


ACTIONS = {
    "submit": (lambda r, pk: services.application_submit(actor=r.user, application_id=pk), "已提交认定申请"),
    "withdraw": (lambda r, pk: services.application_withdraw(actor=r.user, application_id=pk,
                                                             reason=r.POST.get("reason", "")), "已撤回申请"),
    "accept": (lambda r, pk: services.application_accept(actor=r.user, application_id=pk), "已核验材料"),
    "return": (lambda r, pk: services.application_return(actor=r.user, application_id=pk,
                                                         problems=_problems(r.POST), note=r.POST.get("note", "")),
               "已退回补正，并一次性告知全部问题"),
    "reject": (lambda r, pk: services.application_reject(actor=r.user, application_id=pk,
                                                         reason=r.POST.get("reason", "")), "已作出不予认定决定"),
    "panel": (lambda r, pk: services.application_panel_form(actor=r.user, application_id=pk,
                                                            expert_ids=r.POST.getlist("experts")),
              "已组建评审专家组"),
    "conclude": (lambda r, pk: services.application_conclude(actor=r.user, application_id=pk), "已按评审结果作出决定"),
    "declare": (lambda r, pk: services.expert_conflict_record(actor=r.user, application_id=pk,
                                                              expert_id=r.POST.get("expert"),
                                                              reason=r.POST.get("reason", "")),
                "已记录专家申报的回避"),
}


@login_required
@require_POST
@confirm_first(confirmations.act)
def act(request, application_id: int, action: str):
    if action not in ACTIONS:
        raise NotFound("未知的操作")
    call, done = ACTIONS[action]
    try:
        application = call(request, application_id)
    except AppError as exc:
        return _page_error(request, application_id, exc)
    messages.success(request, f"{done}（当前状态：{application.get_status_display()}）")
    return redirect("recognition:detail", application_id=application_id)


@login_required
def attachment_file(request, application_id: int, attachment_id: int):
    """Evidence is served only here, to those who may see the application (experts: their own)."""
    application = selectors.application_get(user=request.user, application_id=application_id)
    attachment = Attachment.objects.filter(application=application, pk=attachment_id).select_related("document").first()
    if attachment is None:
        raise NotFound("未找到该材料")
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(attachment.original_name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def queue(request):
    filters = selectors.QueueFilters(status=request.GET.get("status", ""), way=request.GET.get("way", ""),
                                     category=request.GET.get("category", ""),
                                     name=request.GET.get("name", "")[:50])
    queryset = selectors.application_queue(user=request.user, filters=filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.queue_counts(user=request.user)
    now = timezone.now()
    for application in page:
        start = application.submitted_at
        application.age_days = (now - start).days if start else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "recognition/queue.html", {
        "page": page, "filters": filters, "query": query.urlencode(),
        "tabs": [(code, label, counts.get(code, 0)) for code, label in Status.choices if code != Status.DRAFT],
        "total": sum(counts.values()), "ways": Way.choices, "categories": TalentCategory.choices,
    })


@login_required
@confirm_first(confirmations.score)
def score(request, assignment_id: int):
    assignment = selectors.assignment_get(user=request.user, assignment_id=assignment_id)
    criteria = list(assignment.panel.sheet.criteria.all())
    status, error = 200, None
    values = reviews.values_of(assignment)
    if request.method == "POST":
        values = {c.code: request.POST.get(c.code, "") for c in criteria}
        try:
            services.review_score_submit(actor=request.user, assignment_id=assignment.pk, scores=values,
                                         comment=request.POST.get("comment", ""))
        except AppError as exc:
            status, error = exc.status, exc
        else:
            messages.success(request, "评分已提交")
            return redirect("recognition:score", assignment_id=assignment.pk)
    application = selectors.application_get(user=request.user, application_id=assignment.panel.object_id)
    return render(request, "recognition/score.html", {
        "assignment": assignment, "application": application, "rows": selectors.evidence_rows(application),
        "fields": [(c, values.get(c.code)) for c in criteria], "sheet": assignment.panel.sheet, "error": error,
        "field_errors": {e.field: e.message for e in error.errors} if isinstance(error, ValidationFailed) else {},
        "comment": request.POST.get("comment", assignment.comment),
    }, status=status)


def _verify_url(request, recognition) -> str:
    return request.build_absolute_uri(reverse("recognition:verify", args=[cards.card_token(recognition)]))


@login_required
def card(request, recognition_id: int):
    recognition = selectors.recognition_get(user=request.user, recognition_id=recognition_id)
    url = _verify_url(request, recognition)
    today = selectors.today()
    return render(request, "recognition/card.html", {
        "recognition": recognition, "talent": recognition.talent, "verify_url": url, "qr": cards.qr_svg(url),
        "state": recognition.state_on(today), "today": today,
        "can_revoke": (request.user.role == Role.STAFF or request.user.is_administrator)
        and recognition.application.status == Status.APPROVED,
    })


@login_required
def card_pdf(request, recognition_id: int):
    recognition = selectors.recognition_get(user=request.user, recognition_id=recognition_id)
    today = selectors.today()
    state = recognition.state_on(today)
    if state != "有效":
        raise AppError(f"该人才卡{state}，不能下载", code="card_invalid", status=409)
    body = cards.card_pdf(recognition, verify_url=_verify_url(request, recognition), on=today)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote('人才卡')}-{recognition.serial}.pdf"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
@confirm_first(confirmations.revoke)
def revoke(request, recognition_id: int):
    recognition = selectors.recognition_get(user=request.user, recognition_id=recognition_id)
    try:
        services.recognition_revoke(actor=request.user, recognition_id=recognition.pk,
                                    reason=request.POST.get("reason", ""))
    except AppError as exc:
        return _page_error(request, recognition.application_id, exc)
    messages.success(request, f"已撤销认定，人才卡{recognition.serial}失效")
    return redirect("recognition:detail", application_id=recognition.application_id)


def verify(request, token: str):
    """Public (no login): whether a card is valid, with a masked name, its category and end date only."""
    try:
        result = cards.card_verify(token, on=selectors.today())
    except AppError as exc:  # a tampered or unknown token: a clear page, 400 or 404
        response = render(request, "recognition/verify.html", {"error": exc}, status=exc.status)
    else:
        response = render(request, "recognition/verify.html", {"v": result})
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response



@login_required
def authorizations(request):
    """自主认定授权: administrators authorise employers, with a quota and declared criteria per category."""
    if not request.user.is_administrator:
        raise PermissionDenied("只有系统管理员可以授予自主认定权限")
    form = request.POST if request.method == "POST" else {}
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        try:
            authorization = services.employer_authorize_from_form(actor=request.user, data=request.POST)
        except ValidationFailed as exc:
            for error in exc.errors:
                errors.setdefault(error.field, []).append(error.message)
            status = 422
        except AppError as exc:
            errors.setdefault("general", []).append(exc.message)
            status = exc.status
        else:
            messages.success(request, f"已授权：{authorization.organization}")
            return redirect("recognition:authorizations")
    return render(request, "recognition/authorizations.html", {
        "authorizations": selectors.authorizations_all(), "form": form, "errors": errors,
        "categories": TalentCategory.choices,
    }, status=status)
