"""What closing a warning will do, in the words the confirmation dialog and page show (core/confirm.py).
确认处理 (acknowledge) asks nothing: the warning stays open."""

from rencai.core.confirm import Confirmation

from . import selectors
from .enums import Action


def act(request, warning_id: int) -> Confirmation | None:
    action = request.POST.get("action", "")
    if action not in (Action.RESOLVE, Action.DISMISS):
        return None
    warning = selectors.warnings_visible(request.user).filter(pk=selectors.warning_pk(warning_id)).first()
    if warning is None:
        return None  # the view answers 404
    if action == Action.RESOLVE:
        return Confirmation(title=f"确认“{warning.title}”已解决？",
                            effects=["预警关闭，处置记录写明处理结果", "同一事项不会再次预警"], action="确认已解决")
    return Confirmation(title=f"确认排除“{warning.title}”？",
                        effects=["预警关闭，处置记录写明排除的理由", "同一事项不会再次预警"], action="确认排除")
