"""Pages of 揭榜挂帅: the list of challenges (榜单), publishing one, the 揭榜 form of a talent, the sponsor's and
staff's list of proposals with shortlist / award / decline (confirmed first) and its Excel. A challenge's own
page is the shared detail page (opportunities:detail), which includes ``opportunities/_extra_challenge.html``.
Publication and every move of a proposal are services.py's (opportunity_create / _transition,
application_apply / application_transition); the reads are challenges.py's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.confirm import confirm_first
from rencai.core.errors import AppError, Conflict, ValidationFailed
from rencai.core.excel import Sheet, xlsx_streaming_response
from rencai.core.paging import list_page

from . import challenges, services
from . import confirmations_partnering as confirmations
from .enums import ApplicationState, ChallengeField, OpportunityKind
from .views_projects import _districts, may_publish, publish

PAGE_SIZE = 30


def _filters(request) -> dict:
    field, district = request.GET.get("field", ""), request.GET.get("district", "")
    return {"field": field if field in ChallengeField.values else "",
            "district": district if district.isdigit() and len(district) == 6 else "",
            "open_only": request.GET.get("all") != "1"}


@login_required
def challenge_list(request):
    user = request.user
    filters = _filters(request)
    rows = challenges.challenge_list(user, **filters)
    page = list_page(rows, params=request.GET, per_page=PAGE_SIZE, keys=("id",))
    return render(request, "opportunities/challenges/list.html", {
        "page": page, "rows": list(page), "filters": filters, "fields": ChallengeField.choices,
        "districts": _districts(user), "may_publish": may_publish(user, OpportunityKind.CHALLENGE),
        "handled": challenges.handled_ids(user, [o.pk for o in page]),
    })


@login_required
def challenge_new(request):
    return publish(request, kinds=[(OpportunityKind.CHALLENGE.value, OpportunityKind.CHALLENGE.label)],
                   title="发布揭榜挂帅榜单", back="opportunities:challenges")


@login_required
def challenge_take(request, challenge_id: int):
    """揭榜: a talent's proposal (方案) and team. The form also stands on the challenge's page."""
    user = request.user
    challenge = challenges.challenge_get(user, challenge_id)
    errors, post = None, {}
    if request.method == "POST":
        post = request.POST
        try:
            services.application_apply(user, challenge.pk, cover_note=post.get("cover_note", ""),
                                       team=post.get("team", ""))
            messages.success(request, "揭榜方案已提交，发榜方评审后您会收到通知。")
            return redirect("opportunities:detail", pk=challenge.pk)
        except ValidationFailed as exc:
            errors = exc
    return render(request, "opportunities/challenges/take.html", {
        "opportunity": challenge, "errors": errors, "post": post,
        "take": challenges.take_state(user, challenge),
    }, status=422 if errors else 200)


def _proposals_page(request, challenge, error: AppError | None = None):
    user = request.user
    rows = challenges.proposals_of(challenge)
    return render(request, "opportunities/challenges/proposals.html", {
        "opportunity": challenge, "rows": [(a, services.application_allowed_targets(a)) for a in rows],
        "may_decide": services.may_handle(user, challenge), "summary": challenges.award_summary(challenge),
        "State": ApplicationState, "error": error, "post": request.POST if error else {},
    }, status=error.status if error else 200)


@login_required
def proposals(request, challenge_id: int):
    return _proposals_page(request, challenges.challenge_for_handler(request.user, challenge_id))


@login_required
def proposals_export(request, challenge_id: int):
    user = request.user
    challenge = challenges.challenge_for_handler(user, challenge_id)
    rows = challenges.proposals_of(challenge)
    audit_record(actor=user, action=AuditAction.EXPORT, obj=challenge, summary=f"导出揭榜方案：{challenge.title}",
                 row_count=len(rows))

    def lines():
        for a in rows:
            t = a.talent
            yield [f"DJ{a.pk:07d}", t.name, t.phone_masked, t.get_highest_degree_display(),
                   "是" if t.returnee else "否", a.team, a.cover_note, a.get_state_display(), a.award_amount,
                   timezone.localtime(a.created_at).strftime("%Y-%m-%d %H:%M")]

    sheet = Sheet(title="揭榜方案", header=["编号", "揭榜人", "手机号码", "最高学历", "留学回国人员", "团队成员",
                                           "揭榜方案", "状态", "奖励/资助（元）", "揭榜时间"], rows=lines())
    return xlsx_streaming_response([sheet], f"揭榜方案-{challenge.number}.xlsx")


@login_required
@require_POST
@confirm_first(confirmations.challenge_decide)
def proposal_decide(request, proposal_id: int):
    target = request.POST.get("target", "")
    amount = request.POST.get("award_amount", "") if target == ApplicationState.AWARDED else None
    try:
        application = services.application_transition(request.user, proposal_id, target,
                                                      note=request.POST.get("note", ""), award_amount=amount)
    except (ValidationFailed, Conflict) as exc:
        # Refused, nothing written: the list again, with the reason (an award above the funding, a move made
        # by someone else a moment ago).
        challenge = challenges.challenge_of_proposal(request.user, proposal_id)
        return _proposals_page(request, challenge, exc)
    messages.success(request, f"{application.talent.name}的揭榜方案：{application.get_state_display()}。")
    return redirect("opportunities:challenge_proposals", challenge_id=application.opportunity_id)
