"""Pages of 人才服务 (一件事) for talents, their specialists, the departments, supervisors and leaders. Views read
the request, call a service or selector and render; an AppError is shown with its status (a 4xx)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from rencai.accounts.enums import Role
from rencai.accounts.permissions import require_government, talent_scope_q
from rencai.core.confirm import confirm_first
from rencai.core.errors import AppError, FieldError, NotFound, PermissionDenied, ValidationFailed
from rencai.core.parsing import bounded_int
from rencai.feedback import selectors as feedback_selectors

from . import confirmations, selectors, services
from .enums import Escalation, PartAction

PAGE_SIZE = 50
WINDOW_ITEMS = 18  # 004: the window offers 18 items and names these five of them
WINDOW_NAMED = ("sy-recognition-prereview", "sy-talent-card", "sy-policy-consultation", "sy-errand-service",
                "sy-personalised-service")


def _own_talent(user):
    from rencai.talents.selectors import talent_for_user

    return talent_for_user(user=user) if user.role == Role.TALENT else None


def _kind_labels(kinds) -> list[str]:
    from rencai.fulfilment.services import kind_label

    return [kind_label(k) for k in kinds or []]


def _source_citation(document: str) -> str:
    from rencai.policies.documents import document_for

    return document_for(document).citation


@login_required
def catalog(request):
    """The catalog: every item and bundle, its document, who may request it, the time limit and the materials;
    a talent sees whether they may request each and why not."""
    talent = _own_talent(request.user)
    items = list(selectors.catalog_items())
    today = timezone.localdate()
    rows = []
    for item in items:
        rows.append({"item": item, "citation": _source_citation(item.source_document),
                     "materials": _kind_labels(item.materials),
                     "refusal": services.eligibility(item, talent, on=today) if talent else [],
                     "who": _who_text(item)})
    window = [r["item"].title for r in rows if r["item"].key in WINDOW_NAMED]
    return render(request, "services/catalog.html", {
        "rows": rows, "bundles": selectors.catalog_bundles(), "talent": talent,
        "window_named": window, "window_rest": WINDOW_ITEMS - len(WINDOW_NAMED),
    })


def _who_text(item) -> str:
    from rencai.talents.enums import Degree

    who = item.who or {}
    if who.get("anyone"):
        return "已登记的人才"
    texts = []
    for rule in who.get("any_of") or []:
        parts = []
        if rule.get("categories"):
            parts.append(f"{'、'.join(rule['categories'])}类人才")
        if rule.get("returnee"):
            parts.append("留学回国人员")
        if rule.get("degrees"):
            lowest = min(rule["degrees"], key=lambda d: list(Degree.values).index(d))
            parts.append(f"{Degree(lowest).label}及以上学历")
        if rule.get("graduated_within_years"):
            parts.append(f"应届或毕业{rule['graduated_within_years']}年内")
        texts.append("、".join(parts))
    return "；或".join(texts)


@login_required
def mine(request):
    """The talent's requests, their specialist and the messages with them."""
    user = request.user
    talent = _own_talent(user)
    if talent is None:
        return redirect("services:queue" if user.is_government or user.is_administrator else "services:catalog")
    specialist = selectors.specialist_for_talent(talent)
    return render(request, "services/mine.html", {
        "talent": talent, "requests": selectors.my_requests(user=user), "specialist": specialist,
        "thread": selectors.message_thread(talent=talent) if specialist else [],
        "bundles": selectors.catalog_bundles(),
    })


def _talent_for_request(request):
    """The talent a request is for: oneself, or (specialists and window staff) ``?talent=ID``."""
    pk = bounded_int(request.GET.get("talent") or request.POST.get("talent"), field="talent", label="服务对象",
                     minimum=1, maximum=2**62, default=0)
    talent = selectors.talent_for_request(user=request.user, talent_id=pk)
    if talent is None:
        raise ValidationFailed([FieldError("talent", "请从您服务或辖区内的人才中选择服务对象")])
    return talent


