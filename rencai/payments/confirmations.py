"""What each irreversible act of 资金发放 will do, in the words the confirmation dialog and page show
(core/confirm.py). Reads go through the selectors: a confirmation shows only what the user may see."""

from django.utils import timezone

from rencai.core.confirm import Confirmation

from . import selectors
from .jobs import run_month_parse, run_title


def run_start(request) -> Confirmation:
    month = run_month_parse(request.POST.get("month"))
    return Confirmation(
        title=f"确认开始{run_title(month)}？",
        effects=[f"为{month:%Y年%-m月}生成发放记录：每项享受中的待遇一笔",
                 "逐项复核条件：不再符合的停发并说明原因，超出预算的暂缓",
                 "在后台进行，本页显示进度和结果；同一月份重复运行不会重复生成"],
        action="确认开始发放运行")


def batch_create(request) -> Confirmation:
    month = timezone.localdate().replace(day=1)
    return Confirmation(
        title="确认生成发放批次？",
        effects=[f"截至{month:%Y年%-m月}所有待发放、失败待重发且已登记收款账户的发放记录编入一个新批次",
                 "编入的各笔不再编入其他批次；批次交财政审批"],
        action="确认生成批次", undo="财政审批前，可以撤销批次，各笔回到待发放。")


def batch_act(request, batch_id: int, action: str) -> Confirmation | None:
    if action not in ("approve", "cancel"):
        return None
    batch = selectors.batch_get(user=request.user, batch_id=batch_id)
    envelope = f"批次{batch.number}（{batch.count}笔，合计{batch.total}元）"
    if action == "cancel":
        return Confirmation(title=f"确认撤销{envelope}？",
                            effects=["批次作废，其中各笔回到待发放，可以编入新的批次"], action="确认撤销批次")
    return Confirmation(title=f"确认审批通过{envelope}？",
                        effects=["批次内容不能再改动", "可以下载银行文件（含完整账号）报送银行，下载记入审计日志"],
                        action="确认审批通过")
