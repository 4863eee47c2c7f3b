"""Pages of 政策兑现 for talents, employers, the departments on the route, leaders and the public (公示).
Views read the request, call a service or selector and render; an AppError is shown on the page it came from
with its status (a 4xx)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from rencai.accounts.enums import Role
from rencai.accounts.permissions import require_government, require_staff
from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.confirm import confirm_first
from rencai.core.errors import NotFound, PermissionDenied, TooManyRequests, ValidationFailed
from rencai.core.parsing import bounded_int
from rencai.core.security import client_ip
from rencai.feedback import selectors as feedback_selectors

from . import confirmations, selectors, services
from . import notices as notice_kinds
from .enums import Action, Status
from .routes import policy_setting, shipped

PAGE_SIZE = 50


def _talent_of(user):
    from rencai.talents.selectors import talent_for_user

    return talent_for_user(user=user) if user.role == Role.TALENT else None


def _suggestions(talent) -> list[dict]:
    """"您可能符合以下政策": the entitlement policies the engine finds for the talent that have no application
    yet (免申即享 ones come as offers instead)."""
    from rencai.policies.calculator import calculate, default_catalog
    from rencai.policies.registry import talent_profile

    today = timezone.localdate()
    profile = talent_profile(talent, as_of=today)
    applied = set(talent.fulfilment_applications.values_list("policy", flat=True))
    catalog = default_catalog()
    rows = []
    for result in calculate(profile, as_of=today)["results"]:
        policy = catalog.policies[result["policy"]]
        if policy.kind != "entitlement" or result["eligible"] not in (True, "manual") or policy.id in applied:
            continue
        if policy.id in profile["received"] or policy_setting(policy.id).no_application:
            continue
        rows.append(result)
    return rows


@login_required
def mine(request):
    """The talent's (or employer's) 政策兑现: offers to confirm, suggestions to apply for, applications."""
    user = request.user
    if user.role not in (Role.TALENT, Role.EMPLOYER):
        return redirect("fulfilment:queue")
    talent = _talent_of(user)
    offers = list(selectors.my_offers(user=user).filter(talent__user=user)) if talent else []
    from .models import PolicySetting

    examples = set(PolicySetting.objects.filter(example=True).values_list("policy", flat=True))
    for offer in offers:
        offer.example = offer.policy in examples
    return render(request, "fulfilment/mine.html", {
        "talent": talent,
        "offers": offers,
        "suggestions": _suggestions(talent) if talent else [],
        "applications": selectors.my_applications(user=user),
        "employees": _employees(user) if user.role == Role.EMPLOYER else [],
    })


def _employees(user) -> list:
    """An employer's confirmed employees and the policies it may apply for on their behalf."""
    from rencai.accounts.permissions import talent_scope_q
    from rencai.fulfilment.models import PolicySetting
    from rencai.policies.calculator import default_catalog
    from rencai.talents.models import Talent

    allowed = {p for p in (shipped()["policies"]) if (shipped()["policies"][p] or {}).get("employer_may_apply")}
    allowed |= set(PolicySetting.objects.filter(employer_may_apply=True).values_list("policy", flat=True))
    allowed -= set(PolicySetting.objects.filter(employer_may_apply=False).values_list("policy", flat=True))
    catalog = default_catalog().policies
    policies = [(p, catalog[p].title) for p in sorted(allowed) if p in catalog]
    talents = Talent.objects.filter(talent_scope_q(user)).order_by("name", "pk")[:200]
    return [{"talent": t, "policies": policies} for t in talents]


@login_required
def apply(request, policy_id: str):
    """The application form, pre-filled from the registry and the documents on file; everything missing is
    listed at once. Employers pass ``?talent=ID`` for a confirmed employee."""
    user = request.user
    policy = services._policy(policy_id)
    talent = _applicant_talent(request)
    setting = policy_setting(policy_id)
    errors: list = []
    status = 200
    if request.method == "POST":
        try:
            application, created = services.application_submit(
                actor=user, talent_id=talent.pk, policy_id=policy_id, form={"note": request.POST.get("note", "")[:500]})
        except ValidationFailed as failed:
            errors, status = failed.errors, failed.status
        else:
            done = "申请已提交" if created else "该政策已有在办申请，未重复提交"
            messages.success(request, f"{done}（编号 {application.number}），可在下方查看办理进度。")
            return redirect("fulfilment:detail", application.pk)
    try:
        preview = services.evaluate(talent, policy_id)
    except ValidationFailed as failed:
        preview, errors, status = None, errors + failed.errors, failed.status
    on_file, missing = services.missing_documents(talent, setting.documents)
    existing = talent.fulfilment_applications.filter(policy=policy_id).first()
    return render(request, "fulfilment/apply.html", {
        "policy": policy, "talent": talent, "setting": setting, "preview": preview, "errors": errors,
        # Every problem at once, each once: a refused submit's errors hold the preview's eligibility problems too.
        "problems": list(dict.fromkeys([_problem(e) for e in errors] + ([] if preview is None else [
            str(e) for e in services._eligibility_errors(preview)]))),
        "on_file": [(services.kind_label(k), on_file[k]) for k in setting.documents if k in on_file],
        "missing": [services.kind_label(k) for k in missing], "existing": existing,
        "route": setting.route,
    }, status=status)


