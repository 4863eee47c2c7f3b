"""Two revisions of a rule side by side, rule by rule (issue 13): the same item of each — a condition, an
amount table's row, an open point — on one line, read from the catalog language (YAML) of each."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import yaml

from rencai.policies.documents import document_for
from rencai.policies.engine.catalog import PLACEHOLDER
from rencai.policies.fields import ALL_FIELDS, input_label

SAME, CHANGED, ADDED, REMOVED = "same", "changed", "added", "removed"
STATE_LABELS = {SAME: "未变", CHANGED: "已修改", ADDED: "新增", REMOVED: "删除"}
KIND_LABELS = {"entitlement": "按条件享受", "program": "申报评审（金额为上限）", "service": "服务"}
FORM_LABELS = {"cash": "现金", "loan": "贷款", "voucher_or_cash": "房票或现金", "in_kind": "非现金服务"}
DECIDED_LABELS = {"condition": "增设条件", "number": "确定数额", "reviewer": "交由审核人员判断"}


@dataclass(frozen=True)
class Side:
    """One version's item: what it says in words, and the rule language behind it (shown as code)."""

    words: str = ""
    code: str = ""

    def __bool__(self) -> bool:
        return bool(self.words or self.code)


@dataclass(frozen=True)
class Line:
    section: str
    label: str
    left: Side
    right: Side

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


def _words(text) -> str:
    """A rule's message as people read it: each {placeholder} named by its field's label."""
    return PLACEHOLDER.sub(lambda m: f"〔{input_label(m.group(1)) if m.group(1) in ALL_FIELDS else '计算值'}〕",
                           _text(text))


def _flat(data: dict) -> list[tuple[tuple[str, str], str, Side]]:
    """((section, key), label, side) for every item of one rule, in a stable order: the key is the item's id
    (a condition's, a row's, an open point's), so that an item whose words changed lines up with itself."""
    rows: list[tuple[tuple[str, str], str, Side]] = []

    def add(section: str, key: str, label: str, words: str = "", code: str = "") -> None:
        rows.append(((section, key), label, Side(words, code)))

    if data.get("_unreadable"):
        return [(("规则文本", ""), "规则文本", Side("（无法读取）"))]
    add("基本信息", "title", "名称", _text(data.get("title")))
    if "members" in data:  # an exclusive group
        add("不可兼得组", "members", "成员政策", "、".join(_title(m) for m in data.get("members") or []))
        add("不可兼得组", "applies_label", "适用于", _text(data.get("applies_label")),
            _text(data.get("applies_when")))
        add("不可兼得组", "otherwise_note", "其他人员", _text(data.get("otherwise_note")))
        add("依据", "source", "依据原文", _source(data.get("source")))
        return rows
    add("基本信息", "kind", "类型", KIND_LABELS.get(data.get("kind"), _text(data.get("kind"))))
    add("基本信息", "benefit_form", "兑现方式",
        FORM_LABELS.get(data.get("benefit_form"), _text(data.get("benefit_form"))))
    add("基本信息", "once", "每人限享一次", _text(data.get("once_per_person", True)))
    add("基本信息", "no_application", "免申即享", _text(data.get("no_application", False)))
    add("依据", "source", "依据原文", _source(data.get("source")))
    for i, source in enumerate(data.get("also_sources") or [], 1):
        add("依据", f"also-{i}", f"其他依据{i}", _source(source))
    in_force = data.get("in_force") or {}
    add("施行日期", "from", "起始日", _text(in_force.get("from")))
    add("施行日期", "until", "截止日", _text(in_force.get("until")))
    add("施行日期", "note", "说明", _text(in_force.get("note")))
    points = _items(data.get("open_points"))
    for name, body in (data.get("let") or {}).items():
        if isinstance(body, dict):
            for row_id, row in _items(body.get("table")).items():
                value = f"{row['value']}" if "value" in row else f"一人一议：{_text(row.get('manual'))}"
                decided = _decided_by(points, row.get("decision"))
                add("金额标准", f"{name}:{row_id}", _words(row.get("reason")) or "一档",
                    f"{_words(row.get('reason'))}（数值 {value}）{decided}", f"when: {_text(row.get('when'))}")
            add("金额标准", f"{name}:none", "都不适用时", _words(body.get("none")))
        else:
            add("计算值", name, "计算值", "", f"{name}: {_text(body)}")
    for cid, condition in _items(data.get("conditions")).items():
        decided = _decided_by(points, condition.get("decision"))
        add("条件", cid, "条件", f"不符合时：{_words(condition.get('fail'))}{decided}",
            f"test: {_text(condition.get('test'))}")
    amount = data.get("amount") or {}
    for key, label in (("monthly", "每月金额"), ("one_time", "一次性金额")):
        if key in amount:
            add("金额", key, label, "", f"{key}: {_text(amount.get(key))}")
    for key, label in (("months", "发放月数"), ("months_note", "期限说明"), ("cap", "金额为上限"),
                       ("explain", "金额说明")):
        add("金额", key, label, _words(amount.get(key)))
    for pid, point in points.items():
        decided = point.get("decided") or {}
        state = ("未决定" if not decided else
                 f"{DECIDED_LABELS.get(decided.get('as'), '已决定')}；依据{_text(decided.get('basis'))}"
                 f"（{_text(decided.get('basis_date'))}）；自{_text(decided.get('from'))}起施行；"
                 f"{_text(decided.get('decided_by'))}于{_text(decided.get('decided_on'))}决定")
        add("开放事项", pid, _text(point.get("question")), state)
    for i, note in enumerate(data.get("notes") or [], 1):
        add("说明", f"note-{i}", f"说明{i}", _text(note))
    return rows


def _decided_by(points: dict, point_id) -> str:
    if not point_id:
        return ""
    question = _text((points.get(str(point_id)) or {}).get("question")) or "开放事项"
    return f"（依本单位对“{question}”的决定）"


def _title(policy_id: str) -> str:
    from rencai.policies.published import effective

    policy = effective().catalog.policies.get(str(policy_id))
    return policy.title if policy else "（未知政策）"


def rule_diff(left_text: str, right_text: str, *, changed_only: bool = False) -> list[Line]:
    """Line up two texts of one rule item by item; items only one side has come out added or removed."""
    left = {key: (label, side) for key, label, side in _flat(_read(left_text))}
    right = {key: (label, side) for key, label, side in _flat(_read(right_text))}
    order = list(left) + [key for key in right if key not in left]
    lines = [Line(key[0], (right.get(key) or left[key])[0], left.get(key, ("", Side()))[1],
                  right.get(key, ("", Side()))[1]) for key in order]
    lines = [line for line in lines if line.left or line.right]
    return [line for line in lines if line.state != SAME] if changed_only else lines