def _form(request, *, talent, items, bundle=None):
    today = timezone.localdate()
    errors, status = [], 200
    if request.method == "POST":
        chosen = request.POST.getlist("items") if bundle else [items[0].key]
        try:
            created = services.request_create(actor=request.user, talent_id=talent.pk, item_keys=chosen,
                                              bundle_key=bundle.key if bundle else "",
                                              note=request.POST.get("note", ""))
        except ValidationFailed as failed:
            errors, status = failed.errors, failed.status
        else:
            messages.success(request, f"已提交（编号 {created.number}），各事项已分送承办部门同时办理。")
            return redirect("services:detail", created.pk)
    from rencai.documents.selectors import documents_on_file

    rows = []
    for item in items:
        on_file = documents_on_file(talent=talent, kinds=list(item.materials)) if item.materials else {}
        rows.append({"item": item, "refusal": services.eligibility(item, talent, on=today),
                     "treatment": services.treatment_for(item, talent, on=today),
                     "on_file": [services_kind(k) for k in item.materials if k in on_file],
                     "missing": [services_kind(k) for k in item.materials if k not in on_file],
                     "citation": _source_citation(item.source_document)})
    return render(request, "services/request.html", {
        "talent": talent, "rows": rows, "bundle": bundle, "errors": errors,
        "for_other": request.user.role != Role.TALENT,
        "any_allowed": any(not r["refusal"] for r in rows),
    }, status=status)


def services_kind(kind: str) -> str:
    return _kind_labels([kind])[0]


@login_required
def request_item(request, item_key: str):
    item = selectors.item_get(key=item_key)
    if not item.requestable:
        raise NotFound("这项服务不接受在线申请")
    return _form(request, talent=_talent_for_request(request), items=[item])


@login_required
def request_bundle(request, bundle_key: str):
    bundle = selectors.bundle_get(key=bundle_key)
    return _form(request, talent=_talent_for_request(request), items=list(bundle.items.order_by("pk")), bundle=bundle)


@login_required
def detail(request, service_request_id: int):
    user = request.user
    service_request = selectors.request_get(user=user, request_id=service_request_id)
    parts = selectors.request_parts(service_request)
    today = timezone.localdate()
    for part in parts:
        part.may_act = part.is_open and services.department_member(user, part)
        part.late = bool(part.is_open and part.promised_due and part.promised_due < today)
    may_cancel = service_request.status == "open" and user.pk in (service_request.requested_by_id,
                                                                   service_request.talent.user_id)
    return render(request, "services/detail.html", {
        "service_request": service_request, "parts": parts, "may_cancel": may_cancel,
        "colleagues": selectors.colleagues(user=user) if any(p.may_act for p in parts) else [],
        "Action": PartAction,
        "panel": feedback_selectors.rating_panel(user=user, kind="services.request", item=service_request),
    })


@login_required
@require_POST
@confirm_first(confirmations.act)
def act(request, part_id: int):
    action = request.POST.get("action", "")
    if action not in (PartAction.ASSIGN, PartAction.COMPLETE, PartAction.DECLINE, PartAction.CANCEL):
        raise ValidationFailed([FieldError("action", "请选择要办理的操作")])
    part = services.part_transition(actor=request.user, part_id=part_id, action=action,
                                    version=request.POST.get("version"), note=request.POST.get("note", ""),
                                    assignee_id=request.POST.get("handled_by") or None)
    messages.success(request, f"“{part.title}”：{PartAction(action).label}。")
    return redirect("services:detail", part.request_id)


def _queue_filters(request) -> dict:
    scope = request.GET.get("scope", "mine")
    escalated = request.GET.get("escalated", "")
    return {"scope": scope if scope in ("mine", "assigned", "closed") else "mine",
            "escalated": escalated if escalated in (Escalation.AT_RISK, Escalation.BREACHED) else ""}