def _problem(error) -> str:
    """A refusal as people read it. A missing document names itself (缺少材料：学位证书); its key
    (documents.degree) would otherwise be labelled with the registry's 学历."""
    if isinstance(error, services.FieldError) and error.field.startswith("documents."):
        return error.message
    return str(error)


def _applicant_talent(request):
    from rencai.talents.models import Talent

    user = request.user
    if user.role == Role.TALENT:
        talent = _talent_of(user)
        if talent is None:
            raise NotFound("您的账号尚未关联人才档案，请先联系所在区人社部门登记")
        return talent
    if user.role == Role.EMPLOYER:
        from rencai.accounts.permissions import talent_scope_q

        pk = bounded_int(request.GET.get("talent") or request.POST.get("talent"), field="talent", label="申请对象",
                         minimum=1, maximum=2**62, default=0)
        talent = Talent.objects.filter(talent_scope_q(user), pk=pk).first()
        if talent is None:
            raise ValidationFailed([services.FieldError("talent", "请从本单位已确认任职的人员中选择申请对象")])
        return talent
    raise PermissionDenied("政策申请由人才本人或其所在单位提出")


@login_required
def detail(request, fulfilment_id: int):
    user = request.user
    application = selectors.application_get(user=user, application_id=fulfilment_id)
    step = application.current_step
    may_decide = bool(step and application.status == Status.REVIEWING
                      and services.step_actor_allowed(user, application, step))
    notice = getattr(application, "notice", None) if application.status != Status.REVIEWING else None
    government = user.is_government or user.is_administrator
    steps = list(application.steps.select_related("decided_by").order_by("round", "position"))
    return render(request, "fulfilment/detail.html", {
        "application": application, "result": application.snapshot.get("result", {}),
        "inputs": application.snapshot.get("inputs", {}),
        "steps": steps,
        "events": application.events.all(), "may_decide": may_decide,
        "overdue": selectors.step_is_overdue(step) if application.status == Status.REVIEWING else "",
        "may_withdraw": application.status in (Status.REVIEWING, Status.PUBLICIZING)
        and user.pk in (application.applicant_id, application.talent.user_id),
        "notice": notice, "objections": notice.objections.all() if notice and government else [],
        "may_answer": user.role == Role.STAFF or user.is_administrator,
        "may_finalize": bool(notice and application.status == Status.PUBLICIZING and government
                             and user.role != Role.LEADER and notice.ends_on < timezone.localdate()),
        "amount": services.amount_text(application), "government": government,
        "documents": [(services.kind_label(k), v) for k, v in (application.documents or {}).items()],
        "panel": feedback_selectors.rating_panel(user=user, kind="fulfilment.application", item=application),
        # 好差评 of each step a department has decided (a 差评's case goes to that department's supervisor)
        "step_panels": feedback_selectors.finished_rating_panels(user=user, kind="fulfilment.step", items=steps,
                                                                 talent=application.talent),
    })


@login_required
@require_POST
@confirm_first(confirmations.decide)
def decide(request, fulfilment_id: int):
    action = request.POST.get("action", "")
    if action not in (Action.APPROVE, Action.REJECT):
        raise ValidationFailed([services.FieldError("action", "请选择“通过”或“不予通过”")])
    services.application_transition(actor=request.user, application_id=fulfilment_id, action=action,
                                    reason=request.POST.get("reason", ""))
    messages.success(request, "已办理。")
    return redirect("fulfilment:detail", fulfilment_id)


@login_required
@require_POST
@confirm_first(confirmations.withdraw)
def withdraw(request, fulfilment_id: int):
    services.application_withdraw(actor=request.user, application_id=fulfilment_id,
                                  reason=request.POST.get("reason", ""))
    messages.success(request, "申请已撤回。符合条件的，可以随时重新提交。")
    return redirect("fulfilment:detail", fulfilment_id)


@login_required
@require_POST
@confirm_first(confirmations.finalize)
def finalize(request, fulfilment_id: int):
    services.application_transition(actor=request.user, application_id=fulfilment_id, action=Action.FINALIZE)
    messages.success(request, "公示期满，已批准。")
    return redirect("fulfilment:detail", fulfilment_id)


@login_required
@require_POST
@confirm_first(confirmations.answer_objection)
def answer_objection(request, objection_id: int):
    upheld = request.POST.get("upheld")
    if upheld not in ("0", "1"):
        raise ValidationFailed([services.FieldError("upheld", "请选择异议是否成立")])
    objection = services.objection_answer(actor=request.user, objection_id=objection_id,
                                          answer=request.POST.get("answer", ""), upheld=upheld == "1")
    messages.success(request, f"已答复异议：{objection.get_status_display()}。")
    return redirect(notice_kinds.link(objection.notice))


def _filters(request) -> dict:
    get = request.GET
    status = get.get("status", "mine")
    return {
        "status": status if status in ("mine", "all", *Status.values) else "mine",
        "policy": get.get("policy", "")[:80],
        "step": get.get("step", "")[:40],
        "overdue": get.get("overdue", "") if get.get("overdue") in ("promised", "statutory") else "",
    }


