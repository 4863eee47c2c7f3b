"""Pages of 决策预警: the list (filters by kind, state and district; Excel, logged), a warning's page with its
history and the owners' form. Views read the request, call a selector or the transition and render; an AppError
is shown with its status (a 4xx)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.confirm import confirm_first
from rencai.core.excel import Sheet, xlsx_streaming_response
from rencai.core.paging import list_page

from . import confirmations, selectors, services
from .enums import Action, RuleKind, State

PAGE_SIZE = 50


def _filters(request) -> dict:
    kind, state, district = (request.GET.get(k, "") for k in ("kind", "state", "district"))
    return {"kind": kind if kind in RuleKind.values else "",
            "state": state if state in ("open", "all", *State.values) else "open",
            "district": district if district.isdigit() and len(district) == 6 else ""}


def _place(w) -> str:
    if w.place_id:
        return w.place.name
    return w.talent.district.name if w.talent_id else ""


@login_required
def warning_list(request):
    from rencai.analytics.selectors import districts_of

    user = request.user
    filters = _filters(request)
    rows = selectors.warning_list(user=user, **filters)
    page = list_page(rows, params=request.GET, per_page=PAGE_SIZE, keys=("id",))
    return render(request, "earlywarning/list.html", {
        "page": page, "rows": [(w, _place(w)) for w in page], "filters": filters,
        "kinds": RuleKind.choices, "states": State.choices, "districts": districts_of(user),
        "counts": selectors.counts(user=user), "query": request.GET.urlencode(),
    })


@login_required
def warning_export(request):
    user = request.user
    filters = _filters(request)
    rows = selectors.warning_list(user=user, **filters).order_by("-id")
    count = rows.count()
    audit_record(actor=user, action=AuditAction.EXPORT, object_type="earlywarning.earlywarning",
                 summary="导出决策预警", filters=filters, row_count=count)

    def lines():
        for w in rows.iterator(chunk_size=2000):
            yield [w.pk, w.get_kind_display(), w.title, w.talent.name if w.talent_id else "", _place(w),
                   w.get_state_display(), timezone.localtime(w.raised_at).strftime("%Y-%m-%d %H:%M"),
                   timezone.localtime(w.closed_at).strftime("%Y-%m-%d %H:%M") if w.closed_at else "", w.reason]

    sheet = Sheet(title="决策预警", header=["编号", "预警类型", "预警内容", "人才", "区县", "状态", "预警时间",
                                          "关闭时间", "原因"], rows=lines())
    return xlsx_streaming_response([sheet], "决策预警.xlsx")


@login_required
def warning_detail(request, warning_id: int):
    user = request.user
    warning = selectors.warning_get(user=user, warning_id=warning_id)
    return render(request, "earlywarning/detail.html", {
        "warning": warning, "place": _place(warning), "history": selectors.warning_history(warning),
        "may_act": warning.is_open and services.may_act(user, warning),
        "talent_visible": bool(warning.talent_id) and _talent_visible(user, warning.talent_id),
    })


def _talent_visible(user, talent_id: int) -> bool:
    from rencai.accounts.permissions import talent_scope_q
    from rencai.talents.models import Talent

    return Talent.objects.filter(talent_scope_q(user), pk=talent_id).exists()


@login_required
@require_POST
@confirm_first(confirmations.act)
def warning_act(request, warning_id: int):
    action = request.POST.get("action", "")
    warning = services.warning_transition(actor=request.user, warning_id=warning_id, action=action,
                                          version=request.POST.get("version"), reason=request.POST.get("reason", ""))
    messages.success(request, f"预警{Action(action).label}。")
    return redirect("earlywarning:detail", warning.pk)