@login_required
def queue(request):
    """A department's parts: the nearest promised day first, late and escalated ones marked; bulk assign and
    bulk close."""
    user = request.user
    require_government(user)
    filters = _queue_filters(request)
    rows = selectors.department_queue(user=user, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    keywords, _level = selectors.department_keywords(user)
    today = timezone.localdate()
    return render(request, "services/queue.html", {
        "page": page, "rows": [(p, bool(p.promised_due and p.promised_due < today and p.is_open)) for p in page],
        "filters": filters, "counts": selectors.department_counts(user=user),
        "may_act": (user.role == Role.STAFF and bool(keywords)) or user.is_administrator,
        "no_department": user.role == Role.STAFF and not keywords, "query": request.GET.urlencode(),
    })


@login_required
@require_POST
@confirm_first(confirmations.bulk)
def bulk(request):
    user = request.user
    require_government(user)
    action = request.POST.get("action", "")
    if action not in (PartAction.ASSIGN, PartAction.COMPLETE):
        raise ValidationFailed([FieldError("action", "请选择批量受理或批量办结")])
    ids = [i for i in dict.fromkeys(request.POST.getlist("parts")) if i][:200]
    if not ids:
        raise ValidationFailed([FieldError("parts", "请至少选择一个事项")])
    if action == PartAction.COMPLETE and not request.POST.get("note", "").strip():
        raise ValidationFailed([FieldError("outcome", "请填写办理结果")])
    done = 0
    for pk in ids:
        try:
            services.part_transition(actor=user, part_id=pk, action=action, note=request.POST.get("note", ""))
            done += 1
        except AppError as error:
            messages.error(request, f"事项 {pk} 未办理：{error.message}")
    if done:
        messages.success(request, f"已办理 {done} 个事项。")
    query = request.POST.get("query", "")
    return redirect(reverse("services:queue") + (f"?{query}" if query else ""))


def _overview_page(request, specialist):
    overview = selectors.specialist_overview(specialist=specialist)
    paginator = Paginator(overview.talents, PAGE_SIZE)
    paginator.count = overview.talent_count  # counted once
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "services/specialist.html", {"o": overview, "page": page,
                                                        "talents": selectors.talents_by_id(list(page)),
                                                        "own": specialist.user_id == request.user.pk})


@login_required
def specialist(request):
    """The specialist's own page: everything of their talents on one page."""
    specialist = selectors.specialist_of_user(request.user)
    if specialist is None:
        return render(request, "services/not_specialist.html")
    return _overview_page(request, specialist)


@login_required
def specialist_of(request, specialist_id: int):
    """A supervisor opens a specialist's page."""
    return _overview_page(request, selectors.specialist_get(user=request.user, specialist_id=specialist_id))


@login_required
def specialist_talent(request, talent_id: int):
    """One talent of the specialist: the messages, their requests and a request on their behalf."""
    specialist = selectors.specialist_of_user(request.user)
    if specialist is None:
        raise NotFound()
    talent = selectors.specialist_talent(specialist=specialist, talent_id=talent_id)
    from .models import Message

    Message.objects.filter(talent=talent, read_at__isnull=True).exclude(sender=request.user).update(
        read_at=timezone.now())
    return render(request, "services/specialist_talent.html", {
        "talent": talent, "thread": selectors.message_thread(talent=talent),
        "requests": selectors.requests_visible(request.user).filter(talent=talent)[:20]
        if request.user.is_government else talent.service_requests.all()[:20],
        "items": [i for i in selectors.catalog_items() if i.requestable], "bundles": selectors.catalog_bundles(),
    })


@login_required
@require_POST
def message(request, talent_id: int):
    services.message_send(actor=request.user, talent_id=talent_id, body=request.POST.get("body", ""))
    messages.success(request, "留言已发送。")
    if request.user.role == Role.TALENT:
        return redirect("services:mine")
    return redirect("services:specialist_talent", talent_id)


@login_required
def supervision(request):
    """Supervisors: escalated parts (at risk, past their limit), specialists and their loads, reassignment."""
    user = request.user
    if not services.is_supervisor(user):
        return render(request, "services/not_supervisor.html")
    rows = selectors.escalations(user=user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "services/supervision.html", {
        "page": page, "specialists": selectors.specialist_loads(user=user),
        "changes": selectors.assignment_changes(user=user)[:20], "today": timezone.localdate(),
    })


@login_required
@require_POST
@confirm_first(confirmations.reassign)
def reassign(request):
    from rencai.talents.models import Talent

    user = request.user
    if not services.is_supervisor(user):
        raise PermissionDenied("只有督办人员可以调整服务专员")
    talent = Talent.objects.filter(talent_scope_q(user), pk=bounded_int(
        request.POST.get("talent"), field="talent", label="人才", minimum=1, maximum=2**62, default=0)).first()
    if talent is None:
        raise ValidationFailed([FieldError("talent", "请填写辖区内人才的编号")])
    services.specialist_reassign(actor=user, talent_id=talent.pk, specialist_id=request.POST.get("specialist"),
                                 reason=request.POST.get("reason", ""))
    messages.success(request, f"已调整{talent.name}的服务专员。")
    return redirect("services:supervision")



