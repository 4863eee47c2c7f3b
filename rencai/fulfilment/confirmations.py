"""What each irreversible act of 政策兑现 will do, in the words the confirmation dialog and page show
(core/confirm.py). Reads go through the selectors: a confirmation shows only what the user may see."""

from rencai.core.confirm import Confirmation

from . import selectors
from .enums import Action, Status
from .routes import policy_setting
from .services import amount_text


def _grant_effects(application) -> list[str]:
    """What the last approval does: 公示 first where the policy has one, else the entitlement at once."""
    amount = amount_text(application)
    days = policy_setting(application.policy).public_notice_days
    money = "占用该政策本年度预算" if application.monthly_fen or application.one_time_fen else ""
    if days:
        return [f"批准结果进入公示（{days}个工作日，姓名只显示姓氏）" + (f"，同时{money}" if money else ""),
                f"公示期满、异议均已答复后，再确认批准并开始发放（{amount}）"]
    return [f"申请批准：{amount}" + (f"，{money}" if money else ""),
            "建立待遇，从本月起按月发放" if application.monthly_fen else "建立待遇，进入发放"]


def _reason_line(request, field: str = "reason") -> str:
    reason = request.POST.get(field, "").strip()
    return f"：“{reason[:100]}”" if reason else ""


def decide(request, fulfilment_id: int) -> Confirmation | None:
    action = request.POST.get("action", "")
    if action not in (Action.APPROVE, Action.REJECT):
        return None  # the view refuses it with its own message
    application = selectors.application_get(user=request.user, application_id=fulfilment_id)
    step = application.current_step
    if application.status != Status.REVIEWING or step is None:
        return None  # nothing left to decide: the service says why
    who = f"{application.talent.name}的申请{application.number}（{application.policy_title}）"
    if action == Action.REJECT:
        return Confirmation(
            title=f"确认不予通过{who}？",
            effects=[f"“{step.title}”环节不予通过，申请结束",
                     f"意见告知申请人{_reason_line(request)}；申请人可以修改后重新提交"],
            action="确认不予通过")
    following = selectors.step_following(step)
    effects = [f"“{step.title}”环节审核通过"]
    effects += ([f"申请转到下一环节“{following.title}”"] if following is not None else _grant_effects(application))
    return Confirmation(title=f"确认通过{who}？", effects=effects, action="确认通过")


def bulk(request) -> Confirmation | None:
    action = request.POST.get("action", "")
    count = len({v for v in request.POST.getlist("applications") if v})
    if action not in (Action.APPROVE, Action.REJECT) or not count:
        return None  # the service refuses it (nothing chosen, or no decision) with its own message
    if action == Action.REJECT:
        return Confirmation(
            title=f"确认批量不予通过所选的{count}项申请？",
            effects=[f"所选{count}项申请全部不予通过，申请结束",
                     f"每位申请人都会看到统一意见{_reason_line(request)}"],
            action=f"确认不予通过{count}项")
    return Confirmation(
        title=f"确认批量通过所选的{count}项申请？",
        effects=[f"所选{count}项申请的当前环节全部审核通过，转到各自的下一环节",
                 "已在最后一个环节的，占用预算并批准（需要公示的进入公示）",
                 "不能办理的（不在您的环节、预算不足、不可兼得等）逐项列出原因，不影响其他各项"],
        action=f"确认通过{count}项")


def finalize(request, fulfilment_id: int) -> Confirmation | None:
    application = selectors.application_get(user=request.user, application_id=fulfilment_id)
    if application.status != Status.PUBLICIZING:
        return None
    return Confirmation(
        title=f"公示期满，确认批准{application.talent.name}的申请{application.number}？",
        effects=["公示结束", f"申请批准：{amount_text(application)}",
                 "建立待遇，从本月起按月发放" if application.monthly_fen else "建立待遇，进入发放"],
        action="确认批准")


def answer_objection(request, objection_id: int) -> Confirmation | None:
    upheld = request.POST.get("upheld")
    if upheld not in ("0", "1"):
        return None
    objection = selectors.objection_get(user=request.user, objection_id=objection_id)
    notice = objection.notice
    application = notice.application  # None: another kind's notice (a programme's award ...)
    answer = _reason_line(request, "answer")
    if upheld == "1":
        if application is not None:
            effects = [f"{application.talent.name}的申请{application.number}（{application.policy_title}）不予批准，"
                       "公示结束", "已占用的预算退回", f"答复记入公示记录，申请人可见{answer}"]
        else:
            effects = [f"{notice.masked_name}的“{notice.title}”不予通过，公示结束", f"答复记入公示记录{answer}"]
        return Confirmation(title="确认异议成立？", effects=effects, action="确认：异议成立")
    then = (f"可以批准申请{application.number}" if application is not None
            else f"{notice.masked_name}的“{notice.title}”即通过")
    return Confirmation(
        title="确认异议不成立？",
        effects=[f"答复记入公示记录{answer}", f"公示照常进行；期满且异议均已答复后，{then}"],
        action="确认：异议不成立")


def withdraw(request, fulfilment_id: int) -> Confirmation:
    application = selectors.application_get(user=request.user, application_id=fulfilment_id)
    effects = ["办理终止，尚未办完的环节取消"]
    if application.status == Status.PUBLICIZING:
        effects.append("公示结束，已占用的预算退回")
    effects.append("符合条件的，可以随时重新提交")
    return Confirmation(title=f"确认撤回申请{application.number}（{application.policy_title}）？", effects=effects,
                        action="确认撤回")


def _offer(request, offer_id: int):
    from rencai.core.errors import NotFound

    offer = selectors.own_offers(user=request.user).filter(pk=offer_id).first()
    if offer is None:
        raise NotFound()
    return offer


def offer_confirm(request, offer_id: int) -> Confirmation:
    offer = _offer(request, offer_id)
    effects = [f"享受“{offer.policy_title}”，无需填表，直接进入拨付环节"]
    if offer.exclusive_group:
        effects.append("同组其他选项（不可兼得）不再保留")
    return Confirmation(title=f"确认享受“{offer.policy_title}”？", effects=effects, action="确认享受")


def offer_decline(request, offer_id: int) -> Confirmation:
    offer = _offer(request, offer_id)
    return Confirmation(title=f"确认放弃“{offer.policy_title}”？",
                        effects=["该项不再保留，也不再提醒", "以后仍符合条件的，可以按一般程序申请"],
                        action="确认放弃")


def invite(request, policy_id: str) -> Confirmation:
    from .services import _policy

    policy = _policy(policy_id)
    return Confirmation(
        title=f"确认推送“{policy.title}”的申请提醒？",
        effects=["按最近一次政策找人的结果，向本辖区内符合条件、尚未申请的人才各发送一条站内提醒",
                 "每人每项政策只发一次"],
        action="确认推送")
