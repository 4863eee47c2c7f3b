import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from rencai.accounts.enums import Role
from rencai.accounts.permissions import require_government, require_staff, talent_scope_q
from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.errors import NotFound, PermissionDenied
from rencai.core.excel import xlsx_streaming_response
from rencai.core.paging import list_page
from rencai.talents.models import Talent

from . import selectors
from .budget import registry_simulate
from .calculator import ProfileError, calculate, default_catalog
from .documents import BY_KEY, document_text, highlighted
from .engine.catalog import CATALOG_DIR
from .excel import matches_export
from .fields import REGION_LABELS
from .forms import CalculatorForm
from .models import PolicyRecord
from .presenting import SECTIONS, group_results
from .whatif import OverrideError, parameters, parse_overrides


def calculator(request):
    """The portal calculator: anyone, no login."""
    form = CalculatorForm(request.GET or None, initial={"as_of": dt.date.today(), "city": "shenyang"})
    context: dict = {"form": form, "sections": SECTIONS}
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                result = calculate(form.profile())
            except ProfileError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message_zh)
                status = 422
            else:
                context.update(result=result, groups=group_results(result))
        else:
            status = 422
    return render(request, "policies/calculator.html", context, status=status)


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
    from rencai.jobs.models import JobStatus
    from rencai.jobs.selectors import latest_job

    from .jobs import MATCH_KEY

    user = request.user
    job = latest_job(kind="match", dedupe_key=MATCH_KEY) if user.is_government or user.is_administrator else None
    if job is not None and job.finished and not (job.status == JobStatus.FAILED and (
            run is None or (job.finished_at and run.finished_at and job.finished_at > run.finished_at))):
        job = None  # a finished run is the figures themselves; only a failure after them is news
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
    return render(request, "policies/match_list.html", {
        "page": page, "policy": default_catalog().policies[policy], **_freshness(request, run)})


@login_required
def match_export(request, policy: str):
    run, queryset = _latest_matches(request, policy)
    title = default_catalog().policies[policy].title
    audit_record(actor=request.user, action=AuditAction.EXPORT, object_type="policies.policymatch",
                 summary=f"导出政策找人名单：{title}", filters={"policy": policy, "run": run.pk},
                 row_count=selectors.policy_match_count(user=request.user, run=run, policy=policy))
    return xlsx_streaming_response([matches_export(queryset, title=title)], f"政策找人-{title}.xlsx")


@login_required
def whatif(request):
    """预算测算: leaders and staff change an amount and see what it would cost across the registry."""
    require_government(request.user)
    options = parameters()
    values = {p.key: p.value for p in options}
    changes, error, chosen = None, "", []
    for key, amount in zip(request.GET.getlist("key"), request.GET.getlist("amount"), strict=False):
        if key and amount.strip():
            chosen.append(f"{key}={amount.strip()}")
    day = dt.date.today()
    if request.GET.get("as_of"):
        try:
            day = dt.date.fromisoformat(request.GET["as_of"])
        except ValueError:
            error = "评估日：请按 YYYY-MM-DD 填写有效日期"
    job = None
    if chosen and not error:
        try:
            overrides = parse_overrides(chosen)
            scope = Talent.objects.filter(talent_scope_q(request.user))
            if scope.count() > settings.RENCAI_WHATIF_INLINE_TALENTS:  # a large registry: a background job
                from .jobs import whatif_background

                job, changes = whatif_background(user=request.user, as_of=day, chosen=chosen)
            else:
                changes = registry_simulate(as_of=day, overrides=overrides, queryset=scope)
        except OverrideError as exc:
            error = str(exc).split(" / ")[0]
    chart = None
    if changes:
        chart = {
            "titles": [c.title for c in changes],
            "before": [float(c.this_year_before) for c in changes],  # display only; the table shows exact yuan
            "after": [float(c.this_year_after) for c in changes],
        }
    rows = [{"key": k, "amount": a} for k, a in zip(request.GET.getlist("key"), request.GET.getlist("amount"),
                                                   strict=False)]
    rows += [{"key": "", "amount": ""}] * (3 - len(rows))
    return render(request, "policies/whatif.html", {
        "options": options, "values": values, "rows": rows[:3], "as_of": day, "changes": changes, "error": error,
        "chart": chart, "job": job,
    }, status=422 if error else 200)


KIND_LABELS = {"entitlement": "待遇", "program": "项目（择优评审）", "service": "服务"}


def policy_list(request):
    """The published catalog (政策发布): every policy, its document and its words, for anyone."""
    catalog = default_catalog()
    by_region: dict[str, list] = {}
    for policy in sorted(catalog.policies.values(), key=lambda p: (p.jurisdiction, p.kind, p.id)):
        by_region.setdefault(REGION_LABELS[policy.jurisdiction], []).append(policy)
    return render(request, "policies/policy_list.html",
                  {"by_region": by_region, "kinds": KIND_LABELS, "today": dt.date.today()})


def policy_detail(request, policy: str):
    found = default_catalog().policies.get(policy)
    if found is None:
        raise NotFound("未找到该政策")
    record = PolicyRecord.objects.filter(policy=policy).prefetch_related("revisions").first()
    rows = [row for let in found.lets for row in let.rows]
    return render(request, "policies/policy_detail.html", {
        "policy": found, "rows": rows, "record": record, "kind_label": KIND_LABELS.get(found.kind, found.kind),
        "region": REGION_LABELS[found.jurisdiction],
        "rule_text": (CATALOG_DIR / found.file).read_text(encoding="utf-8"),
    })
