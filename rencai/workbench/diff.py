"""Two revisions of a rule side by side, rule by rule (issue 13): the same item of each — a condition, an
amount table's row, an open point — on one line, read from the catalog language (YAML) of each."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import yaml

from rencai.policies.documents import document_for

SAME, CHANGED, ADDED, REMOVED = "same", "changed", "added", "removed"
STATE_LABELS = {SAME: "未变", CHANGED: "已修改", ADDED: "新增", REMOVED: "删除"}
KIND_LABELS = {"entitlement": "按条件享受", "program": "申报评审（金额为上限）", "service": "服务"}
FORM_LABELS = {"cash": "现金", "loan": "贷款", "voucher_or_cash": "房票或现金", "in_kind": "非现金服务"}
DECIDED_LABELS = {"condition": "增设条件", "number": "确定数额", "reviewer": "交由审核人员判断"}


@dataclass(frozen=True)
class Line:
    section: str
    label: str
    left: str
    right: str

    @property
    def state(self) -> str:
        if self.left == self.right:
            return SAME
        if not self.left:
            return ADDED
        if not self.right:
            return REMOVED
        return CHANGED

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def policy_fingerprint(policy) -> str | None:
    """What a compiled policy decides with: equal fingerprints, equal results. Words that only explain (the
    title, notes, the dates' note, the open points — a decided one acts through the condition or row that
    encodes it) and the file name are left out, so that a change of wording re-matches nobody."""
    if policy is None:
        return None
    return repr(dataclasses.replace(policy, file="", title="", notes=(), in_force_note="", open_points=()))


def _read(text: str) -> dict:
    try:
        data = yaml.safe_load(text or "") or {}
    except yaml.YAMLError:
        return {"_unreadable": True}
    return data if isinstance(data, dict) else {}


def _text(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "；".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def _source(source) -> str:
    if not isinstance(source, dict):
        return ""
    return f"{document_for(str(source.get('document', ''))).citation}：“{source.get('quote', '')}”"


def _items(values, key: str = "id") -> dict:
    return {str(item.get(key)): item for item in values or [] if isinstance(item, dict)}


def _flat(data: dict) -> list[tuple[str, str, str]]:
    """(section, label, text) for every item of one rule, in a stable order."""
    rows: list[tuple[str, str, str]] = []
    add = rows.append
    if data.get("_unreadable"):
        return [("规则文本", "规则文本", "（无法读取）")]
    add(("基本信息", "名称", _text(data.get("title"))))
    if "members" in data:  # an exclusive group
        add(("不可兼得组", "成员政策", _text(data.get("members"))))
        add(("不可兼得组", "适用于", _text(data.get("applies_label"))))
        add(("不可兼得组", "适用条件", _text(data.get("applies_when"))))
        add(("不可兼得组", "其他人员", _text(data.get("otherwise_note"))))
        add(("依据", "依据原文", _source(data.get("source"))))
        return rows
    add(("基本信息", "类型", KIND_LABELS.get(data.get("kind"), _text(data.get("kind")))))
    add(("基本信息", "兑现方式", FORM_LABELS.get(data.get("benefit_form"), _text(data.get("benefit_form")))))
    add(("基本信息", "每人限享一次", _text(data.get("once_per_person", True))))
    add(("基本信息", "免申即享", _text(data.get("no_application", False))))
    add(("依据", "依据原文", _source(data.get("source"))))
    for i, source in enumerate(data.get("also_sources") or [], 1):
        add(("依据", f"其他依据{i}", _source(source)))
    in_force = data.get("in_force") or {}
    add(("施行日期", "起始日", _text(in_force.get("from"))))
    add(("施行日期", "截止日", _text(in_force.get("until"))))
    add(("施行日期", "说明", _text(in_force.get("note"))))
    for name, body in (data.get("let") or {}).items():
        if isinstance(body, dict):
            for row_id, row in _items(body.get("table")).items():
                value = f"{row['value']}" if "value" in row else f"一人一议：{_text(row.get('manual'))}"
                decided = f"（开放事项决定：{row['decision']}）" if row.get("decision") else ""
                add(("金额表", f"{name} · {row_id}",
                     f"当 {_text(row.get('when'))} → {value}；{_text(row.get('reason'))}{decided}"))
            add(("金额表", f"{name} · 均不适用时", _text(body.get("none"))))
        else:
            add(("计算值", name, _text(body)))
    for cid, condition in _items(data.get("conditions")).items():
        decided = f"（开放事项决定：{condition['decision']}）" if condition.get("decision") else ""
        add(("条件", cid, f"{_text(condition.get('test'))}；不符合时：{_text(condition.get('fail'))}{decided}"))
    amount = data.get("amount") or {}
    for key, label in (("monthly", "每月金额"), ("one_time", "一次性金额"), ("months", "发放月数"),
                       ("months_note", "期限说明"), ("cap", "金额为上限"), ("explain", "金额说明")):
        add(("金额", label, _text(amount.get(key))))
    for pid, point in _items(data.get("open_points")).items():
        decided = point.get("decided") or {}
        state = ("未决定" if not decided else
                 f"{DECIDED_LABELS.get(decided.get('as'), decided.get('as'))}；依据{_text(decided.get('basis'))}"
                 f"（{_text(decided.get('basis_date'))}）；自{_text(decided.get('from'))}起；"
                 f"{_text(decided.get('decided_by'))}于{_text(decided.get('decided_on'))}决定")
        add(("开放事项", pid, f"{_text(point.get('question'))}——{state}"))
    for i, note in enumerate(data.get("notes") or [], 1):
        add(("说明", f"说明{i}", _text(note)))
    return rows


def rule_diff(left_text: str, right_text: str, *, changed_only: bool = False) -> list[Line]:
    """Line up two texts of one rule item by item; items only one side has come out added or removed."""
    left = {(s, label): text for s, label, text in _flat(_read(left_text))}
    right = {(s, label): text for s, label, text in _flat(_read(right_text))}
    order = list(left)
    order += [key for key in right if key not in left]
    lines = [Line(s, label, left.get((s, label), ""), right.get((s, label), "")) for s, label in order]
    lines = [line for line in lines if line.left or line.right]
    return [line for line in lines if line.state != SAME] if changed_only else lines
