"""What an officer is asked before publishing or discarding a revision (core.confirm)."""

from rencai.core.confirm import Confirmation


def publish(request, revision_id: int) -> Confirmation:
    return Confirmation(
        title="发布这一版规则？",
        effects=("发布后，政策计算器、政策找人和各项清单立即按这一版计算；",
                 "政策找人将在后台对这项政策重新匹配，结果有变化的人才会收到通知；",
                 "现行版本保留在版本记录中，可随时比较，但不能撤销本次发布（如需恢复，请基于旧版本再发布一版）。"),
        action="确认发布")


def discard(request, revision_id: int) -> Confirmation:
    return Confirmation(title="放弃这份草稿？", effects=("草稿保留在版本记录中，但不能再发布。",), action="放弃草稿")
