"""Pages of 对接活动: the events (list, Excel, a new event, an event's page with registration, the organizers'
registrations and attendance with its Excel and walk-ins), a registrant's QR page, the check-in page the QR opens,
and 我的跟踪 (list, Excel, a follow-up's page and its acts; a follow-up and its talent are scoped alike, by the
talent's current record, so whoever sees the one may open the other). Views read the request, call a selector or
a service and render; an AppError is shown with its status (a 4xx); exports of personal data are logged."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from rencai.accounts.enums import Role
from rencai.accounts.permissions import require_staff, talent_scope_q
from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.confirm import confirm_first
from rencai.core.errors import ValidationFailed
from rencai.core.excel import Sheet, xlsx_streaming_response

from . import confirmations, selectors, services
from .enums import EventKind, FollowUpAction, FollowUpStatus

PAGE_SIZE = 30
WHEN = {"upcoming": "即将举行", "past": "已结束", "all": "全部"}


def _at(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _event_filters(request) -> dict:
    when, kind = request.GET.get("when", ""), request.GET.get("kind", "")
    return {"when": when if when in WHEN else "upcoming", "kind": kind if kind in EventKind.values else ""}


@login_required
def event_list(request):
    user = request.user
    filters = _event_filters(request)
    rows = selectors.with_counts(selectors.event_list(user=user, **filters))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    mine = selectors.my_registrations(user)
    return render(request, "events/list.html", {
        "page": page, "filters": filters, "whens": WHEN.items(), "kinds": EventKind.choices,
        "may_create": user.role == Role.STAFF or user.is_administrator, "government": user.is_government
        or user.is_administrator, "query": request.GET.urlencode(),
        "registered": set(mine.values_list("event_id", flat=True)) if mine is not None else set(),
        "mine": list(mine.order_by("-event__starts_at")[:10]) if mine is not None else [],
    })


@login_required
def event_export(request):
    user = request.user
    filters = _event_filters(request)
    rows = selectors.with_counts(selectors.event_list(user=user, **filters))

    def lines():
        for e in rows:
            yield [e.number, e.get_kind_display(), e.title, e.district.name, e.venue or e.online_link, _at(e.starts_at),
                   _at(e.ends_at), e.capacity, e.seats or 0, e.attended or 0, _at(e.registration_deadline),
                   e.organizer, e.get_status_display()]

    sheet = Sheet(title="对接活动", header=["活动编号", "活动类型", "活动名称", "举办区县", "地点", "开始时间",
                                        "结束时间", "名额", "已报名（人）", "已签到（条）", "报名截止", "主办部门",
                                        "状态"], rows=lines())
    return xlsx_streaming_response([sheet], "对接活动.xlsx")


@login_required
def event_create(request):
    user = request.user
    require_staff(user)
    errors, status, form = None, 200, {}
    if request.method == "POST":
        form = request.POST.dict()
        try:
            event = services.event_create(actor=user, data=form)
        except ValidationFailed as failed:
            errors, status = failed, failed.status
        else:
            messages.success(request, f"活动“{event.title}”已发布。")
            return redirect("events:detail", event.pk)
    from rencai.analytics.selectors import districts_of

    districts = districts_of(user)
    return render(request, "events/create.html", {
        "form": form, "errors": errors, "beside": {e.field: str(e) for e in (errors.errors if errors else [])},
        "kinds": EventKind.choices, "districts": districts,
        "organizer": user.department.name if user.department_id else "",
    }, status=status)


@login_required
def event_detail(request, event_id: int):
    user = request.user
    event = selectors.event_get(user=user, event_id=event_id)
    organizer = selectors.is_organizer(user, event)
    context = {"event": event, "organizer": organizer, "seats": services.seats_taken(event),
               "mine": selectors.my_registration(user=user, event=event),
               "may_register": user.role == Role.TALENT or (user.role == Role.EMPLOYER and user.organization_id),
               "open": event.registration_deadline >= timezone.now() and event.status == "published"}
    context["left"] = max(event.capacity - context["seats"], 0)
    if organizer:
        registrations = list(selectors.event_registrations(user=user, event=event))
        context["registrations"] = registrations
        context["attended"] = sum(1 for r in registrations if r.checked_in_at)
        query = request.GET.get("q", "").strip()[:50]
        context["q"] = query
        if query and (user.role == Role.STAFF or user.is_administrator):
            from rencai.talents.models import Talent

            context["found"] = list(Talent.objects.filter(talent_scope_q(user), name__contains=query)
                                    .select_related("district").order_by("name", "pk")[:10])
    return render(request, "events/detail.html", context)


@login_required
@require_POST
def event_register(request, event_id: int):
    registration = services.registration_create(actor=request.user, event_id=event_id,
                                                attendees=request.POST.get("attendees"))
    messages.success(request, "报名成功。活动当天请出示签到二维码。")
    return redirect("events:registration", registration.pk)


@login_required
def registrations_export(request, event_id: int):
    user = request.user
    event = selectors.event_get(user=user, event_id=event_id)
    rows = selectors.event_registrations(user=user, event=event)
    audit_record(actor=user, action=AuditAction.EXPORT, object_type="events.registration",
                 summary=f"导出活动报名与签到：{event.title}"[:500], filters={"event": event.pk},
                 row_count=rows.count())

    def lines():
        for r in rows:
            if r.talent_id:
                who = [r.talent.name, r.talent.id_number_masked, r.talent.phone_masked, r.talent.district.name, ""]
            else:
                who = ["", "", "", "", r.organization.name]
            yield [*who, r.attendees, "现场登记" if r.walk_in else "报名", _at(r.created_at),
                   _at(r.checked_in_at) or "未签到"]

    sheet = Sheet(title="报名与签到", header=["人才姓名", "证件号码", "手机号码", "所在区县", "报名单位", "参会人数",
                                          "方式", "报名时间", "签到时间"], rows=lines())
    return xlsx_streaming_response([sheet], f"{event.title}报名与签到.xlsx")


@login_required
@require_POST
def walk_in(request, event_id: int):
    registration = services.walk_in_record(actor=request.user, event_id=event_id,
                                           talent_id=request.POST.get("talent"))
    messages.success(request, f"已登记{registration.talent.name}到场，并建立跟踪。")
    return redirect("events:detail", event_id)


@login_required
def registration_detail(request, registration_id: int):
    registration = selectors.registration_get_own(user=request.user, registration_id=registration_id)
    from rencai.recognition.cards import qr_svg

    url = request.build_absolute_uri(reverse("events:checkin", args=[registration.token]))
    return render(request, "events/registration.html", {"registration": registration, "event": registration.event,
                                                          "qr": qr_svg(url)})


@login_required
def checkin(request, checkin_token: str):
    """The page the QR opens: staff of the event's district see who it is and record the attendance (once)."""
    user = request.user
    found = services.registration_by_token(checkin_token)
    if found is None:
        from rencai.core.errors import NotFound

        raise NotFound("签到码无效：未找到该报名")
    services.require_event_staff(user, found.event)
    just = False
    if request.method == "POST":
        found, just = services.checkin_record(actor=user, token=checkin_token)
    return render(request, "events/checkin.html", {"registration": found, "event": found.event, "just": just})


