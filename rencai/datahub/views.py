"""The data centre's pages: the dashboard, a feed (format, upload, push token, loads), a load (progress and the
row-by-row report), a feed's unmatched rows, the discrepancies; the exports go through core.excel and are logged."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.confirm import confirm_first
from rencai.core.errors import AppError, ValidationFailed
from rencai.core.excel import Sheet, xlsx_bytes, xlsx_response, xlsx_streaming_response
from rencai.core.labels import field_label
from rencai.core.paging import list_page

from . import access, confirmations, presenting, selectors, services
from .enums import DiscrepancyStatus, Resolution

PAGE_SIZE = 50
MAX_EXPORT_ROWS = 200_000


@login_required
def dashboard(request):
    rows = selectors.feeds_overview(user=request.user)
    disputes = selectors.discrepancy_counts_by_feed(user=request.user)
    for row in rows:
        row.open_discrepancies = disputes.get(row.feed.pk, 0)
    return render(request, "datahub/dashboard.html", {
        "rows": rows, "open_discrepancies": sum(disputes.values()),
        "late": sum(1 for r in rows if r.freshness.late)})


def _feed_page(request, feed, *, token: str = "", error: str = "", status: int = 200):
    spec = feed.spec
    columns = [(feed.header_of(c.key), c) for c in spec.columns]
    return render(request, "datahub/feed.html", {
        "feed": feed, "spec": spec, "columns": columns, "loads": selectors.feed_loads(feed=feed),
        "may_load": access.may_load(request.user, feed), "may_see_rows": access.may_see_rows(request.user, feed),
        "freshness": selectors.feed_freshness(feed), "unmatched": selectors.unmatched_count(feed=feed),
        "token": token, "error": error, "push_url": request.build_absolute_uri(f"/api/datahub/feeds/{feed.pk}/rows"),
    }, status=status)


@login_required
def feed_detail(request, feed_id: int):
    return _feed_page(request, selectors.feed_get(user=request.user, feed_id=feed_id))


@login_required
@require_POST
def feed_upload(request, feed_id: int):
    feed = selectors.feed_get(user=request.user, feed_id=feed_id)
    try:
        load = services.load_submit(actor=request.user, feed_id=feed.pk, upload=request.FILES.get("file"))
    except AppError as exc:
        if exc.status in (403, 404):
            raise
        return _feed_page(request, feed, error=exc.message, status=exc.status)
    messages.success(request, f"已提交第{load.pk}批数据，正在后台装载")
    return redirect("datahub:load", load_id=load.pk)


@login_required
@require_POST
@confirm_first(confirmations.token_rotate)
def feed_token(request, feed_id: int):
    """A new push token, shown once on this answer (never stored in clear, never shown again)."""
    feed = selectors.feed_get(user=request.user, feed_id=feed_id)
    token = services.feed_token_rotate(actor=request.user, feed_id=feed.pk)
    feed.refresh_from_db()
    return _feed_page(request, feed, token=token)


@login_required
def feed_template(request, feed_id: int):
    feed = selectors.feed_get(user=request.user, feed_id=feed_id)
    spec = feed.spec
    header = [feed.header_of(c.key) for c in spec.columns]
    notes = [[feed.header_of(c.key), "必填" if c.required and c.default is None else "选填",
              _column_hint(c)] for c in spec.columns]
    return xlsx_response(xlsx_bytes([Sheet(feed.get_kind_display()[:31], header, [], column_width=20),
                                     Sheet("填写说明", ["列名", "是否必填", "填写要求"], notes, column_width=24)]),
                         f"{feed.name}模板.xlsx")


def _column_hint(column) -> str:
    from . import kinds

    hints = {kinds.ID: "18位居民身份证号码", kinds.USCC: "18位统一社会信用代码", kinds.MONTH: "年月，如 2026-11",
             kinds.YEAR: "四位年份，如 2025", kinds.DATE: "日期，如 2026-11-05",
             kinds.MONEY: "金额（元），最多两位小数",
             kinds.DECIMAL: "数值，最多两位小数", kinds.REGION: "区县名称（如 和平区）或六位行政区划代码",
             kinds.NAME: "姓名", kinds.TEXT: f"文字，最多{column.max_length}字"}
    if column.type == kinds.CHOICE:
        hint = "、".join(label for _code, label in column.choices)
        return hint + (f"（空白视为{dict(column.choices)[column.default]}）" if column.default else "")
    return hints.get(column.type, "")


@login_required
def load_detail(request, load_id: int):
    load = selectors.load_get(user=request.user, load_id=load_id)
    errors = load.errors or []
    return render(request, "datahub/load.html", {"load": load, "errors": errors[:500],
                                                 "more_errors": max(0, load.error_count - min(len(errors), 500))})


@login_required
def load_report(request, load_id: int):
    load = selectors.load_get(user=request.user, load_id=load_id)
    rows = [[e["row"], e["field"], e["message"]] for e in load.errors or []]
    audit_record(actor=request.user, action=AuditAction.EXPORT, obj=load, row_count=len(rows),
                 summary=f"导出数据源“{load.feed.name}”第{load.pk}批的逐行报告（Excel，证件号码已脱敏）")
    return xlsx_response(xlsx_bytes([Sheet("逐行报告", ["行号", "列", "原因"], rows)]),
                         f"{load.feed.name}第{load.pk}批逐行报告.xlsx")


@login_required
def unmatched(request, feed_id: int):
    feed = selectors.feed_get(user=request.user, feed_id=feed_id)
    queryset = selectors.unmatched_rows(user=request.user, feed=feed)
    page = list_page(queryset, params=request.GET, per_page=PAGE_SIZE, keys=["id"])
    rows = [(f, presenting.period_text(f.kind, f.period), presenting.value_text(f.kind, f.value)) for f in page]
    return render(request, "datahub/unmatched.html", {"feed": feed, "page": page, "rows": rows})


@login_required
def unmatched_export(request, feed_id: int):
    feed = selectors.feed_get(user=request.user, feed_id=feed_id)
    queryset = selectors.unmatched_rows(user=request.user, feed=feed)
    count = min(selectors.unmatched_count(feed=feed), MAX_EXPORT_ROWS)
    audit_record(actor=request.user, action=AuditAction.EXPORT, obj=feed, row_count=count,
                 summary=f"导出数据源“{feed.name}”的未匹配名单（Excel，证件号码已脱敏）")
    who = "证件号码" if feed.spec.subject == "person" else "统一社会信用代码"
    rows = ([f.subject_masked, f.subject_name, presenting.period_text(f.kind, f.period),
             presenting.value_text(f.kind, f.value), f.as_of] for f in
            queryset[:MAX_EXPORT_ROWS].iterator(chunk_size=2000))
    return xlsx_streaming_response([Sheet("未匹配名单", [who, "姓名（名称）", "期间", "内容", "核验日期"], rows)],
                                   f"{feed.name}未匹配名单.xlsx")


@login_required
def discrepancies(request):
    status = request.GET.get("status", DiscrepancyStatus.OPEN)
    if status not in DiscrepancyStatus.values:
        status = DiscrepancyStatus.OPEN
    queryset = selectors.discrepancies_visible(user=request.user).filter(status=status)
    page = list_page(queryset, params=request.GET, per_page=PAGE_SIZE, keys=["id"])
    rows = [(d, field_label(d.field) or "申报事项") for d in page]
    return render(request, "datahub/discrepancies.html", {
        "page": page, "rows": rows, "status": status, "statuses": DiscrepancyStatus.choices})



def _discrepancy_page(request, item, *, errors=None, form=None, status=200):
    fact = item.fact  # None: a month the feed delivered without the talent (the load and the month are the evidence)
    return render(request, "datahub/discrepancy.html", {
        "item": item, "label": field_label(item.field) or "申报事项", "fact": fact,
        "period": presenting.period_text(item.feed.kind, fact.period if fact else item.period),
        "parts": presenting.value_parts(fact.kind, fact.value) if fact else [],
        "proposal": selectors.discrepancy_proposal(item) if item.status == DiscrepancyStatus.OPEN else [],
        "may_resolve": item.status == DiscrepancyStatus.OPEN
        and (request.user.role == "staff" or request.user.is_administrator),
        "resolutions": Resolution.choices, "errors": errors or {}, "form": form or {},
    }, status=status)


@login_required
def discrepancy_detail(request, discrepancy_id: int):
    return _discrepancy_page(request, selectors.discrepancy_get(user=request.user, discrepancy_id=discrepancy_id))


@login_required
@require_POST
@confirm_first(confirmations.discrepancy_resolve)
def discrepancy_resolve(request, discrepancy_id: int):
    item = selectors.discrepancy_get(user=request.user, discrepancy_id=discrepancy_id)
    try:
        services.discrepancy_transition(actor=request.user, discrepancy_id=item.pk,
                                        resolution=request.POST.get("resolution", ""),
                                        note=request.POST.get("note", ""))
    except ValidationFailed as exc:
        errors = {e.field: e.message for e in exc.errors}
        return _discrepancy_page(request, item, errors=errors, form=request.POST, status=400)
    messages.success(request, "疑点已处理")
    return redirect("datahub:discrepancy", discrepancy_id=item.pk)


@login_required
def discrepancies_export(request):
    status = request.GET.get("status", DiscrepancyStatus.OPEN)
    if status not in DiscrepancyStatus.values:
        status = DiscrepancyStatus.OPEN
    queryset = selectors.discrepancies_visible(user=request.user).filter(status=status).order_by("-id")
    count = queryset.count()
    audit_record(actor=request.user, action=AuditAction.EXPORT, obj=None, row_count=min(count, MAX_EXPORT_ROWS),
                 summary=f"导出{DiscrepancyStatus(status).label}的数据疑点（Excel，{count}条，证件号码已脱敏）")
    rows = ([d.talent.name, d.talent.id_number_masked, str(d.talent.district), field_label(d.field) or "申报事项",
             d.declared, d.verified, d.feed.name, d.raised_at.date(), d.get_status_display(),
             d.get_resolution_display() if d.resolution else "", d.note if d.resolution else "",
             str(d.resolved_by or ""), d.resolved_at.date() if d.resolved_at else ""]
            for d in queryset[:MAX_EXPORT_ROWS].iterator(chunk_size=2000))
    header = ["姓名", "证件号码", "所在区县", "事项", "申报", "核验数据", "来源", "发现时间", "状态", "处理结果",
              "处理说明", "处理人", "处理时间"]
    return xlsx_streaming_response([Sheet("数据疑点", header, rows)],
                                   f"数据疑点（{DiscrepancyStatus(status).label}）.xlsx")
