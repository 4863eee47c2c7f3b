"""Pages of jobs and 见习 (人才对接): the employer's own positions (form, submit, applicants, moves, 见习 end,
Excel), staff's review queue and list (Excel) and 见习 retention, the talent's list, detail with the apply form and
own applications, and the public page of open opportunities (no login). Views read the request, call a selector
or a service and render; an AppError is shown with its status (a 4xx)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.views.decorators.http import require_POST

from rencai.accounts.enums import Role
from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.confirm import Confirmation, confirm_first
from rencai.core.errors import PermissionDenied, ValidationFailed
from rencai.core.excel import Sheet, xlsx_streaming_response
from rencai.core.parsing import bounded_int
from rencai.organizations.enums import Industry
from rencai.regions.models import Region, RegionLevel
from rencai.talents.enums import Degree

from . import selectors, services
from .enums import APPLIABLE_KINDS, ApplicationState, CatalogStatus, OpportunityKind, OpportunityStatus
from .models import ShortageEntry

PAGE_SIZE = 20
JOB_KINDS = (OpportunityKind.JOB, OpportunityKind.INTERNSHIP)


def _city_districts():
    from rencai.datahub.discrepancies import city_prefix

    city = city_prefix()
    return list(Region.objects.filter(level=RegionLevel.DISTRICT, code__startswith=city).order_by("code"))


def _filter_choices() -> dict:
    return {"kinds": OpportunityKind.choices, "industries": Industry.choices, "degrees": Degree.choices,
            "districts": _city_districts()}


def _page(request, rows):
    number = bounded_int(request.GET.get("page"), field="page", label="页码", minimum=1, maximum=100000, default=1)
    return Paginator(rows, PAGE_SIZE).get_page(number)


# --- detail (any kind) and applying ---------------------------------------------------------------------------

@login_required
def detail(request, pk: int):
    user = request.user
    opportunity = selectors.opportunity_get(user, pk)
    mine = selectors.my_application_for(user, opportunity)
    may_apply = (user.role == Role.TALENT and opportunity.kind in JOB_KINDS and mine is None
                 and services.opportunity_is_open(opportunity))
    documents = []
    if may_apply:
        from rencai.talents.models import Talent

        talent = Talent.objects.filter(user_id=user.pk).first()
        documents = list(talent.documents.order_by("-uploaded_at")) if talent else []
    publisher = services.is_publisher(user, opportunity)
    reviewer = services.staff_covers(user, opportunity.district_id)
    extra = f"opportunities/_extra_{opportunity.kind}.html"
    try:
        get_template(extra)
    except TemplateDoesNotExist:
        extra = None
    return render(request, "opportunities/jobs/detail.html", {
        "opportunity": opportunity, "mine": mine, "may_apply": may_apply, "documents": documents,
        "is_open": services.opportunity_is_open(opportunity), "publisher": publisher,
        "may_edit": publisher and opportunity.status in (OpportunityStatus.DRAFT, OpportunityStatus.RETURNED),
        "may_submit": publisher and opportunity.status in (OpportunityStatus.DRAFT, OpportunityStatus.RETURNED),
        "may_review": reviewer and opportunity.status == OpportunityStatus.PENDING,
        "may_close": (publisher or reviewer) and opportunity.status != OpportunityStatus.CLOSED,
        "may_see_applicants": opportunity.kind in JOB_KINDS and services.may_handle(user, opportunity),
        "extra_template": extra, "applied": request.GET.get("applied") == "1",
    })


@login_required
@require_POST
def apply(request, pk: int):
    try:
        services.application_apply(request.user, pk, request.POST.get("cover_note", ""),
                                   request.POST.get("team", ""), request.POST.getlist("documents"))
    except ValidationFailed as failed:
        opportunity = selectors.opportunity_get(request.user, pk)
        return render(request, "opportunities/jobs/apply_failed.html",
                      {"opportunity": opportunity, "errors": failed}, status=failed.status)
    messages.success(request, "申请已提交，用人单位处理后会通知您。")
    return redirect("opportunities:mine")


@login_required
def mine(request):
    user = request.user
    if user.role != Role.TALENT:
        raise PermissionDenied("只有人才本人可以查看自己的申请")
    rows = selectors.my_applications(user)
    return render(request, "opportunities/jobs/mine.html", {
        "page": _page(request, rows), "open_states": [s for s in ApplicationState.values
                                                      if s not in ("hired", "awarded", "declined", "withdrawn")]})


@login_required
def browse(request):
    """岗位与见习 for talent (and anyone signed in): open jobs and 见习 with the filters a returnee uses."""
    filters = selectors.opportunity_filters(request.GET)
    if filters["kind"] not in ("", *JOB_KINDS):
        filters["kind"] = ""
    rows = selectors.opportunities_open(kinds=JOB_KINDS, filters=filters).order_by("-published_at", "-id")
    return render(request, "opportunities/jobs/browse.html", {
        "page": _page(request, rows), "filters": filters, **_filter_choices(),
        "kinds": [(k, label) for k, label in OpportunityKind.choices if k in JOB_KINDS]})


# --- the application's moves -----------------------------------------------------------------------------------

def _confirm_move(request, opportunity_application_id: int) -> Confirmation | None:
    target = request.POST.get("target", "")
    application = selectors.application_get(request.user, opportunity_application_id)
    title = application.opportunity.title
    if target == ApplicationState.HIRED:
        return Confirmation(title=f"确认录用{application.talent.name}？",
                            effects=[f"“{title}”的申请改为已录用，并通知本人",
                                     "人才信息库中本人的工作单位、单位性质、入职日期和所在区县改为本单位，任职由本单位确认"],
                            action="确认录用")
    if target == ApplicationState.DECLINED:
        return Confirmation(title=f"确认不录用{application.talent.name}？",
                            effects=[f"“{title}”的申请结束，并通知本人"], action="确认不录用")
    if target == ApplicationState.WITHDRAWN:
        return Confirmation(title=f"确认撤回对“{title}”的申请？", effects=["申请结束，用人单位不再处理"],
                            action="确认撤回", undo="撤回后可在截止日期前重新申请。")
    if target == ApplicationState.AWARDED:
        return Confirmation(title=f"确认{application.talent.name}揭榜成功？",
                            effects=["奖励金额计入榜单已奖励金额，并通知本人"], action="确认揭榜成功")
    return None


@login_required
@require_POST
@confirm_first(_confirm_move)
def application_act(request, opportunity_application_id: int):
    user = request.user
    target = request.POST.get("target", "")
    application = services.application_transition(user, opportunity_application_id, target,
                                                  request.POST.get("note", ""),
                                                  request.POST.get("award_amount") or None)
    messages.success(request, f"已更新为“{application.get_state_display()}”。")
    if application.talent.user_id == user.pk:
        return redirect("opportunities:mine")
    return redirect("opportunities:applicants", application.opportunity_id)


@login_required
@require_POST
def internship_end(request, opportunity_application_id: int):
    application = services.internship_end(request.user, opportunity_application_id,
                                          request.POST.get("ended_on"), request.POST.get("retained"))
    messages.success(request, "已登记见习结束。")
    return redirect("opportunities:applicants", application.opportunity_id)


# --- the employer's positions -------------------------------------------------------------------------------------

def _require_employer_or_staff(user):
    if not user.is_authenticated or not ((user.role == Role.EMPLOYER and user.organization_id)
                                         or user.role in (Role.STAFF, Role.LEADER) or user.is_administrator):
        raise PermissionDenied("只有用人单位和政府工作人员可以查看")


@login_required
def jobs_mine(request):
    """岗位管理: the employer's own jobs and 见习 positions in every status, with their applicant counts."""
    user = request.user
    if user.role != Role.EMPLOYER or not user.organization_id:
        raise PermissionDenied("只有用人单位可以管理本单位岗位")
    from django.db.models import Count, Q

    rows = (selectors.opportunities_handled(user).filter(kind__in=JOB_KINDS)
            .annotate(applicants=Count("applications", filter=~Q(applications__state="withdrawn")))
            .order_by("-created_at", "-id"))
    return render(request, "opportunities/jobs/jobs_mine.html", {"page": _page(request, rows)})


