"""What each irreversible act on the registry will do, in the words the confirmation dialog and page show
(core/confirm.py). Reads go through the selectors: a confirmation shows only what the user may see."""

from rencai.core.confirm import Confirmation

from . import selectors
from .enums import SensitiveField


def reveal(request, talent_id: int) -> Confirmation | None:
    field = request.POST.get("field", "")
    if field not in SensitiveField.values:
        return None  # the service refuses it with its own message
    talent = selectors.talent_get(user=request.user, talent_id=talent_id)
    label = SensitiveField(field).label
    reason = request.POST.get("reason", "").strip()
    return Confirmation(
        title=f"确认查看{talent.name}的完整{label}？",
        effects=[f"页面显示{talent.name}的完整{label}",
                 "本次查看记入审计日志：查看人、查看对象、事由"
                 + (f"（“{reason[:100]}”）" if reason else "") + "、时间和网络地址"],
        action="确认查看", undo="审计日志中的记录不能删除。")


def claim_decide(request, talent_id: int, decision: str) -> Confirmation | None:
    if decision not in ("confirm", "reject"):
        return None
    talent = selectors.employment_claim_get(user=request.user, talent_id=talent_id)
    unit = talent.organization.name
    if decision == "confirm":
        return Confirmation(
            title=f"确认{talent.name}在{unit}任职？",
            effects=[f"{talent.name}出现在{unit}的人才名单中，可以作为自主认定的候选人",
                     "相关政策据此任职计算"],
            action="确认任职")
    return Confirmation(
        title=f"确认不予确认{talent.name}在{unit}任职？",
        effects=[f"{unit}看不到此人", "相关政策不会据此任职计算"],
        action="不予确认")
