"""Pages of 项目申报 for applicants (talents, team leads and members, employers), staff, experts and leaders.
Views read the request, call a service or selector and render; an AppError raised by an action is shown by the
error middleware with its status (a 4xx), and a form's errors on the form itself."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rencai.accounts.enums import Role
from rencai.accounts.permissions import require_government
from rencai.core.confirm import confirm_first
from rencai.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from rencai.documents.enums import DocumentKind
from rencai.payments.models import fen_to_yuan
from rencai.reviews import selectors as reviews
from rencai.reviews.enums import Stage

from . import confirmations, eligibility, exports, selectors, services
from .enums import Action, AwardStatus, MemberStatus, ReportStatus, Status, Subject
from .models import Award
from .review import parties, ref

POLICY_FIELDS = {"innovation": "创新团队", "startup": "创业团队"}


@login_required
def index(request):
    """Open calls (for the applicant's kind), the user's applications and to-dos; staff and leaders every call."""
    user = request.user
    government = user.is_government or user.is_administrator
    subject = {Role.TALENT: None, Role.EMPLOYER: Subject.ORGANIZATION}.get(user.role)
    open_calls = list(selectors.calls_open())
    if user.role == Role.TALENT:
        open_calls = [c for c in open_calls if c.subject in (Subject.PERSON, Subject.TEAM)]
    elif subject:
        open_calls = [c for c in open_calls if c.subject == subject]
    context = {
        "government": government,
        "open_calls": open_calls,
        "calls": list(selectors.calls_all(user)) if government else [],
        "applications": list(selectors.applications_visible(user).select_related("call", "talent", "organization")
                             .order_by("-created_at")[:100]) if not government else [],
        "invitations": list(selectors.invitations_of(user)) if user.role == Role.TALENT else [],
        "endorsements": list(selectors.endorsements_waiting(user)),
        "reports_due": list(selectors.reports_due(user)) if not government else [],
        "reports_to_check": list(selectors.reports_to_check(user)) if government else [],
        "to_check": selectors.applications_to_check(user) if government and user.role != Role.LEADER else [],
        "may_create": services.is_call_office(user),
    }
    return render(request, "programmes/index.html", context)


# --- calls -------------------------------------------------------------------------------------------------------

def _date(value: str, name: str, label: str, errors: list) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        errors.append(FieldError(name, f"{label}格式应为年-月-日"))
        return None


def _call_input(post) -> tuple[services.CallInput, list]:
    errors: list = []
    tiers = []
    for i in range(1, 6):
        label = post.get(f"tier{i}_label", "").strip()
        if not label and not post.get(f"tier{i}_amount", "").strip():
            continue
        tiers.append(services.TierInput(label=label, places=post.get(f"tier{i}_places", ""),
                                        places_max=post.get(f"tier{i}_places_max", "") or None,
                                        amount=post.get(f"tier{i}_amount", ""), value=post.get(f"tier{i}_value", "")))
    stages = []
    for trigger in ("award", "midterm", "final"):
        percent = post.get(f"stage_{trigger}", "").strip()
        if percent and percent != "0":
            stages.append({"trigger": trigger, "percent": percent})
    data = services.CallInput(
        policy=post.get("policy", ""), year=post.get("year", ""),
        opens_on=_date(post.get("opens_on"), "opens_on", "申报开始日期", errors),
        closes_on=_date(post.get("closes_on"), "closes_on", "申报截止日期", errors),
        money=post.get("money", ""), tiers=tiers, title=post.get("title", ""), body=post.get("body", ""),
        budget_year=post.get("budget_year", "") or None, materials=post.getlist("materials"),
        endorsement_required=post.get("endorsement_required") == "1", panel_size=post.get("panel_size", ""),
        review_days=post.get("review_days", ""), defence=post.get("defence") == "1",
        defence_weight=post.get("defence_weight", "") or "0", stages=stages, payee=post.get("payee", ""),
        notice_days=post.get("notice_days", ""), midterm_months=post.get("midterm_months", "") or None,
        final_months=post.get("final_months", ""), sheet_id=post.get("sheet") or None)
    return data, errors


def _programmes() -> list:
    from rencai.policies.calculator import default_catalog

    return sorted((p for p in default_catalog().policies.values() if p.kind == "program"), key=lambda p: p.title)


def _tier_value_choices() -> list[tuple[str, str]]:
    from rencai.policies.fields import VALUE_LABELS

    return [*VALUE_LABELS["award_tier"].items(), *VALUE_LABELS["team.level"].items()]


TIER_VALUES = _tier_value_choices()


def _tier_rows(post) -> list[dict]:
    return [{"i": i, **{key: post.get(f"tier{i}_{key}", "") for key in ("label", "places", "places_max", "amount",
                                                                         "value")}} for i in range(1, 6)]


def _sheets() -> list:
    from rencai.recognition.review import SHEET as RECOGNITION_SHEET
    from rencai.reviews.models import Sheet

    return list(Sheet.objects.exclude(code=RECOGNITION_SHEET).order_by("name"))  # recognition's own is not offered


@login_required
def call_new(request):
    user = request.user
    services.require_call_office(user)
    errors, status = [], 200
    if request.method == "POST":
        data, errors = _call_input(request.POST)
        try:
            call = services.call_create(actor=user, data=data, publish=request.POST.get("publish") == "1")
        except ValidationFailed as failed:
            # A date that could not be read is reported once, as such (not again as missing).
            seen = {e.field for e in errors}
            errors += [e for e in failed.errors if e.field not in seen]
        else:
            messages.success(request, f"已{'发布' if call.published else '保存'}{call.title}。")
            return redirect("programmes:call", call.pk)
        status = 422
    return render(request, "programmes/call_new.html", {
        "errors": errors, "post": request.POST, "programmes": _programmes(), "tier_rows": _tier_rows(request.POST),
        "tier_values": TIER_VALUES, "sheets": _sheets(),
        "kinds": DocumentKind.choices, "year": selectors.today().year}, status=status)


@login_required
def call(request, call_id: int):
    user = request.user
    the_call = selectors.call_get(user=user, call_id=call_id)
    government = user.is_government or user.is_administrator
    applications = list(selectors.call_applications(user=user, call=the_call)) if government else []
    awards = list(selectors.awards_of_call(the_call)) if government else []
    proposed = {a.application_id: a for a in awards}
    on = selectors.today()
    # An employer declares one talent at a time (急需紧缺): it may apply again and sees all its declarations.
    mine = list(selectors.applications_visible(user).filter(call=the_call).select_related("talent")
                .order_by("-created_at")[:50]) if not government else []
    return render(request, "programmes/call.html", {
        "call": the_call, "tiers": list(the_call.tiers.all()), "government": government,
        "applications": applications, "awards": awards, "proposed": proposed,
        "open": the_call.published and the_call.opens_on <= on <= the_call.closes_on,
        "may_apply": _may_apply(user, the_call) and (not mine or the_call.subject == Subject.ORGANIZATION),
        "mine": mine,
        "materials": [DocumentKind(k).label for k in the_call.materials if k in DocumentKind.values],
        "staff": services.is_call_office(user),
        "leader": user.role == Role.LEADER or user.is_administrator,
        "awarded": fen_to_yuan(sum(a.amount_fen for a in awards)),
        "counts": [(label, n) for value, label in Status.choices
                   if (n := sum(1 for a in applications if a.status == value))],
    })


def _may_apply(user, call) -> bool:
    if call.subject == Subject.ORGANIZATION:
        return user.role == Role.EMPLOYER
    return user.role == Role.TALENT


@login_required
@require_POST
def call_publish(request, call_id: int):
    services.call_publish(actor=request.user, call_id=call_id)
    messages.success(request, "申报通知已发布。")
    return redirect("programmes:call", call_id)


@login_required
def call_export(request, call_id: int):
    user = request.user
    require_government(user)
    the_call = selectors.call_get(user=user, call_id=call_id)
    return exports.call_applications(request, user=user, call=the_call)


def _programme(programme: str):
    from rencai.policies.calculator import default_catalog

    policy = default_catalog().policies.get(programme)
    if policy is None or policy.kind != "program":
        raise NotFound("未找到该人才项目")
    return policy


@login_required
def programme_export(request, programme: str):
    require_government(request.user)
    return exports.programme_years(request, user=request.user, policy=_programme(programme))


@login_required
def export(request):
    """The index's list as .xlsx: every call for government users, the user's applications for others, an employer's
    awards with ``?what=awards``."""
    user = request.user
    if user.is_government or user.is_administrator:
        return exports.calls(request, user=user)
    if user.role == Role.EMPLOYER and request.GET.get("what") == "awards":
        return exports.employer_awards(request, user=user)
    return exports.applications_mine(request, user=user)


@login_required
def programme(request, programme: str):
    """A programme's figures per year: applied, shortlisted, awarded, paid, accepted."""
    user = request.user
    require_government(user)
    policy = _programme(programme)
    return render(request, "programmes/programme.html", {
        "policy": policy, "years": selectors.programme_figures(user=user, policy=policy.id),
        "calls": selectors.calls_all(user).filter(policy=policy.id)})


# --- applying ----------------------------------------------------------------------------------------------------

def _members(post) -> list[services.MemberInput]:
    members = []
    for i in range(1, services.MEMBERS_MAX + 1):
        name, number = post.get(f"member{i}_name", "").strip(), post.get(f"member{i}_id_number", "").strip()
        if name or number:
            members.append(services.MemberInput(name=name, id_number=number, duty=post.get(f"member{i}_duty", "")))
    return members


@login_required
def apply(request, call_id: int):
    user = request.user
    the_call = selectors.call_get(user=user, call_id=call_id)
    if not _may_apply(user, the_call):
        who = "用人单位" if the_call.subject == Subject.ORGANIZATION else "人才本人（团队由带头人）"
        raise PermissionDenied(f"本项目由{who}申报")
    errors, status = [], 200
    if request.method == "POST":
        post = request.POST
        introduced = {"1": True, "0": False}.get(post.get("team_introduced", ""))
        data = services.ApplicationInput(
            call_id=the_call.pk, project_title=post.get("project_title", ""), summary=post.get("summary", ""),
            tier_id=post.get("tier") or None, talent_id=post.get("talent") or None,
            shortage_entry_id=post.get("shortage_entry") or None,
            team_name=post.get("team_name", ""), team_kind=post.get("team_kind", ""), team_introduced=introduced,
            added_members=post.get("added_members", "") or None, members=_members(post))
        try:
            application = services.application_create(actor=user, data=data)
        except ValidationFailed as failed:
            errors, status = failed.errors, failed.status
        else:
            messages.success(request, f"申报书已保存（编号{application.number}）。请补齐材料"
                                      + ("、等待成员确认" if application.subject == Subject.TEAM else "") + "后提交。")
            return redirect("programmes:application", application.pk)
    employees = []
    if user.role == Role.EMPLOYER:
        from rencai.accounts.permissions import talent_scope_q
        from rencai.talents.models import Talent

        employees = list(Talent.objects.filter(talent_scope_q(user)).order_by("name", "pk")[:500])
    return render(request, "programmes/apply.html", {
        "call": the_call, "tiers": list(the_call.tiers.all()), "errors": errors, "post": request.POST,
        "employees": employees, "member_rows": range(1, 11), "team_kinds": POLICY_FIELDS.items(),
        "shortage_entries": _shortage_entries(user, the_call),
        "shortage_asked": the_call.policy in eligibility.SHORTAGE_NAMED,
        "materials": [DocumentKind(k).label for k in the_call.materials if k in DocumentKind.values],
    }, status=status)


def _shortage_entries(user, call) -> list:
    """The 急需紧缺目录 positions an employer may name in a declaration of this call (empty where none is asked)."""
    if call.policy not in eligibility.SHORTAGE_NAMED or user.role != Role.EMPLOYER:
        return []
    from rencai.opportunities.shortage import declarable_entries

    return list(declarable_entries(organization=user.organization, call_year=call.year))


@login_required
@require_POST
def shortage_entry(request, programme_application_id: int):
    services.application_shortage_entry_set(actor=request.user, application_id=programme_application_id,
                                            entry_id=request.POST.get("shortage_entry"))
    messages.success(request, "已保存按目录引进的岗位。")
    return redirect("programmes:application", programme_application_id)


@login_required
def application(request, programme_application_id: int):
    user = request.user
    app = selectors.application_get(user=user, application_id=programme_application_id)
    government = user.is_government or user.is_administrator
    staff = user.role == Role.STAFF or user.is_administrator
    labels = dict(DocumentKind.choices)
    documents = [(labels.get(k, "材料"), (app.documents or {}).get(k)) for k in app.call.materials]
    panels = {}
    for stage in (Stage.REVIEW, Stage.DEFENCE):
        result = reviews.panel_result(ref(app), stage)
        if result is not None and (government or app.status in (Status.RANKED, Status.AWARDED, Status.NOT_AWARDED)):
            panels[Stage(stage).label] = result
    pool = None
    if staff and app.status == Status.REVIEWING and reviews.panel_of(ref(app)) is None:
        pool = reviews.pool(ref(app), parties(app))
    defence_pool = None
    if (staff and app.status == Status.REVIEWING and app.call.defence
            and reviews.panel_of(ref(app), Stage.DEFENCE) is None):
        defence_pool = reviews.pool(ref(app), parties(app))
    member = app.members.filter(talent__user=user).first() if user.role == Role.TALENT else None
    award = Award.objects.filter(application=app).select_related("tier").first()
    return render(request, "programmes/application.html", {
        "app": app, "call": app.call, "government": government, "staff": staff,
        "applicant": selectors.is_applicant(user, app),
        "members": list(app.members.select_related("talent")), "member": member,
        "documents": documents, "missing": [labels.get(k, "材料") for k in selectors.missing_materials(app)],
        "material_kinds": [(k, labels.get(k, "材料")) for k in app.call.materials],
        "events": list(app.events.select_related("actor")), "result": (app.snapshot or {}).get("result"),
        "person_result": ((app.snapshot or {}).get("person") or {}).get("result"),
        "panels": panels, "pool": pool, "defence_pool": defence_pool,
        "award": award, "stages": list(award.stages.all()) if award else [],
        "reports": list(award.reports.all()) if award else [],
        "may_endorse": user.role == Role.EMPLOYER and user.organization_id == app.organization_id
        and app.call.endorsement_required and app.endorsed_at is None and app.subject != Subject.ORGANIZATION
        and app.status in (Status.DRAFT, Status.RETURNED, Status.SUBMITTED),
        "editable": app.status in (Status.DRAFT, Status.RETURNED),
        "shortage_asked": app.call.policy in eligibility.SHORTAGE_NAMED,
        "shortage_line": eligibility.shortage_line(app.snapshot),
        "shortage_entries": _shortage_entries(user, app.call) if selectors.is_applicant(user, app) else [],
        "Status": Status, "ReportStatus": ReportStatus, "MemberStatus": MemberStatus,
    })


@login_required
@require_POST
def document_add(request, programme_application_id: int):
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationFailed([FieldError("file", "请选择要上传的文件")])
    services.application_document_add(actor=request.user, application_id=programme_application_id,
                                      kind=request.POST.get("kind", ""), upload=upload)
    messages.success(request, "材料已上传。")
    return redirect("programmes:application", programme_application_id)


@login_required
@require_POST
def member_answer(request, programme_application_id: int):
    accept = request.POST.get("accept")
    if accept not in ("1", "0"):
        raise ValidationFailed([FieldError("accept", "请选择确认加入或拒绝")])
    services.member_answer(actor=request.user, application_id=programme_application_id, accept=accept == "1")
    messages.success(request, "已确认加入团队。" if accept == "1" else "已拒绝加入团队。")
    return redirect("programmes:application", programme_application_id)


@login_required
@require_POST
@confirm_first(confirmations.endorse)
def endorse(request, programme_application_id: int):
    services.application_endorse(actor=request.user, application_id=programme_application_id)
    messages.success(request, "已推荐。")
    return redirect("programmes:application", programme_application_id)


ACTIONS = {Action.SUBMIT, Action.RETURN, Action.ACCEPT, Action.REJECT, Action.WITHDRAW, Action.PANEL}


@login_required
@require_POST
@confirm_first(confirmations.act)
def act(request, programme_application_id: int):
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        raise ValidationFailed([FieldError("action", "请选择要办理的操作")])
    post = request.POST
    # One opinion box on the check form: the reason of a rejection, the note of a return for correction.
    payload = {"reason": post.get("reason", ""), "note": post.get("note") or post.get("reason", ""),
               "expert_ids": post.getlist("experts"), "stage": post.get("stage", Stage.REVIEW)}
    services.application_transition(actor=request.user, application_id=programme_application_id, action=action,
                                    payload=payload)
    messages.success(request, f"已{Action(action).label}。")
    return redirect("programmes:application", programme_application_id)


# --- expert scoring ----------------------------------------------------------------------------------------------

@login_required
@confirm_first(confirmations.score)
def score(request, programme_assignment_id: int):
    """The expert's page: the application (no ID numbers), the sheet, and the scores once given."""
    user = request.user
    assignment = reviews.assignment_get(user=user, assignment_id=programme_assignment_id)
    app = selectors.application_get(user=user, application_id=assignment.panel.object_id)
    sheet = assignment.panel.sheet
    criteria = list(sheet.criteria.all())
    errors, status = [], 200
    if request.method == "POST":
        scores = {c.code: request.POST.get(f"c{c.pk}", "") for c in criteria}
        try:
            services.review_score_submit(actor=user, application_id=app.pk, scores=scores,
                                         comment=request.POST.get("comment", ""), stage=assignment.panel.stage)
        except ValidationFailed as failed:
            errors, status = failed.errors, failed.status
        else:
            messages.success(request, "评分已提交。")
            return redirect("programmes:score", programme_assignment_id)
        assignment = reviews.assignment_get(user=user, assignment_id=programme_assignment_id)
    values = reviews.values_of(assignment)
    return render(request, "programmes/score.html", {
        "assignment": assignment, "app": app, "call": app.call, "criteria": criteria, "sheet": sheet,
        "values": values, "errors": errors, "post": request.POST, "due": reviews.review_due(assignment),
        "members": list(app.members.select_related("talent")),
    }, status=status)


# --- ranking, awards, approval -----------------------------------------------------------------------------------

@login_required
@require_POST
@confirm_first(confirmations.rank)
def rank(request, call_id: int):
    services.ranking_finalise(actor=request.user, call_id=call_id)
    messages.success(request, "排名已确定。")
    return redirect("programmes:call", call_id)


@login_required
@require_POST
def award_propose(request, call_id: int):
    services.award_propose(actor=request.user, call_id=call_id, application_id=request.POST.get("application"),
                           tier_id=request.POST.get("tier"), amount=request.POST.get("amount") or None)
    messages.success(request, "已拟立项，待领导审批。")
    return redirect("programmes:call", call_id)


@login_required
@require_POST
def award_cancel(request, award_id: int):
    award = Award.objects.filter(pk=award_id).values_list("call_id", flat=True).first()
    services.award_cancel(actor=request.user, award_id=award_id)
    messages.success(request, "已取消拟立项。")
    return redirect("programmes:call", award)


@login_required
@require_POST
@confirm_first(confirmations.approve)
def approve(request, call_id: int):
    services.awards_approve(actor=request.user, call_id=call_id)
    messages.success(request, "立项已审批，名单进入公示。")
    return redirect("programmes:call", call_id)


# --- follow-up -----------------------------------------------------------------------------------------------------

@login_required
@require_POST
def report_submit(request, report_id: int):
    report = services.report_submit(actor=request.user, report_id=report_id, text=request.POST.get("text", ""))
    messages.success(request, f"{report.get_milestone_display()}材料已提交。")
    return redirect("programmes:application", report.award.application_id)


@login_required
@require_POST
@confirm_first(confirmations.report_decide)
def report_decide(request, report_id: int):
    report = services.report_decide(actor=request.user, report_id=report_id,
                                    decision=request.POST.get("decision", ""), reason=request.POST.get("reason", ""))
    messages.success(request, f"{report.get_milestone_display()}：{report.get_status_display()}。")
    return redirect("programmes:application", report.award.application_id)


# --- the employer's side -----------------------------------------------------------------------------------------

@login_required
def employer(request):
    """An employer's account: its stations and bases, applications, awards and money received, and which of its
    people the engine finds eligible for which programme (项目推荐)."""
    user = request.user
    if user.role != Role.EMPLOYER:
        raise PermissionDenied("此页面供用人单位使用")
    from .recommend import recommendations

    organization = user.organization
    applications = list(selectors.applications_visible(user).select_related("call", "talent")
                         .order_by("-created_at")[:200])
    awards = list(Award.objects.filter(application__in=[a.pk for a in applications])
                  .exclude(status__in=(AwardStatus.PROPOSED, AwardStatus.WITHDRAWN))
                  .select_related("application__call", "tier"))
    return render(request, "programmes/employer.html", {
        "organization": organization, "stations": list(organization.stations.all()),
        "applications": applications, "awards": awards,
        "received": selectors.money_received(organization=organization),
        "recommendations": recommendations(user=user),
    })
