"""The auditors' page: search the audit log by actor, action, object and date range (read-only)."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from . import selectors
from .enums import AuditAction

PAGE_SIZE = 50


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()) if value and value.strip() else None
    except ValueError:
        return None


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) <= 6 else 1


@login_required
def events(request):
    selectors.require_auditor(request.user)
    filters = selectors.AuditFilters(
        actor=request.GET.get("actor", "")[:150],
        action=request.GET.get("action", ""),
        object_type=request.GET.get("object_type", "")[:40],
        object_id=request.GET.get("object_id", "")[:40],
        date_from=_date(request.GET.get("date_from", "")),
        date_to=_date(request.GET.get("date_to", "")),
    )
    page = Paginator(selectors.audit_search(user=request.user, filters=filters), PAGE_SIZE).get_page(
        _page_number(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/events.html", {
        "page": page, "filters": filters, "actions": AuditAction.choices, "query": query.urlencode()})