def _followup_filters(request) -> dict:
    scope, status = request.GET.get("scope", ""), request.GET.get("status", "")
    return {"scope": scope if scope in ("mine", "all") else "mine",
            "status": status if status in ("all", *FollowUpStatus.values) else "open"}


@login_required
def followup_list(request):
    user = request.user
    filters = _followup_filters(request)
    rows = selectors.followup_list(user=user, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(request, "events/followups.html", {
        "page": page, "rows": [(f, selectors.due_label(f, today)) for f in page], "filters": filters,
        "statuses": FollowUpStatus.choices, "counts": selectors.followup_counts(user=user),
        "query": request.GET.urlencode(),
    })


@login_required
def followup_export(request):
    user = request.user
    filters = _followup_filters(request)
    rows = selectors.followup_list(user=user, **filters)
    audit_record(actor=user, action=AuditAction.EXPORT, object_type="events.followup", summary="导出活动跟踪",
                 filters=filters, row_count=rows.count())

    def lines():
        for f in rows.iterator(chunk_size=2000):
            yield [f.talent.name, f.talent.id_number_masked, f.talent.phone_masked, f.talent.district.name,
                   f.event.title, f.owner.display_name or f.owner.get_username(), f.next_step,
                   f.due_on.isoformat(), f.get_status_display(), f.outcome]

    sheet = Sheet(title="活动跟踪", header=["人才姓名", "证件号码", "手机号码", "所在区县", "来源活动", "跟踪责任人",
                                        "下一步", "期限", "状态", "跟踪结果"], rows=lines())
    return xlsx_streaming_response([sheet], "活动跟踪.xlsx")


@login_required
def followup_detail(request, followup_id: int, errors=None, status: int = 200):
    user = request.user
    follow_up = selectors.followup_get(user=user, followup_id=followup_id)
    may_act = follow_up.status == FollowUpStatus.OPEN and (user.role == Role.STAFF or user.is_administrator)
    return render(request, "events/followup.html", {
        "follow_up": follow_up, "due": selectors.due_label(follow_up), "history": follow_up.notes.select_related(
            "actor").order_by("at", "id"), "may_act": may_act,
        "owners": selectors.owners_for(follow_up) if may_act else [], "errors": errors,
        "beside": {e.field: str(e) for e in (errors.errors if errors else [])},
    }, status=status)


@login_required
@require_POST
@confirm_first(confirmations.followup_act)
def followup_act(request, followup_id: int):
    action = request.POST.get("action", "")
    try:
        services.followup_act(actor=request.user, followup_id=followup_id, action=action,
                              version=request.POST.get("version"), text=request.POST.get("text", ""),
                              owner_id=request.POST.get("owner"), next_step=request.POST.get("next_step", ""),
                              due_on=request.POST.get("due_on"))
    except ValidationFailed as failed:
        return followup_detail(request, followup_id, errors=failed, status=failed.status)
    messages.success(request, {"note": "联系记录已保存。", "reassign": "已转交。", "close": "跟踪已结束。"}
                     .get(action, "已保存。"))
    if action == FollowUpAction.CLOSE:
        return redirect("events:followups")
    return redirect("events:followup", followup_id)