def _form_context(user, form: dict, errors, opportunity=None) -> dict:
    entries = (ShortageEntry.objects.filter(catalog__status=CatalogStatus.PUBLISHED)
               .select_related("catalog").order_by("-catalog__year", "catalog__industry", "position")[:300])
    return {"form": form, "errors": errors, "beside": {e.field: str(e) for e in (errors.errors if errors else [])},
            "opportunity": opportunity, "industries": Industry.choices, "degrees": Degree.choices,
            "districts": _city_districts(), "entries": entries,
            "kinds": [(k, label) for k, label in OpportunityKind.choices if k in JOB_KINDS],
            "organization": user.organization if user.organization_id else None}


def _form_of(opportunity) -> dict:
    form = {key: getattr(opportunity, key) for key in services.EDITABLE}
    form.update(kind=opportunity.kind, district=opportunity.district_id,
                shortage_entry=opportunity.shortage_entry_id or "", closes_on=opportunity.closes_on.isoformat())
    for key in ("salary_min", "salary_max"):
        form[key] = "" if form[key] is None else f"{form[key]:f}"
    return {k: ("" if v is None else v) for k, v in form.items()}


@login_required
def job_new(request):
    user = request.user
    if user.role != Role.EMPLOYER or not user.organization_id:
        raise PermissionDenied("只有用人单位可以发布岗位")
    errors, status = None, 200
    form = {"kind": request.GET.get("kind") if request.GET.get("kind") in JOB_KINDS else OpportunityKind.JOB,
            "district": user.organization.district_id, "positions": 1}
    if request.method == "POST":
        form = request.POST.dict()
        if form.get("kind") not in JOB_KINDS:
            form["kind"] = OpportunityKind.JOB
        form.setdefault("overseas_wanted", "")
        form.setdefault("targeted_returnee", "")
        try:
            opportunity = services.opportunity_create(user, form)
            if form.get("submit") == "1":
                services.opportunity_transition(user, opportunity.pk, OpportunityStatus.PENDING)
        except ValidationFailed as failed:
            errors, status = failed, failed.status
        else:
            messages.success(request, "已提交审核，审核通过后发布。" if form.get("submit") == "1" else "已保存为草稿。")
            return redirect("opportunities:detail", opportunity.pk)
    return render(request, "opportunities/jobs/form.html", _form_context(user, form, errors), status=status)