@login_required
def queue(request):
    """The staff queue: what waits for the user's department, with filters, overdue flags and counts, bulk
    decisions and an Excel export."""
    user = request.user
    require_government(user)
    filters = _filters(request)
    rows = selectors.queue(user=user, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    from rencai.policies.calculator import default_catalog

    catalog = default_catalog().policies
    steps = {s["key"]: s["title"] for route in shipped()["routes"].values() for s in route}
    today = timezone.localdate()
    return render(request, "fulfilment/queue.html", {
        "page": page, "filters": filters, "today": today,
        "rows": [(a, selectors.step_is_overdue(a.current_step, today=today)) for a in page],
        "policies": sorted((p.id, p.title) for p in catalog.values() if p.kind == "entitlement"
                           and p.subject == "person"),
        "steps": sorted(steps.items(), key=lambda kv: kv[1]), "statuses": Status.choices,
        "counts": selectors.overdue_counts(user=user),
        "may_decide": user.role == Role.STAFF or user.is_administrator,
        "objections": selectors.objections_open(user=user)[:20],
        "query": request.GET.urlencode(),
    })


@login_required
@require_POST
@confirm_first(confirmations.bulk)
def bulk(request):
    user = request.user
    require_staff(user)
    action = request.POST.get("action", "")
    done, refused = services.applications_bulk_decide(
        actor=user, application_ids=request.POST.getlist("applications"), action=action,
        reason=request.POST.get("reason", ""))
    if done:
        messages.success(request, f"已办理 {len(done)} 项。")
    for pk, message in refused[:20]:
        messages.error(request, f"申请 SQ{pk:07d} 未办理：{message}")
    return redirect(reverse("fulfilment:queue") + ("?" + request.POST.get("query", "") if request.POST.get("query")
                                                   else ""))


@login_required
def export(request):
    """The queue as it is filtered, as .xlsx (names and amounts; no personal numbers); logged."""
    from rencai.core.excel import Sheet, xlsx_bytes, xlsx_response

    user = request.user
    require_government(user)
    filters = _filters(request)
    rows = selectors.queue(user=user, **filters)
    today = timezone.localdate()
    labels = {"promised": "超承诺时限", "statutory": "超法定时限", "": ""}

    def lines():
        for a in rows.iterator(chunk_size=2000):
            step = a.current_step
            yield [a.number, a.talent.name, a.talent.district.name, a.policy_title, a.get_status_display(),
                   step.title if step else "", step.promised_due if step else None,
                   step.statutory_due if step else None, labels[selectors.step_is_overdue(step, today=today)],
                   services.amount_text(a), timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M")]

    content = xlsx_bytes([Sheet("政策兑现申请", ["申请编号", "姓名", "所在区县", "政策", "状态", "当前环节",
                                                 "承诺办结日", "法定办结日", "超期", "金额", "提交时间"], lines())])
    audit_record(actor=user, action=AuditAction.EXPORT, object_type="fulfilment.application",
                 summary="导出政策兑现申请清单", filters=filters, row_count=rows.count())
    return xlsx_response(content, f"政策兑现申请-{today:%Y%m%d}.xlsx")


@login_required
@require_POST
@confirm_first(confirmations.offer_confirm)
def offer_confirm(request, offer_id: int):
    application = services.offer_confirm(actor=request.user, offer_id=offer_id)
    messages.success(request, "已确认，无需填表，进入拨付环节。")
    return redirect("fulfilment:detail", application.pk)


@login_required
@require_POST
@confirm_first(confirmations.offer_decline)
def offer_decline(request, offer_id: int):
    services.offer_decline(actor=request.user, offer_id=offer_id)
    messages.success(request, "已放弃该项。")
    return redirect("fulfilment:mine")


@login_required
@require_POST
@confirm_first(confirmations.invite)
def invite(request, policy_id: str):
    sent = services.invitations_send(actor=request.user, policy_id=policy_id)
    messages.success(request, f"已向 {sent} 位符合条件但尚未申请的人才推送申请提醒（每人每项政策只推送一次）。")
    return redirect(reverse("fulfilment:queue") + f"?status=all&policy={policy_id}")


def notices(request):
    """公示 (public, no login): what is in its notice period, of every kind (政策兑现's grants, a programme's
    awards ...), under each kind's label; names masked to the surname."""
    return render(request, "fulfilment/notices.html", {"groups": selectors.public_notice_groups()})


@require_POST
def object_to(request, notice_id: int):
    try:
        services.objection_file(notice_id=notice_id, text=request.POST.get("text", ""),
                                contact=request.POST.get("contact", ""), client=client_ip(request))
    except (ValidationFailed, NotFound, TooManyRequests) as failed:
        return render(request, "fulfilment/notices.html", {
            "groups": selectors.public_notice_groups(), "error": failed, "failed_notice": notice_id,
        }, status=failed.status)
    messages.success(request, "异议已提交，工作人员将在公示结束前答复。")
    return redirect("fulfilment:notices")

