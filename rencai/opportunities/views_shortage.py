"""Pages of the 急需紧缺人才需求目录: staff keep and publish the catalogs and decide employers' demand entries;
employers submit theirs; the published catalogs are public. Views read the request and call ``shortage``; an
AppError raised by an action is shown by the error middleware with its status, a form's errors on the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from rencai.accounts.enums import Role
from rencai.core.confirm import Confirmation, confirm_first
from rencai.core.errors import NotFound, PermissionDenied, ValidationFailed
from rencai.core.excel import xlsx_bytes, xlsx_response
from rencai.core.parsing import bounded_int
from rencai.organizations.enums import Industry
from rencai.talents.enums import Degree

from . import shortage
from .enums import CatalogStatus, DemandStatus, Urgency


def _year(request) -> int:
    return bounded_int(request.GET.get("year"), field="year", label="年度", minimum=shortage.FIRST_YEAR,
                       maximum=shortage.this_year() + 1, default=shortage.this_year())


def _years() -> list[int]:
    return list(range(shortage.this_year() + 1, shortage.FIRST_YEAR - 1, -1))


def _entry_input(post) -> shortage.EntryInput:
    return shortage.EntryInput(position=post.get("position", ""), skills=post.get("skills", ""),
                               degree_min=post.get("degree_min", ""), headcount=post.get("headcount", ""),
                               urgency=post.get("urgency", ""))


def _choices() -> dict:
    return {"degrees": Degree.choices, "urgencies": Urgency.choices}


@login_required
def index(request):
    """Staff and leaders: the year's catalogs per chain (city staff create the missing ones); employers: their
    demand entries and the form to submit one."""
    user = request.user
    if user.role == Role.EMPLOYER:
        return _employer_page(request)
    if not shortage.is_reader(user):
        raise PermissionDenied("急需紧缺人才需求目录的编制由人社部门办理；已发布的目录请在公开页面查看")
    year = _year(request)
    catalogs = shortage.catalogs_of_year(year)
    have = {c.industry for c in catalogs}
    return render(request, "opportunities/shortage/index.html", {
        "year": year, "years": _years(), "catalogs": catalogs, "note": shortage.CHAINS_NOTE,
        "may_edit": shortage.is_city_office(user),
        "missing": [(k, label) for k, label in Industry.choices if k not in have],
        "waiting": shortage.demands_for_staff(user=user, year=year).filter(
            demand_status=DemandStatus.SUBMITTED).count(),
        "published": any(c.status == CatalogStatus.PUBLISHED for c in catalogs),
    })


def _employer_page(request, errors=None, status: int = 200):
    user = request.user
    organization = user.organization
    return render(request, "opportunities/shortage/employer.html", {
        "organization": organization, "entries": shortage.demands_of_employer(user), "errors": errors or [],
        "post": request.POST, "years": shortage.demand_years(), "note": shortage.CHAINS_NOTE, **_choices(),
    }, status=status)


@login_required
@require_POST
def demand_new(request):
    try:
        entry = shortage.demand_submit(actor=request.user, year=request.POST.get("year"),
                                       data=_entry_input(request.POST))
    except ValidationFailed as failed:
        if request.user.role != Role.EMPLOYER:
            raise
        return _employer_page(request, failed.errors, failed.status)
    messages.success(request, f"需求“{entry.position}”已提交，待人社部门采纳")
    return redirect("opportunities:shortage_index")


@login_required
@require_POST
def catalog_new(request):
    catalog = shortage.catalog_create(actor=request.user, year=request.POST.get("year"),
                                      industry=request.POST.get("industry", ""))
    messages.success(request, f"已建立《{catalog}急需紧缺人才需求目录》，请添加岗位")
    return redirect("opportunities:shortage_catalog", catalog.pk)


@login_required
def catalog(request, shortage_catalog_id: int, errors=None, status: int = 200):
    user = request.user
    the_catalog = shortage.catalog_get(user=user, catalog_id=shortage_catalog_id)
    draft = the_catalog.status == CatalogStatus.DRAFT
    return render(request, "opportunities/shortage/catalog.html", {
        "catalog": the_catalog, "entries": list(shortage.catalog_entries(the_catalog)),
        "may_edit": shortage.is_city_office(user) and draft, "may_publish": shortage.is_city_office(user),
        "reader": shortage.is_reader(user), "errors": errors or [], "post": request.POST if errors else {},
        "pending": the_catalog.entries.filter(demand_status=DemandStatus.SUBMITTED).count(),
        **_choices(),
    }, status=status)


@login_required
@require_POST
def entry_new(request, shortage_catalog_id: int):
    try:
        entry = shortage.entry_save(actor=request.user, catalog_id=shortage_catalog_id,
                                    data=_entry_input(request.POST))
    except ValidationFailed as failed:
        return catalog(request, shortage_catalog_id, errors=failed.errors, status=failed.status)
    messages.success(request, f"已添加岗位“{entry.position}”")
    return redirect("opportunities:shortage_catalog", shortage_catalog_id)


@login_required
def entry_edit(request, shortage_entry_id: int):
    user = request.user
    if not shortage.is_city_office(user):
        raise PermissionDenied("急需紧缺人才需求目录由市级人社部门编制和发布")
    entry = shortage.ShortageEntry.objects.select_related("catalog").filter(pk=shortage_entry_id).first()
    if entry is None:
        raise NotFound("未找到该岗位")
    errors, status = [], 200
    if request.method == "POST":
        try:
            shortage.entry_save(actor=user, catalog_id=entry.catalog_id, entry_id=entry.pk,
                                data=_entry_input(request.POST))
        except ValidationFailed as failed:
            errors, status = failed.errors, failed.status
        else:
            messages.success(request, "岗位已保存")
            return redirect("opportunities:shortage_catalog", entry.catalog_id)
    values = request.POST if request.method == "POST" else {
        "position": entry.position, "skills": entry.skills, "degree_min": entry.degree_min,
        "headcount": entry.headcount, "urgency": entry.urgency}
    return render(request, "opportunities/shortage/entry.html", {
        "entry": entry, "catalog": entry.catalog, "post": values, "errors": errors, **_choices(),
    }, status=status)


def _describe_entry_delete(request, shortage_entry_id: int) -> Confirmation:
    entry = shortage.ShortageEntry.objects.select_related("catalog").filter(pk=shortage_entry_id).first()
    if entry is None or not shortage.is_city_office(request.user):
        raise NotFound("未找到该岗位")
    return Confirmation(title=f"确认从《{entry.catalog}急需紧缺人才需求目录》删除岗位“{entry.position}”？",
                        effects=["该岗位从目录中删除"], action="确认删除")


@login_required
@require_POST
@confirm_first(_describe_entry_delete)
def entry_delete(request, shortage_entry_id: int):
    catalog_ = shortage.entry_delete(actor=request.user, entry_id=shortage_entry_id)
    messages.success(request, "岗位已删除")
    return redirect("opportunities:shortage_catalog", catalog_.pk)


def _describe_act(request, shortage_catalog_id: int) -> Confirmation:
    the_catalog = shortage.catalog_get(user=request.user, catalog_id=shortage_catalog_id)
    if request.POST.get("action") == "withdraw":
        return Confirmation(title=f"确认撤回《{the_catalog}急需紧缺人才需求目录》的发布？",
                            effects=["目录从公开页面撤下，恢复为编制中，可以修改",
                                     "用人单位不能再按该目录申报急需紧缺人才奖励"],
                            action="确认撤回", undo="修改后可以重新发布。")
    return Confirmation(title=f"确认发布《{the_catalog}急需紧缺人才需求目录》？",
                        effects=["目录在公开页面发布，此后不能修改", "用人单位可以按目录中的岗位申报急需紧缺人才奖励"],
                        action="确认发布", undo="发布后如需修订，可以撤回发布（已有申报引用时不能撤回）。")


@login_required
@require_POST
@confirm_first(_describe_act)
def catalog_act(request, shortage_catalog_id: int):
    action = request.POST.get("action", "")
    the_catalog = shortage.catalog_transition(actor=request.user, catalog_id=shortage_catalog_id, action=action)
    done = "已发布" if action == "publish" else "已撤回发布"
    messages.success(request, f"《{the_catalog}急需紧缺人才需求目录》{done}")
    return redirect("opportunities:shortage_catalog", the_catalog.pk)


@login_required
@require_POST
def catalog_import(request, shortage_catalog_id: int):
    try:
        count = shortage.entries_import(actor=request.user, catalog_id=shortage_catalog_id,
                                        upload=request.FILES.get("file"))
    except (ValidationFailed, shortage.ImportFailed) as failed:
        return catalog(request, shortage_catalog_id, errors=[str(e) for e in failed.errors], status=failed.status)
    messages.success(request, f"已导入{count}个岗位")
    return redirect("opportunities:shortage_catalog", shortage_catalog_id)


@login_required
def import_template(request):
    if not shortage.is_city_office(request.user):
        raise PermissionDenied("急需紧缺人才需求目录由市级人社部门编制和发布")
    return xlsx_response(shortage.import_template(), "急需紧缺岗位导入模板.xlsx")


def catalog_export(request, shortage_catalog_id: int):
    """One catalog as .xlsx: a published one for anyone (it is public), a draft for staff and leaders."""
    the_catalog = shortage.catalog_get(user=request.user, catalog_id=shortage_catalog_id)
    return xlsx_response(xlsx_bytes([shortage.catalog_sheet([the_catalog])]),
                         f"{the_catalog}急需紧缺人才需求目录.xlsx")


def year_export(request, shortage_year: int):
    """Every published catalog of a year as one .xlsx (public)."""
    catalogs = list(shortage.published_catalogs(shortage_year))
    if not catalogs:
        raise NotFound(f"{shortage_year}年尚无已发布的急需紧缺人才需求目录")
    return xlsx_response(xlsx_bytes([shortage.catalog_sheet(catalogs)]), f"{shortage_year}年急需紧缺人才需求目录.xlsx")


@login_required
def demands(request):
    """Staff: employers' demand entries of the year (their district's, for district staff), waiting ones first."""
    user = request.user
    if not shortage.is_reader(user):
        raise PermissionDenied("只有人社部门工作人员可以查看用人单位的需求")
    year = _year(request)
    rows = list(shortage.demands_for_staff(user=user, year=year)[:500])
    return render(request, "opportunities/shortage/demands.html", {
        "year": year, "years": _years(), "rows": rows,
        "may_decide": user.role == Role.STAFF or user.is_administrator,
    })


def _describe_decide(request, shortage_entry_id: int) -> Confirmation:
    entry = shortage.ShortageEntry.objects.select_related("organization", "catalog").filter(
        pk=shortage_entry_id, organization__isnull=False).first()
    if entry is None or not shortage.is_reader(request.user):
        raise NotFound("未找到该需求，或不在您的管辖范围内")
    accept = request.POST.get("accept") == "1"
    what = f"{entry.organization.name}的需求“{entry.position}”"
    if accept:
        return Confirmation(title=f"确认采纳{what}？", effects=[f"岗位列入《{entry.catalog}急需紧缺人才需求目录》",
                                                           "需求单位将收到通知"], action="确认采纳")
    return Confirmation(title=f"确认不采纳{what}？", effects=["不采纳的理由将告知需求单位"], action="确认不采纳")


@login_required
@require_POST
@confirm_first(_describe_decide)
def demand_decide(request, shortage_entry_id: int):
    accept = request.POST.get("accept") == "1"
    entry = shortage.demand_decide(actor=request.user, entry_id=shortage_entry_id, accept=accept,
                                   reason=request.POST.get("reason", ""))
    messages.success(request, f"需求“{entry.position}”{entry.get_demand_status_display()}")
    return redirect(f"{reverse('opportunities:shortage_demands')}?year={entry.catalog.year}")


def public(request):
    """The published catalogs of a year, by chain (no login)."""
    years = shortage.published_years()
    default = years[0] if years else shortage.this_year()
    year = bounded_int(request.GET.get("year"), field="year", label="年度", minimum=shortage.FIRST_YEAR,
                       maximum=shortage.this_year() + 1, default=default)
    return render(request, "opportunities/shortage/public.html", {
        "year": year, "years": years, "catalogs": list(shortage.published_catalogs(year)),
        "note": shortage.CHAINS_NOTE,
    })
