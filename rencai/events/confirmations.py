"""What closing a follow-up will do, in the words the confirmation dialog and page show (core/confirm.py).
A contact note and a reassignment ask nothing: the follow-up stays open."""

from rencai.core.confirm import Confirmation
from rencai.core.parsing import optional_int

from . import selectors
from .enums import FollowUpAction


def followup_act(request, followup_id: int) -> Confirmation | None:
    if request.POST.get("action", "") != FollowUpAction.CLOSE:
        return None
    follow_up = (selectors.followups_visible(request.user).filter(pk=optional_int(followup_id) or 0)
                 .select_related("talent").first())
    if follow_up is None:
        return None  # the view answers 404
    return Confirmation(title=f"确认结束对{follow_up.talent.name}的跟踪？",
                        effects=["跟踪关闭，记录写明跟踪结果", "该事项不再出现在待跟踪列表中"], action="确认结束")
