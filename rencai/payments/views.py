"""Pages of the payments app: they validate input and call services and selectors, nothing more."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from rencai.accounts.enums import Role
from rencai.accounts.permissions import require_government
from rencai.core.confirm import confirm_first
from rencai.core.errors import PermissionDenied, ValidationFailed
from rencai.core.excel import csv_response, xlsx_response
from rencai.core.parsing import bounded_int
from rencai.talents.models import Talent

from . import batches, confirmations, selectors, services
from . import jobs as payment_jobs
from .models import BankAccount, BatchStatus, EntitlementStatus


def _own_talent(user) -> Talent | None:
    return Talent.objects.filter(user=user).first() if user.role == Role.TALENT else None


@login_required
def mine(request):
    """The talent's own page: bank account, schedules, what was paid, what is next, why a month stopped."""
    talent = _own_talent(request.user)
    if talent is None:
        raise PermissionDenied("只有已登记档案的人才可以查看本人待遇发放")
    return render(request, "payments/mine.html", _mine_context(talent))


def _mine_context(talent, **extra) -> dict:
    return {"talent": talent, "account": BankAccount.objects.filter(talent=talent).first(),
            "schedules": selectors.talent_schedules(talent=talent), "form": {}, "errors": {}, **extra}


@login_required
@require_POST
def account_set(request):
    """The talent's bank account; every problem of the form at once, each next to its field, on the same page."""
    talent = _own_talent(request.user)
    if talent is None:
        raise PermissionDenied("只有已登记档案的人才可以登记本人收款账户")
    form = {key: request.POST.get(key, "") for key in ("bank_name", "account_name", "account_number")}
    try:
        services.bank_account_set(actor=request.user, talent=talent, **form)
    except ValidationFailed as exc:
        errors = {e.field: e.message for e in exc.errors}
        return render(request, "payments/mine.html", _mine_context(talent, form=form, errors=errors),
                      status=exc.status)
    messages.success(request, "收款账户已保存。")
    return redirect("payments:mine")


@login_required
@require_POST
def account_reveal(request, account_id: int):
    number = services.bank_account_reveal(actor=request.user, account_id=account_id,
                                          reason=request.POST.get("reason", ""))
    return JsonResponse({"account_number": number})


@login_required
def overview(request):
    """Staff: the payment batches, and the month's run figures."""
    queryset = selectors.batches_visible(user=request.user)
    page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    active_runs, recent_runs = payment_jobs.payment_runs(user=request.user)
    return render(request, "payments/overview.html", {
        "page": page, "can_approve": batches.can_approve(request.user),
        "is_staff": request.user.role == Role.STAFF or request.user.is_administrator,
        "this_month": timezone.localdate().replace(day=1), "can_run": payment_jobs.can_run(request.user),
        "active_runs": active_runs, "recent_runs": recent_runs})


@login_required
@require_POST
@confirm_first(confirmations.run_start)
def run_start(request):
    """开始发放运行: the month's payments prepared in the background; the overview shows its progress."""
    job = payment_jobs.payment_run_start(actor=request.user, month=request.POST.get("month"))
    messages.success(request, f"{job.title}已在后台开始，本页显示进度，完成后显示结果。")
    return redirect(reverse("payments:overview") + "#runs")


@login_required
@require_POST
@confirm_first(confirmations.batch_create)
def batch_create(request):
    batch = batches.batch_create(actor=request.user)
    messages.success(request, f"已生成发放批次 {batch.number}：{batch.count}笔，合计{batch.total}元，待财政审批。")
    return redirect("payments:batch", batch.pk)


@login_required
def batch_detail(request, batch_id: int):
    batch = selectors.batch_get(user=request.user, batch_id=batch_id)
    lines = Paginator(selectors.batch_lines(user=request.user, batch=batch), 50).get_page(request.GET.get("page"))
    return render(request, "payments/batch.html", {
        "batch": batch, "lines": lines, "can_approve": batches.can_approve(request.user),
        "summary": batches.batch_summary(batch), "draft": batch.status == BatchStatus.DRAFT,
        "is_staff": request.user.role == Role.STAFF or request.user.is_administrator})


@login_required
@require_POST
@confirm_first(confirmations.batch_act)
def batch_act(request, batch_id: int, action: str):
    batch = batches.batch_transition(actor=request.user, batch_id=batch_id, action=action)
    if action == "cancel":
        messages.success(request, "批次已撤销，其中各笔回到待发放。")
        return redirect("payments:overview")
    messages.success(request, f"批次 {batch.number} 已审批，可以导出银行文件。")
    return redirect("payments:batch", batch_id)


@login_required
def batch_bank_file(request, batch_id: int):
    content, name = batches.bank_file(actor=request.user, batch_id=batch_id)
    return csv_response(content, name)


@login_required
def batch_export(request, batch_id: int):
    content, name = batches.batch_xlsx(actor=request.user, batch_id=batch_id)
    return xlsx_response(content, name)


@login_required
@require_POST
def batch_return(request, batch_id: int):
    result = batches.batch_return_import(actor=request.user, batch_id=batch_id, upload=request.FILES.get("file"))
    messages.success(request, f"银行回盘已导入：到账{result['paid']}笔，失败{result['failed']}笔，"
                              f"此前已处理{result['unchanged']}笔。")
    return redirect("payments:batch", batch_id)


@login_required
def budgets(request):
    require_government(request.user)
    this_year = timezone.localdate().year
    year = bounded_int(request.GET.get("year"), field="year", label="年度", minimum=2000, maximum=this_year + 1,
                       default=this_year)
    return render(request, "payments/budgets.html", {
        "rows": selectors.budget_rows(user=request.user, year=year), "year": year, "next_year": year + 1,
        "years": list(range(this_year - 3, this_year + 2))})


@login_required
def entitlements(request):
    policy = request.GET.get("policy", "")[:80]
    status = request.GET.get("status", "")
    if status not in EntitlementStatus.values:
        status = ""
    queryset = selectors.entitlement_search(user=request.user, policy=policy, status=status)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    month = timezone.localdate().replace(day=1)
    return render(request, "payments/entitlements.html", {
        "page": page, "policy": policy, "status": status, "statuses": EntitlementStatus.choices,
        "month": month, "stops": selectors.stops_for_month(user=request.user, month=month)[:50],
        })
