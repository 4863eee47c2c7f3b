
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from rencai.accounts.enums import Role
from rencai.accounts.permissions import require_government, require_staff
from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.errors import NotFound, PermissionDenied
from rencai.core.excel import xlsx_streaming_response
from rencai.core.paging import list_page

from . import selectors
from .calculator import default_catalog
from .documents import BY_KEY, document_text, highlighted
from .excel import matches_export


def document(request, key: str):
    """A source document's text, the quoted sentence (``?q=``) highlighted: anyone, no login."""
    if key not in BY_KEY:
        raise NotFound("未找到该文件")
    quote = request.GET.get("q", "")[:2000]
    text, found = highlighted(document_text(key), quote)
    return render(request, "policies/document.html",
                  {"document": BY_KEY[key], "text": text, "quote": quote, "found": found})


def _freshness(request, run) -> dict:
    """What every 政策找人 page shows about its figures: as of when (the last finished run), the background
    run under way with its progress (or the last one that failed), and 重新计算 for staff who may start one."""
    from django.db.models import Q

    from rencai.jobs.models import ACTIVE, Job, JobStatus

    from .jobs import MATCH_KEY

    user = request.user
    job = rematch = None
    if user.is_government or user.is_administrator:
        # One query: the latest 政策找人 run, and a re-match after a rule was published in the policy workbench
        # (workbench.rematch) under way.
        latest = list(Job.objects.filter(Q(kind="match", dedupe_key=MATCH_KEY)
                                         | Q(kind="policy_rematch", status__in=ACTIVE)).order_by("-id")[:5])
        job = next((j for j in latest if j.kind == "match"), None)
        rematch = next((j for j in latest if j.kind == "policy_rematch"), None)
    if job is not None and job.finished and not (job.status == JobStatus.FAILED and (
            run is None or (job.finished_at and run.finished_at and job.finished_at > run.finished_at))):
        job = None  # a finished run is the figures themselves; only a failure after them is news
    if rematch is not None and (job is None or job.finished):
        job = rematch
    return {"run": run, "job": job, "can_recompute": user.role == Role.STAFF or user.is_administrator}


@login_required
def match_summary(request):
    run = selectors.match_run_latest()
    summaries = selectors.policy_match_summary(user=request.user, run=run) if run else []
    if not run:
        require_government(request.user)
    return render(request, "policies/matches.html", {"summaries": summaries, **_freshness(request, run)})


@login_required
@require_POST
def match_recompute(request):
    """重新计算: staff and administrators start a 政策找人 run in the background (one at a time); back to the
    page it was asked from, which shows its progress."""
    from .jobs import match_enqueue

    try:
        require_staff(request.user)
    except PermissionDenied:
        audit_record(actor=request.user, action=AuditAction.DENIED, object_type="jobs.job",
                     summary="无权发起政策找人重新计算，已拒绝")
        raise
    job = match_enqueue(actor=request.user)
    audit_record(actor=request.user, action=AuditAction.FULFILMENT, obj=job,
                 summary=f"发起政策找人重新计算（后台任务{job.pk}）")
    back = request.POST.get("next", "")
    if back.startswith("/policies/matches/") and url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return redirect(back)
    return redirect("policies:matches")


def _latest_matches(request, policy: str):
    run = selectors.match_run_latest()
    if run is None:
        raise NotFound("尚未运行政策找人")
    return run, selectors.policy_match_list(user=request.user, run=run, policy=policy)


@login_required
def match_list(request, policy: str):
    run, queryset = _latest_matches(request, policy)
    page = list_page(queryset, params=request.GET, per_page=50, keys=selectors.MATCH_LIST_KEYS,
                     count=selectors.policy_match_count(user=request.user, run=run, policy=policy))
    compiled = default_catalog().policies[policy]
    # What the documents leave open (issue 13): the decisions in effect on the run's day that every row rests on.
    decided = [p for p in compiled.open_points
               if p.decision is not None and run is not None and p.decision.effective_from <= run.as_of]
    return render(request, "policies/match_list.html", {
        "page": page, "policy": compiled, "decided": decided,
        "undecided": [p for p in compiled.open_points if p.decision is None], **_freshness(request, run)})


@login_required
def match_export(request, policy: str):
    run, queryset = _latest_matches(request, policy)
    title = default_catalog().policies[policy].title
    audit_record(actor=request.user, action=AuditAction.EXPORT, object_type="policies.policymatch",
                 summary=f"导出政策找人名单：{title}", filters={"policy": policy, "run": run.pk},
                 row_count=selectors.policy_match_count(user=request.user, run=run, policy=policy))
    return xlsx_streaming_response([matches_export(queryset, title=title)], f"政策找人-{title}.xlsx")
