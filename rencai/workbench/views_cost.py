"""Pages of the cost before publishing (发布前测算): the panel on a revision's page (GET shows it, POST starts the
run in the background) and the people who would lose an entitlement, with its Excel export (logged). Officers
only; every list is the viewer's jurisdiction."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.errors import FieldError, ValidationFailed
from rencai.core.excel import Sheet, xlsx_streaming_response

from . import cost, services
from .views import _officer

LOSERS_HEADER = ["姓名", "证件号码", "区县", "现在是否已享受", "按现行规则金额（元）", "金额类型", "按草稿的结果"]


def _as_of(value: str | None) -> dt.date:
    if not value:
        return timezone.localdate()
    try:
        day = dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise ValidationFailed([FieldError("as_of", "评估日：请填写有效日期，格式为“年-月-日”")]) from None
    if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
        raise ValidationFailed([FieldError("as_of", "评估日：请填写2000年至2100年之间的日期")])
    return day


@require_http_methods(["GET", "POST"])
@_officer
def revision_cost(request, revision_id: int):
    """GET: the panel (its progress while the run goes: the panel fetches itself). POST: start the run."""
    revision = services.revision_get(revision_id)
    problems, status = [], 200
    if request.method == "POST":
        as_of = _as_of(request.POST.get("as_of"))
        try:
            cost.cost_enqueue(revision=revision, viewer=request.user, as_of=as_of)
        except services.RuleError as error:
            problems, status = error.problems, 422
        revision.refresh_from_db(fields=["cost"])  # a run done at once (an inline task backend) has kept it
        if not problems and not request.headers.get("HX-Request"):
            return redirect(f"{cost.panel_url(revision)}?as_of={as_of.isoformat()}")
    else:
        as_of = _as_of(request.GET.get("as_of"))
    panel = {**cost.cost_panel(revision, request.user, as_of=as_of), "problems": problems}
    template = "workbench/_cost_panel.html" if request.headers.get("HX-Request") else "workbench/cost.html"
    return render(request, template, {"panel": panel, "revision": revision, "title": cost.rule_title(revision)},
                  status=status)



def _losers(request, revision_id: int):
    revision = services.revision_get(revision_id)
    summary, policy = None, request.GET.get("policy", "")[:80]
    if not policy:  # the first policy of the kept result
        summary = cost._kept(revision, cost.scope_key(request.user), "summary") or {}
        policy = next((p["policy"] for p in summary.get("policies", [])), "")
    summary, losers = cost.losers_of(revision, request.user, policy)
    entry = next(p for p in summary["policies"] if p["policy"] == policy)
    return revision, summary, entry, losers, request.GET.get("holders") == "1"


@_officer
def revision_losers(request, revision_id: int):
    revision, summary, entry, losers, holders_only = _losers(request, revision_id)
    page = cost.losers_page(losers, viewer=request.user, params=request.GET, holders_only=holders_only)
    panel = cost.cost_panel(revision, request.user, as_of=dt.date.fromisoformat(summary["as_of"]))
    return render(request, "workbench/losers.html", {
        "revision": revision, "summary": summary, "entry": entry, "page": page, "holders_only": holders_only,
        "holders_count": losers["holders"], "stale": panel["stale"], "stale_reasons": panel["stale_reasons"],
    })


@_officer
def revision_losers_export(request, revision_id: int):
    revision, summary, entry, losers, holders_only = _losers(request, revision_id)
    title = f"{entry['title']}-第{revision.number}版-将失去资格名单"
    count = losers["holders"] if holders_only else losers["count"]
    audit_record(actor=request.user, action=AuditAction.EXPORT, object_type="workbench.rulerevision",
                 object_id=revision.pk,
                 summary=f"导出发布前测算将失去资格名单：{entry['title']}（第{revision.number}版）",
                 filters={"policy": entry["policy"], "holders": "1" if holders_only else "",
                          "as_of": summary["as_of"]}, row_count=count)
    rows = ([r["talent"].name, r["talent"].id_number_masked, r["talent"].district.name, "是" if r["holds"] else "否",
             r["amount"], "每月" if r["monthly"] else "一次性", r["after"]]
            for r in cost.losers_rows(losers, viewer=request.user, holders_only=holders_only))
    return xlsx_streaming_response([Sheet("将失去资格名单", LOSERS_HEADER, rows)], f"{title}.xlsx")
