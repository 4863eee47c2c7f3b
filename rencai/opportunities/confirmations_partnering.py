"""What the irreversible acts of 揭榜挂帅 and 项目对接 will do, in the words the confirmation dialog and page show
(core/confirm.py): a challenge proposal shortlisted, awarded or declined; a brokered meeting's outcome recorded."""

from decimal import Decimal, InvalidOperation

from rencai.core.confirm import Confirmation

from . import partnering, services
from .enums import ApplicationState, MeetingOutcome
from .models import Application, Meeting

FINAL_OUTCOMES = {MeetingOutcome.SIGNED: "签约合作", MeetingOutcome.NO_DEAL: "未达成"}


def meeting_outcome(request, meeting_id: int) -> Confirmation | None:
    outcome = request.POST.get("outcome", "")
    meeting = Meeting.objects.select_related("opportunity").filter(pk=meeting_id).first()
    if (meeting is None or not partnering.may_broker(request.user, meeting.opportunity)
            or outcome not in MeetingOutcome.values or outcome == MeetingOutcome.PENDING):
        return None  # the service refuses it with its own message
    label = MeetingOutcome(outcome).label
    effects = [f"“{meeting.opportunity.title}”的{meeting.get_kind_display()}（{meeting.held_on:%Y-%m-%d}）"
               f"结果记为“{label}”"]
    if outcome in FINAL_OUTCOMES:
        return Confirmation(title=f"确认对接结果为“{label}”？", effects=[*effects, "记录后结果不能再修改"],
                            action=f"确认{label}")
    return Confirmation(title=f"确认对接结果为“{label}”？", effects=effects, action="确认记录",
                        undo="之后仍可改为签约合作或未达成。")


def challenge_decide(request, proposal_id: int) -> Confirmation | None:
    target = request.POST.get("target", "")
    application = Application.objects.select_related("opportunity", "talent").filter(pk=proposal_id).first()
    decisions = (ApplicationState.SHORTLISTED, ApplicationState.AWARDED, ApplicationState.DECLINED)
    if application is None or target not in decisions or not services.may_handle(request.user,
                                                                                   application.opportunity):
        return None  # the service answers (404, or the field's message)
    title = application.opportunity.title
    who = application.talent.name
    if target == ApplicationState.SHORTLISTED:
        return Confirmation(title=f"确认{who}的揭榜方案入围？", effects=[f"“{title}”：该方案进入入围名单",
                                                                     "揭榜人将收到通知"], action="确认入围")
    if target == ApplicationState.DECLINED:
        return Confirmation(title=f"确认不采纳{who}的揭榜方案？", effects=[f"“{title}”：该方案不再参与评选",
                                                                      "揭榜人将收到通知"], action="确认不采纳")
    try:
        amount = f"{Decimal(request.POST.get('award_amount', '').strip()):,.2f}元"
    except (InvalidOperation, ValueError):
        amount = "所填金额"
    return Confirmation(title=f"确认{who}揭榜成功？",
                        effects=[f"“{title}”：奖励或资助{amount}，计入榜单金额",
                                 "揭榜成功记入该人才的档案，项目申报评审时可见", "揭榜人将收到通知"],
                        action="确认揭榜成功")
