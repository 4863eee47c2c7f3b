"""What each irreversible act of 咨询与评价 will do, in the words the confirmation dialog and page show
(core/confirm.py). Reads go through the selectors: a confirmation shows only what the user may see."""

from rencai.core.confirm import Confirmation

from . import selectors, subjects
from .enums import POOR_GRADES, AboutKind, CaseAction, CaseKind, ConsultationAction, Grade


def consultation(request, consultation_id: int) -> Confirmation | None:
    action = request.POST.get("action", "")
    item = selectors.consultation_get(user=request.user, consultation_id=consultation_id)
    if action == ConsultationAction.ANSWER:
        return Confirmation(title=f"确认答复咨询{item.number}？",
                            effects=["答复发送给咨询人，并进入其站内消息", "答复后不能修改，咨询人可以对答复进行评价"],
                            action="确认答复")
    if action == ConsultationAction.PUBLISH:
        where = f"“{item.policy_title}”政策页面" if item.policy else "常见问题"
        return Confirmation(title="确认发布为常见问题？",
                            effects=[f"问题和答复以填写的文字公开在{where}，任何人可见（不显示咨询人）"],
                            action="确认发布", undo="发布后可以撤下。")
    if action == ConsultationAction.UNPUBLISH:
        return Confirmation(title="确认撤下该常见问题？", effects=["政策页面不再显示该问题"], action="确认撤下",
                            undo="撤下后可以重新发布。")
    return None  # the service refuses an unknown action with its own message


def rate(request) -> Confirmation | None:
    grade = request.POST.get("grade", "")
    if grade not in Grade.values:
        return None  # the service names the missing grade
    kind = request.POST.get("subject_kind", "")
    subject = subjects.get(kind, selectors._int(request.POST.get("subject_id")))
    what = subject.title if subject is not None else "该事项"
    effects = [f"对{what}评价“{Grade(grade).label}”", "评价提交后不能修改"]
    if grade in POOR_GRADES:
        effects.append("差评将转给被评价人所在部门的主管（不是被评价人本人），1个工作日内回访，15个工作日内办结；"
                       "办结后您可以再次评价")
    return Confirmation(title="确认提交评价？", effects=effects, action="确认提交评价")


def complain(request) -> Confirmation | None:
    about = request.POST.get("about_kind", "")
    if about not in AboutKind.values:
        return None
    return Confirmation(title="确认提交监督反馈？",
                        effects=[f"反映{AboutKind(about).label}的问题，转给相关部门的主管办理（不会转给被反映的人本人）",
                                 "主管1个工作日内回访，15个工作日内办结，结果在本页告知您"],
                        action="确认提交")


def case(request, case_id: int) -> Confirmation | None:
    item = selectors.case_get(user=request.user, case_id=case_id)
    action = request.POST.get("action", "")
    if action == CaseAction.CALL_BACK:
        return Confirmation(title=f"确认已回访{item.number}？", effects=["记录回访情况，案件转为整改中"],
                            action="确认已回访")
    if action == CaseAction.RESOLVE:
        again = "；人才可以再次评价" if item.kind == CaseKind.FOLLOW_UP else ""
        return Confirmation(title=f"确认办结{item.number}？", effects=[f"处理结果告知人才{again}"], action="确认办结")
    return None
