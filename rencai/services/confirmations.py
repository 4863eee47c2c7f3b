"""What closing a part, a bulk close and a reassignment will do, in the words the confirmation dialog and page
show (core/confirm.py). Assigning a part (it can be assigned again) asks nothing."""

from rencai.core.confirm import Confirmation

from . import selectors
from .enums import PartAction


def act(request, part_id: int) -> Confirmation | None:
    action = request.POST.get("action", "")
    if action not in (PartAction.COMPLETE, PartAction.DECLINE, PartAction.CANCEL):
        return None
    part = selectors.parts_visible(request.user).filter(pk=part_id).select_related("talent").first()
    if part is None:
        return None  # the view answers 404
    what = f"{part.talent.name}的“{part.title}”"
    if action == PartAction.COMPLETE:
        return Confirmation(title=f"确认{what}办结？",
                            effects=["该事项标为“已办结”，人才看到办理结果",
                                     "全部事项办结后，服务请求即办结，人才可以评价"],
                            action="确认办结")
    if action == PartAction.DECLINE:
        return Confirmation(title=f"确认{what}不予办理？",
                            effects=["该事项标为“不予办理”，人才看到理由"], action="确认不予办理")
    return Confirmation(title=f"确认撤销{what}？", effects=["承办部门不再办理该事项"], action="确认撤销")


def bulk(request) -> Confirmation | None:
    if request.POST.get("action") != PartAction.COMPLETE:
        return None
    n = len(request.POST.getlist("parts"))
    return Confirmation(title=f"确认将所选{n}个事项办结？",
                        effects=["所选事项均标为“已办结”，人才看到统一的办理结果"], action="确认批量办结")


def reassign(request) -> Confirmation | None:
    return Confirmation(title="确认调整服务专员？",
                        effects=["该人才改由所选服务专员服务，原专员不再看到其事项", "新专员和人才收到消息"],
                        action="确认调整", undo="可以再次调整。")
