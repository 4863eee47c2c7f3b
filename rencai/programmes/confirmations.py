"""What each irreversible act of 项目申报 will do, in the words the confirmation dialog and page show
(core/confirm.py). Reads go through the selectors: a confirmation shows only what the user may see."""

from rencai.core.confirm import Confirmation
from rencai.payments.models import fen_to_yuan

from . import selectors
from .enums import Action, AwardStatus
from .models import Report


def _who(application) -> str:
    return f"{application.applicant_name}的申报{application.number}（{application.call.policy_title}）"


def act(request, programme_application_id: int) -> Confirmation | None:
    action = request.POST.get("action", "")
    application = selectors.application_get(user=request.user, application_id=programme_application_id)
    who = _who(application)
    if action == Action.ACCEPT:
        return Confirmation(title=f"确认{who}形式审查通过？", effects=["申报进入专家评审，申报人不能再修改或撤回"],
                            action="确认通过")
    if action == Action.REJECT:
        return Confirmation(title=f"确认{who}形式审查不通过？",
                            effects=["申报结束，本批不能再次提交", "理由告知申报人"], action="确认不通过")
    if action == Action.WITHDRAW:
        return Confirmation(title=f"确认撤回{who}？", effects=["申报结束，本批不能再次提交"], action="确认撤回")
    if action == Action.PANEL:
        count = len(request.POST.getlist("experts"))
        return Confirmation(title=f"确认为{who}组建评审专家组？",
                            effects=[f"所选{count}位专家将收到评审任务", "专家组组建后不能更换"], action="确认组建")
    return None  # submitting and returning for correction can be followed by another step


def score(request, programme_assignment_id: int) -> Confirmation | None:
    if request.method != "POST":
        return None
    return Confirmation(title="确认提交评分？", effects=["评分提交后不能修改"], action="确认提交")


def rank(request, call_id: int) -> Confirmation | None:
    call = selectors.call_get(user=request.user, call_id=call_id)
    return Confirmation(title=f"确认{call.title}的排名？",
                        effects=["按专家评审（及答辩）结果确定本批排名", "排名确定后不能再次确定或更改"],
                        action="确认排名")


def approve(request, call_id: int) -> Confirmation | None:
    call = selectors.call_get(user=request.user, call_id=call_id)
    awards = list(selectors.awards_of_call(call).filter(status=AwardStatus.PROPOSED))
    total = fen_to_yuan(sum(a.amount_fen for a in awards))
    return Confirmation(title=f"确认审批{call.title}的立项名单？",
                        effects=[f"拟立项{len(awards)}项，合计{total}元，占用该项目{call.budget_year}年度预算",
                                 f"名单进入公示（{call.notice_days}个工作日），期满无异议后立项并拨付首期资金",
                                 "其余已排名的申报为未入选"],
                        action="确认审批")


def endorse(request, programme_application_id: int) -> Confirmation | None:
    application = selectors.application_get(user=request.user, application_id=programme_application_id)
    return Confirmation(title=f"确认推荐{_who(application)}？", effects=["单位推荐意见随申报提交，不能撤回"],
                        action="确认推荐")


DECISION_WORDS = {"accept": "通过", "changes": "需修改", "fail": "不通过"}


def report_decide(request, report_id: int) -> Confirmation | None:
    decision = request.POST.get("decision", "")
    report = Report.objects.filter(pk=report_id, award__application__in=selectors.applications_visible(
        request.user)).select_related("award__application__call").first()
    if report is None or decision not in DECISION_WORDS:
        return None  # the service says why
    what = f"{_who(report.award.application)}的{report.get_milestone_display()}"
    effects = {"accept": ["审核通过，以此为拨付条件的资金安排发放"],
               "changes": ["退回申报人修改后重新提交"],
               "fail": ["审核不通过，尚未拨付的资金不再拨付，项目终止"]}[decision]
    return Confirmation(title=f"确认{what}{DECISION_WORDS[decision]}？", effects=effects,
                        action=f"确认{DECISION_WORDS[decision]}")
