"""台账's pages: the year's ledger (scoped), its Excel export and PDF report, and the administrator's targets."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from rencai.accounts.permissions import require_government
from rencai.core.errors import NotFound, PermissionDenied, ValidationFailed
from rencai.core.excel import xlsx_bytes, xlsx_response
from rencai.core.parsing import bounded_int
from rencai.regions.models import Region, RegionLevel

from . import reports, selectors, services
from .enums import Measure

FIRST_YEAR = 2015


def _year(ledger_year: int) -> int:
    if not FIRST_YEAR <= ledger_year <= timezone.localdate().year + 1:
        raise NotFound("没有该年度的台账")
    return ledger_year


def _scope(user) -> str:
    return user.department.region.name if user.department_id else "全部地区"


@login_required
def index(request):
    """The ledger of ``?year=`` (this year by default): the page the menu opens."""
    require_government(request.user)
    this_year = timezone.localdate().year
    year = bounded_int(request.GET.get("year"), field="year", label="年度", minimum=FIRST_YEAR,
                       maximum=this_year + 1, default=this_year)
    return _year_page(request, year)


@login_required
def year_page(request, ledger_year: int):
    require_government(request.user)
    return _year_page(request, _year(ledger_year))


def _year_page(request, year: int):
    user = request.user
    ledger = selectors.ledger(user=user, year=year)
    this_year = timezone.localdate().year
    return render(request, "ledgers/year.html", {
        "ledger": ledger, "scope": _scope(user), "as_of": timezone.localtime(),
        "years": list(range(this_year + 1, FIRST_YEAR - 1, -1)),
        "may_set": user.is_administrator,
    })


@login_required
def export(request, ledger_year: int):
    user = request.user
    year = _year(ledger_year)
    ledger = selectors.ledger(user=user, year=year)
    return xlsx_response(xlsx_bytes(reports.ledger_sheets(ledger)), f"{_scope(user)}{year}年人才工作台账.xlsx")


@login_required
def report(request, ledger_year: int):
    user = request.user
    year = _year(ledger_year)
    ledger = selectors.ledger(user=user, year=year)
    content = reports.ledger_pdf(ledger, scope=_scope(user), as_of=f"{timezone.localtime():%Y-%m-%d %H:%M}")
    response = HttpResponse(content, content_type="application/pdf")
    name = quote(f"{_scope(user)}{year}年人才工作台账.pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{name}"
    return response


@login_required
def targets(request, ledger_year: int):
    """The year's targets as a grid (district × measure), for administrators; saving writes them all at once."""
    user = request.user
    if not user.is_administrator:
        raise PermissionDenied("只有系统管理员可以设定考核目标")
    year = _year(ledger_year)
    districts = list(Region.objects.filter(level=RegionLevel.DISTRICT).order_by("code"))
    errors, status = None, 200
    posted = request.POST if request.method == "POST" else None
    if posted is not None:
        goals = {(d.code, m): posted.get(services.goal_field(d.code, m), "") for d in districts for m in Measure.values}
        try:
            written = services.targets_set(actor=user, year=year, goals=goals)
        except ValidationFailed as failed:
            errors, status = failed, failed.status
        else:
            messages.success(request, f"{year}年考核目标已保存（{written} 项有变动）。")
            return redirect("ledgers:year", ledger_year=year)
    current = selectors.target_goals(year=year)
    beside = {e.field: e.message for e in errors.errors} if errors else {}
    grid = []
    for d in districts:
        cells = []
        for m, label in Measure.choices:
            name = services.goal_field(d.code, m)
            value = posted.get(name, "") if posted is not None else current.get((d.code, m), "")
            cells.append({"name": name, "label": f"{d.name}{label}目标", "value": value, "error": beside.get(name)})
        grid.append({"district": d, "cells": cells})
    return render(request, "ledgers/targets.html", {
        "year": year, "grid": grid, "measures": Measure.choices, "errors": errors,
    }, status=status)
