"""Pages of 项目推介 and 科技成果: the library (filters and a text search), publishing a project or a result,
an enterprise's interest, staff's lists of interests and meetings with Excel, brokering a meeting and recording
its outcome. A project's own page is the shared detail page (opportunities:detail), which includes
``opportunities/_extra_project.html`` / ``_extra_result.html`` (templatetags/partnering_tags.py fills them).
Views read the request, call partnering.py (or services.py for publication) and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from rencai.accounts.enums import Role
from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.confirm import confirm_first
from rencai.core.errors import PermissionDenied, ValidationFailed
from rencai.core.excel import Sheet, xlsx_streaming_response
from rencai.core.paging import list_page
from rencai.organizations.enums import Industry
from rencai.regions.models import Region, RegionLevel

from . import confirmations_partnering as confirmations
from . import partnering, services
from .enums import ChallengeField, MeetingKind, MeetingOutcome, OpportunityKind, OpportunityStatus, Seeking

PAGE_SIZE = 30
PROJECT_KINDS = [(k.value, k.label) for k in (OpportunityKind.PROJECT, OpportunityKind.RESULT)]


def _districts(user) -> list[Region]:
    """The districts a filter or a form offers: a government user's jurisdiction, else the city's."""
    from django.conf import settings

    rows = Region.objects.filter(level=RegionLevel.DISTRICT).order_by("code")
    if user.is_authenticated and user.is_government and not user.is_administrator:
        from rencai.accounts.permissions import jurisdiction_codes

        return list(rows.filter(code__in=jurisdiction_codes(user)))
    return list(rows.filter(parent_id=str(getattr(settings, "RENCAI_CITY_CODE", "210100"))))


def _filters(request) -> dict:
    get = request.GET
    kind, industry, seeking = get.get("kind", ""), get.get("industry", ""), get.get("seeking", "")
    district, status = get.get("district", ""), get.get("status", "")
    return {"kind": kind if kind in (OpportunityKind.PROJECT, OpportunityKind.RESULT) else "",
            "industry": industry if industry in Industry.values else "",
            "seeking": seeking if seeking in Seeking.values else "",
            "district": district if district.isdigit() and len(district) == 6 else "",
            "text": get.get("q", "").strip()[:50],
            "status": status if status in (*OpportunityStatus.values, "all") else ""}


def _government(user) -> bool:
    return user.is_government or user.is_administrator


@login_required
def library(request):
    user = request.user
    filters = _filters(request)
    rows = partnering.library(user, **filters)
    page = list_page(rows, params=request.GET, per_page=PAGE_SIZE, keys=("id",))
    return render(request, "opportunities/projects/library.html", {
        "page": page, "rows": list(page), "filters": filters, "kinds": PROJECT_KINDS,
        "industries": Industry.choices, "seekings": Seeking.choices, "districts": _districts(user),
        "statuses": OpportunityStatus.choices if _government(user) else [], "government": _government(user),
        "may_publish": may_publish(user, OpportunityKind.RESULT), "query": request.GET.urlencode(),
        "office": partnering.is_office(user),
    })


def may_publish(user, kind: str = OpportunityKind.PROJECT) -> bool:
    """Staff and employers publish projects, results and challenges; a talent lists their own result."""
    if not user.is_authenticated:
        return False
    if user.role == Role.TALENT:
        return kind == OpportunityKind.RESULT
    return user.role == Role.EMPLOYER or partnering.is_office(user)


def publish(request, *, kinds: list[tuple[str, str]], title: str, back: str):
    """The form that publishes a challenge, a project or a result (services.opportunity_create, then — on
    提交审核 — opportunity_transition to 待审核); shared by both parts."""
    user = request.user
    allowed = [(k, label) for k, label in kinds if may_publish(user, k)]
    if not allowed:
        raise PermissionDenied("您没有发布权限")
    errors, post = None, {}
    if request.method == "POST":
        post = request.POST
        data = {key: post.get(key, "") for key in services.EDITABLE if key in post}
        data["kind"] = post.get("kind", "")
        if data["kind"] not in dict(allowed):
            data["kind"] = ""
        if user.role == Role.TALENT:
            data.pop("district", None)
            data.pop("sponsor_name", None)
        try:
            opportunity = services.opportunity_create(user, data)
            if post.get("submit") == "1":
                services.opportunity_transition(user, opportunity.pk, OpportunityStatus.PENDING)
                messages.success(request, "已提交审核，审核通过后发布。")
            else:
                messages.success(request, "已保存为草稿。")
            return redirect("opportunities:detail", pk=opportunity.pk)
        except ValidationFailed as exc:
            errors = exc
    return render(request, "opportunities/projects/new.html", {
        "title": title, "back_url": reverse(back), "is_challenge": kinds[0][0] == OpportunityKind.CHALLENGE,
        "kinds": allowed, "errors": errors, "post": post, "districts": _districts(user),
        "industries": Industry.choices, "seekings": Seeking.choices, "fields": ChallengeField.choices,
        "office": partnering.is_office(user), "employer": user.role == Role.EMPLOYER,
        "today": timezone.localdate(),
    }, status=422 if errors else 200)


@login_required
def project_new(request):
    return publish(request, kinds=PROJECT_KINDS, title="发布项目或成果", back="opportunities:projects")


# -- interests --------------------------------------------------------------------------------------------

@login_required
@require_POST
def interest(request, project_id: int):
    partnering.interest_express(actor=request.user, opportunity_id=project_id, note=request.POST.get("note", ""))
    messages.success(request, "已提交合作意向，工作人员将与贵单位联系安排对接。")
    return redirect("opportunities:detail", pk=project_id)


def _interest_rows(user):
    return partnering.interests_visible(user).order_by("-id")


@login_required
def interests(request):
    user = request.user
    if not (_government(user) or user.role == Role.EMPLOYER):
        raise PermissionDenied("只有政府工作人员和用人单位可以查看合作意向")
    page = list_page(_interest_rows(user), params=request.GET, per_page=50, keys=("id",))
    return render(request, "opportunities/projects/interests.html", {"page": page, "rows": list(page),
                                                                      "government": _government(user)})


@login_required
def interests_export(request):
    user = request.user
    if not _government(user):
        raise PermissionDenied("只有政府工作人员可以导出")
    rows = _interest_rows(user)
    audit_record(actor=user, action=AuditAction.EXPORT, object_type="opportunities.interest",
                 summary="导出合作意向", row_count=rows.count())

    def lines():
        for i in rows.iterator(chunk_size=2000):
            o = i.opportunity
            yield [o.number, o.title, o.get_kind_display(), o.district.name, i.organization.name, i.note,
                   timezone.localtime(i.created_at).strftime("%Y-%m-%d %H:%M")]

    sheet = Sheet(title="合作意向", header=["项目编号", "项目或成果", "类别", "区县", "意向单位", "合作意向", "时间"],
                  rows=lines())
    return xlsx_streaming_response([sheet], "合作意向.xlsx")


# -- projects: staff list export ------------------------------------------------------------------------------

@login_required
def projects_export(request):
    user = request.user
    rows = partnering.staff_projects(user).order_by("-id")
    filters = _filters(request)
    if filters["kind"]:
        rows = rows.filter(kind=filters["kind"])
    if filters["district"]:
        rows = rows.filter(district_id=filters["district"])
    audit_record(actor=user, action=AuditAction.EXPORT, object_type="opportunities.opportunity",
                 summary="导出项目和科技成果", filters={k: v for k, v in filters.items() if v},
                 row_count=rows.count())

    def lines():
        for o in rows.iterator(chunk_size=2000):
            yield [o.number, o.title, o.get_kind_display(), o.publisher_name, o.district.name,
                   o.get_industry_display(), o.get_seeking_display(), o.funding, o.get_status_display(),
                   o.closes_on, o.interest_count, o.meeting_count]

    sheet = Sheet(title="项目和科技成果", header=["编号", "名称", "类别", "推介方", "区县", "产业链", "寻求",
                                                 "资金需求（元）", "状态", "截止日期", "合作意向数", "路演对接次数"],
                  rows=lines())
    return xlsx_streaming_response([sheet], "项目和科技成果.xlsx")


# -- meetings ---------------------------------------------------------------------------------------------

@login_required
def meetings(request):
    user = request.user
    if not (_government(user) or user.role == Role.EMPLOYER):
        raise PermissionDenied("只有政府工作人员和用人单位可以查看路演与对接")
    rows = partnering.meetings_visible(user).prefetch_related("organizations").order_by("-id")
    page = list_page(rows, params=request.GET, per_page=50, keys=("id",))
    return render(request, "opportunities/projects/meetings.html", {
        "page": page, "rows": list(page), "government": _government(user), "office": partnering.is_office(user),
        "outcomes": [(v, label) for v, label in MeetingOutcome.choices if v != MeetingOutcome.PENDING],
    })


@login_required
def meetings_export(request):
    user = request.user
    if not _government(user):
        raise PermissionDenied("只有政府工作人员可以导出")
    rows = partnering.meetings_visible(user).prefetch_related("organizations").order_by("-id")
    audit_record(actor=user, action=AuditAction.EXPORT, object_type="opportunities.meeting",
                 summary="导出路演与对接", row_count=rows.count())

    def lines():
        for m in rows.iterator(chunk_size=500):
            o = m.opportunity
            yield [o.number, o.title, o.district.name, m.get_kind_display(), m.held_on, m.place,
                   "、".join(org.name for org in m.organizations.all()), m.get_outcome_display(), m.outcome_note]

    sheet = Sheet(title="路演与对接", header=["项目编号", "项目或成果", "区县", "形式", "日期", "地点", "参加单位",
                                             "结果", "结果说明"], rows=lines())
    return xlsx_streaming_response([sheet], "路演与对接.xlsx")


@login_required
def meeting_new(request, project_id: int):
    user = request.user
    opportunity = partnering.opportunity_get(user, project_id)
    if not partnering.may_broker(user, opportunity):
        raise PermissionDenied("只有项目所在区县或市级的政府工作人员可以安排路演或对接")
    errors, post = None, {}
    if request.method == "POST":
        post = request.POST
        try:
            partnering.meeting_create(actor=user, opportunity_id=opportunity.pk, kind=post.get("kind", ""),
                                      held_on=post.get("held_on", ""), place=post.get("place", ""),
                                      organization_ids=post.getlist("organizations"))
            messages.success(request, "已安排，活动结束后请记录对接结果。")
            return redirect(reverse("opportunities:detail", kwargs={"pk": opportunity.pk}) + "#meetings")
        except ValidationFailed as exc:
            errors = exc
    return render(request, "opportunities/projects/meeting_new.html", {
        "opportunity": opportunity, "kinds": MeetingKind.choices, "parties": partnering.meeting_parties(opportunity),
        "errors": errors, "post": post, "chosen": {int(v) for v in post.getlist("organizations") if v.isdigit()}
        if post else set(),
    }, status=422 if errors else 200)


@login_required
@require_POST
@confirm_first(confirmations.meeting_outcome)
def meeting_outcome(request, meeting_id: int):
    meeting = partnering.meeting_outcome_record(actor=request.user, meeting_id=meeting_id,
                                                outcome=request.POST.get("outcome", ""),
                                                note=request.POST.get("outcome_note", ""))
    messages.success(request, f"已记录对接结果：{meeting.get_outcome_display()}。")
    if request.POST.get("next") == "list":
        return redirect("opportunities:meetings")
    return redirect(reverse("opportunities:detail", kwargs={"pk": meeting.opportunity_id}) + "#meetings")
