"""What the data centre's irreversible acts will do, in the words the confirmation dialog and page show
(core/confirm.py)."""

from rencai.core.confirm import Confirmation

from . import selectors


def token_rotate(request, feed_id: int) -> Confirmation:
    feed = selectors.feed_get(user=request.user, feed_id=feed_id)
    if not feed.token_digest:
        return Confirmation(title=f"确认为“{feed.name}”生成推送令牌？",
                            effects=["令牌只显示这一次，请当场复制交给数据提供部门",
                                     "凭令牌只能向本数据源推送数据，不能读取任何数据"],
                            action="确认生成令牌", undo="以后可以随时更换令牌，原令牌随即失效。")
    return Confirmation(title=f"确认更换“{feed.name}”的推送令牌？",
                        effects=[f"原令牌（末四位 {feed.token_hint}）立即失效，部门系统改用新令牌前的推送都会被拒绝",
                                 "新令牌只显示这一次，请当场复制交给数据提供部门"],
                        action="确认更换令牌")


def discrepancy_resolve(request, discrepancy_id: int) -> Confirmation | None:
    from .enums import Resolution

    item = selectors.discrepancy_get(user=request.user, discrepancy_id=discrepancy_id)
    resolution = request.POST.get("resolution", "")
    if resolution not in Resolution.values:
        return None  # the view reports the missing choice
    if resolution == Resolution.REGISTRY_CORRECTED:
        changes = [f"{item.talent.name}的“{label}”由“{old}”改为“{new}”" for label, old, new
                   in selectors.discrepancy_proposal(item)]
        return Confirmation(title="确认按核验数据更正登记信息？",
                            effects=[*changes, "更正记入该人才的修改记录和审计日志，疑点标记为已处理"],
                            action="确认更正")
    return Confirmation(title=f"确认{Resolution(resolution).label}？",
                        effects=["登记信息保持不变，疑点标记为已处理，处理说明留档备查"],
                        action="确认处理")
