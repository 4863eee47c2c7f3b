"""Pages of matching: the talent's 为我推荐 (matches with reasons, by kind), their consent and subscription, their
contact requests; the employer's 人才推荐 per own published job (masked rows), one talent (404 unless they
consent) and the contact request. Views read the request, call a selector or a service and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.confirm import confirm_first
from rencai.opportunities.enums import OpportunityKind

from . import confirmations, selectors, services

KINDS = [(k, label) for k, label in OpportunityKind.choices]


@login_required
def for_me(request):
    talent = selectors.talent_of_user(request.user)
    kind = request.GET.get("kind", "")
    kind = kind if kind in OpportunityKind.values else ""
    rows = selectors.matches_for_talent(talent, kinds=[kind] if kind else None)
    return render(request, "matching/for_me.html", {
        "rows": [(r, services.opportunity_link(r.opportunity.pk)) for r in rows], "kinds": KINDS, "kind": kind,
        "consent": selectors.consent_active(talent), "subscribed": selectors.subscribed(talent)})


@login_required
def settings_page(request):
    talent = selectors.talent_of_user(request.user)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "consent":
            services.consent_give(actor=request.user)
            messages.success(request, "已同意被用人单位查找。")
        elif action == "withdraw":
            services.consent_withdraw(actor=request.user)
            messages.success(request, "已撤回授权，用人单位即刻不能再查找或查看您。")
        elif action in ("subscribe", "unsubscribe"):
            services.subscription_set(actor=request.user, enabled=action == "subscribe")
            messages.success(request, "已开启新机会推荐通知。" if action == "subscribe" else "已关闭新机会推荐通知。")
        else:
            messages.error(request, "请选择要进行的设置。")
        return redirect("matching:settings")
    return render(request, "matching/settings.html", {
        "consent": selectors.consent_active(talent), "history": selectors.consent_history(talent),
        "subscribed": selectors.subscribed(talent)})


@login_required
def contacts(request):
    talent = selectors.talent_of_user(request.user)
    return render(request, "matching/contacts.html", {"contacts": selectors.contacts_of(talent)})


@login_required
@require_POST
@confirm_first(confirmations.answer)
def contact_answer(request, contact_id: int):
    decision = request.POST.get("decision", "")
    if decision not in ("accept", "decline"):
        messages.error(request, "请选择同意或拒绝。")
        return redirect("matching:contacts")
    services.contact_answer(actor=request.user, contact_id=contact_id, accept=decision == "accept")
    messages.success(request, "已同意对方与您联系。" if decision == "accept" else "已拒绝该联系请求。")
    return redirect("matching:contacts")


@login_required
def employer_jobs(request):
    return render(request, "matching/employer_jobs.html", {"jobs": selectors.employer_jobs(request.user)[:200]})


@login_required
def job_talents(request, match_job_id: int):
    job, rows = selectors.talents_for_job(request.user, match_job_id)
    return render(request, "matching/job_talents.html", {"job": job, "rows": rows})


@login_required
def talent(request, match_job_id: int, match_talent_id: int):
    job, row, record = selectors.talent_for_job(request.user, match_job_id, match_talent_id)
    phone = ""
    if row.revealed:
        phone = record.phone_masked
        audit_record(actor=request.user, action=AuditAction.REVEAL, obj=record,
                     summary=f"用人单位查看对接人才 {record.name} 的姓名和手机号码（脱敏），岗位：{job.title}",
                     details={"opportunity": job.pk, "contact": row.contact.pk})
    return render(request, "matching/talent.html", {"job": job, "row": row, "phone": phone})


@login_required
@require_POST
def contact_request(request, match_job_id: int, match_talent_id: int):
    services.contact_request(actor=request.user, job_id=match_job_id, talent_id=match_talent_id,
                             message=request.POST.get("note", ""))
    messages.success(request, "联系请求已发送，人才同意后您可以看到其姓名和联系方式。")
    return redirect("matching:talent", match_job_id=match_job_id, match_talent_id=match_talent_id)
