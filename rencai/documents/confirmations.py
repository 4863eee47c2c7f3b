"""What a document review will do, in the words the confirmation dialog and page show (core/confirm.py)."""

from rencai.core.confirm import Confirmation

from . import selectors
from .enums import DocumentAction


def review(request, document_id: int, action: str) -> Confirmation | None:
    if action not in DocumentAction.values:
        return None
    document = selectors.document_get(user=request.user, document_id=document_id)
    what = f"{document.talent.name}的{document.get_kind_display()}（{document.number}）"
    if action == DocumentAction.VERIFY:
        return Confirmation(
            title=f"确认{what}核验通过？",
            effects=["材料标为“已核验”，人才收到消息", "今后办理认定、政策兑现等业务时直接使用，不再重复核验"],
            action="确认核验通过")
    reason = request.POST.get("review_reason", "").strip()
    return Confirmation(
        title=f"确认退回{what}？",
        effects=["材料标为“已退回”，不能在各项业务中使用",
                 "人才收到消息并在材料库中看到退回理由" + (f"：“{reason[:100]}”" if reason else "")
                 + "，需要上传补正后的文件"],
        action="确认退回")