@login_required
def job_edit(request, pk: int):
    user = request.user
    opportunity = selectors.opportunity_get(user, pk)
    if not services.is_publisher(user, opportunity) or opportunity.kind not in JOB_KINDS:
        raise PermissionDenied("只有发布单位可以修改")
    errors, status, form = None, 200, _form_of(opportunity)
    if request.method == "POST":
        form = {**request.POST.dict(), "kind": opportunity.kind}
        form.setdefault("overseas_wanted", "")
        form.setdefault("targeted_returnee", "")
        try:
            services.opportunity_update(user, opportunity.pk, form)
            if form.get("submit") == "1":
                services.opportunity_transition(user, opportunity.pk, OpportunityStatus.PENDING)
        except ValidationFailed as failed:
            errors, status = failed, failed.status
        else:
            messages.success(request, "已提交审核。" if form.get("submit") == "1" else "已保存。")
            return redirect("opportunities:detail", opportunity.pk)
    return render(request, "opportunities/jobs/form.html", _form_context(user, form, errors, opportunity),
                  status=status)


def _confirm_status(request, pk: int) -> Confirmation | None:
    target = request.POST.get("target", "")
    opportunity = selectors.opportunity_get(request.user, pk)
    if target == OpportunityStatus.PUBLISHED:
        return Confirmation(title=f"确认发布“{opportunity.title}”？",
                            effects=["在公开页面和人才的岗位列表中发布，人才可以申请", "通知发布单位"],
                            action="确认发布")
    if target == OpportunityStatus.CLOSED:
        return Confirmation(title=f"确认关闭“{opportunity.title}”？",
                            effects=["不再接受新的申请，从公开页面撤下", "已收到的申请仍可继续处理"], action="确认关闭")
    return None


@login_required
@require_POST
@confirm_first(_confirm_status)
def opportunity_act(request, pk: int):
    target = request.POST.get("target", "")
    opportunity = services.opportunity_transition(request.user, pk, target, request.POST.get("reason", ""))
    messages.success(request, f"已{services.MOVE_WORDS.get(target, '更新')}。")
    if target in (OpportunityStatus.PUBLISHED, OpportunityStatus.RETURNED) and request.POST.get("next") == "queue":
        return redirect("opportunities:review_queue")
    return redirect("opportunities:detail", opportunity.pk)


@login_required
def applicants(request, pk: int):
    user = request.user
    opportunity = selectors.opportunity_get(user, pk)
    rows = list(selectors.applications_of(user, opportunity))
    for application in rows:
        application.next_targets = [(t, services.STATE_WORDS[t]) for t in services.application_allowed_targets(
            application)]
    return render(request, "opportunities/jobs/applicants.html", {
        "opportunity": opportunity, "rows": rows, "today": timezone.localdate(),
        "internship": opportunity.kind == OpportunityKind.INTERNSHIP})


def _education(talent) -> str:
    latest = max(talent.educations.all(), key=lambda e: e.graduation_date, default=None)
    return f"{latest.school} {latest.major}".strip() if latest else ""


@login_required
def applicants_export(request, pk: int):
    user = request.user
    opportunity = selectors.opportunity_get(user, pk)
    rows = selectors.applications_of(user, opportunity).prefetch_related("talent__educations")
    audit_record(actor=user, action=AuditAction.EXPORT, object_type="opportunities.application",
                 summary=f"导出“{opportunity.title}”的申请人", filters={"opportunity": opportunity.pk},
                 row_count=rows.count())

    def lines():
        for a in rows:
            t = a.talent
            yield [t.name, t.get_gender_display(), t.birth_date.year, t.id_number_masked, t.phone_masked,
                   t.get_highest_degree_display(), _education(t), "是" if t.returnee else "否",
                   t.district.name, a.get_state_display(), timezone.localtime(a.created_at).strftime("%Y-%m-%d"),
                   a.internship_ended_on or "", "" if a.retained is None else ("是" if a.retained else "否")]

    sheet = Sheet(title="申请人", header=["姓名", "性别", "出生年份", "证件号码", "手机号码", "最高学历",
                                       "毕业院校和专业", "留学回国", "所在区县", "状态", "申请日期", "见习结束日期",
                                       "见习期满留用"],
                  rows=lines())
    return xlsx_streaming_response([sheet], f"{opportunity.title}申请人.xlsx")


# --- staff ------------------------------------------------------------------------------------------------------------

def _require_government(user):
    if not (user.is_authenticated and (user.is_government or user.is_administrator)):
        raise PermissionDenied("只有政府工作人员可以查看")


@login_required
def review_queue(request):
    user = request.user
    _require_government(user)
    rows = selectors.review_queue(user)
    return render(request, "opportunities/jobs/review_queue.html", {
        "page": _page(request, rows), "may_review": user.role == Role.STAFF or user.is_administrator})


@login_required
def all_list(request):
    user = request.user
    _require_government(user)
    filters = selectors.opportunity_filters(request.GET)
    rows = selectors.opportunities_filtered(user, filters).order_by("-created_at", "-id")
    return render(request, "opportunities/jobs/all.html", {
        "page": _page(request, rows), "filters": filters, "statuses": OpportunityStatus.choices,
        "query": request.GET.urlencode(), **_filter_choices()})


@login_required
def all_export(request):
    user = request.user
    _require_government(user)
    filters = selectors.opportunity_filters(request.GET)
    rows = selectors.opportunities_filtered(user, filters).order_by("-created_at", "-id")
    audit_record(actor=user, action=AuditAction.EXPORT, object_type="opportunities.opportunity",
                 summary="导出对接机会", filters=filters, row_count=rows.count())

    def lines():
        for o in rows.iterator(chunk_size=1000):
            yield [o.number, o.get_kind_display(), o.title, o.publisher_name, o.district.name,
                   o.get_industry_display(), o.get_degree_min_display(), "是" if o.targeted_returnee else "否",
                   o.salary_min if o.salary_min is not None else "", o.salary_max if o.salary_max is not None else "",
                   o.positions, o.closes_on, o.get_status_display()]

    sheet = Sheet(title="对接机会", header=["编号", "类别", "名称", "发布单位", "区县", "所属产业", "最低学历", "定向",
                                         "月薪下限（元）", "月薪上限（元）", "招聘人数", "截止日期", "状态"],
                  rows=lines())
    return xlsx_streaming_response([sheet], "对接机会.xlsx")


@login_required
def retention(request):
    user = request.user
    _require_employer_or_staff(user)
    year = bounded_int(request.GET.get("year"), field="year", label="年度", minimum=2000, maximum=2100,
                       default=timezone.localdate().year)
    return render(request, "opportunities/jobs/retention.html", {
        "rows": selectors.internship_retention(user, year=year), "year": year,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1))})


# --- the public page (no login) ----------------------------------------------------------------------------------

def public(request):
    filters = selectors.opportunity_filters(request.GET)
    rows = selectors.opportunities_open(filters=filters).order_by("-published_at", "-id")
    return render(request, "opportunities/public.html", {
        "page": _page(request, rows), "filters": filters, **_filter_choices()})


def public_detail(request, pk: int):
    from rencai.core.errors import NotFound

    opportunity = selectors.opportunities_open().filter(pk=pk).first()
    if opportunity is None:
        raise NotFound("该机会已关闭或不存在")
    return render(request, "opportunities/public_detail.html", {
        "opportunity": opportunity, "appliable": opportunity.kind in APPLIABLE_KINDS})
