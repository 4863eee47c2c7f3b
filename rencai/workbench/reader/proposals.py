"""Draft rules proposed from a sentence's findings, in the catalog's own language (rencai/policies/catalog): a
``let`` table whose rows are the groups with their values, ``amount.monthly`` / ``one_time``, ``months``,
``cap: true`` for 最高, conditions for ages, graduation windows and yes/no facts with the operator the boundary
word means (以下 → <=, 不满 → <, 以上 → >=, 超过 → >), and the sentence as the source quote.

Every value of a proposal points at the finding it came from; what the text does not give (the policy's id,
title, jurisdiction, in-force date, a period, who a tier is for) is listed in ``to_supply`` for the officer and
never made up: a placeholder the officer must correct is named as one."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import yaml

from rencai.policies.fields import ALL_FIELDS, REGION_LABELS, SUBJECT_LABELS, Type, subject_of

from .findings import RULE_1259, Finding, find_all
from .numerals import plain, yuan_words
from .text import Sentence, locate, sentences

LIST_FIELDS = {name for name, spec in ALL_FIELDS.items() if spec.type == Type.LIST}
PREFIXES = {"210100": "sy", "210000": "ln", "320600": "nt", "320000": "nt", "410100": "zz", "410000": "zz"}
PLACEHOLDER_DOCUMENT = "999_0000000000000000.txt"
PLACEHOLDER_DAY = dt.date(2000, 1, 1)
_CONDITION_CLAUSE = re.compile(r"对[^，,。；;：:]*?的(?=[，,])")
_ITEM_BREAK = re.compile(r"[、，,；;和及与或]|以及")


@dataclass
class DraftRow:
    findings: list[Finding]  # the groups and thresholds the row is for
    value: Finding | None = None  # an amount or area; None for a row decided 一人一议 or left to supply
    manual: Finding | None = None

    @property
    def when(self) -> str:
        return when_expression(self.findings)

    @property
    def label(self) -> str:
        return "、".join(f.reading.split("：")[0] if f.kind == "threshold" else f.reading for f in self.findings)


@dataclass
class DraftCondition:
    test: str
    label: str
    findings: list[Finding]


@dataclass
class Proposal:
    sentence: Sentence
    findings: list[Finding]
    rows: list[DraftRow] = field(default_factory=list)
    conditions: list[DraftCondition] = field(default_factory=list)
    period: str = ""
    cap: bool = False
    months: Finding | None = None
    unit: str = "元"
    document: str | None = None  # the seed document the sentence stands in, if any
    subject: str = "person"
    to_supply: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    policy_id: str = ""
    yaml: str = ""
    problems: list[str] = field(default_factory=list)  # the catalog loader's, should there be any

    # -- what the benchmark compares with the catalog --
    def amounts(self) -> set[Decimal]:
        found = {r.value.value for r in self.rows if r.value is not None}
        if self.months is not None:
            found.add(self.months.value)
        found |= {f.value for f in self.findings if f.kind == "percent"}
        return found

    def groups(self) -> set[tuple[str, str]]:
        found = {(f.field, str(f.value)) for r in self.rows for f in r.findings if f.kind == "group"}
        found |= {(f.field, str(f.value)) for c in self.conditions for f in c.findings if f.kind == "group"}
        return found

    def thresholds(self) -> set[tuple[str, str, Decimal]]:
        every = [f for r in self.rows for f in r.findings] + [f for c in self.conditions for f in c.findings]
        return {(f.field, f.op, f.value) for f in every if f.kind in ("threshold", "window") and f.field}


def when_expression(findings: list[Finding]) -> str:
    """The catalog expression that a row's groups and thresholds mean: groups of one field as a list test,
    of different fields joined by or; thresholds joined by and."""
    by_field: dict[str, list[str]] = {}
    for f in findings:
        if f.kind == "group" and str(f.value) not in by_field.setdefault(f.field, []):
            by_field[f.field].append(str(f.value))
    either = []
    for name, values in by_field.items():
        if name in LIST_FIELDS:
            either += [f'"{v}" in {name}' for v in values]
        elif len(values) == 1:
            either.append(f'{name} == "{values[0]}"')
        else:
            either.append(f"{name} in [{', '.join(chr(34) + v + chr(34) for v in values)}]")
    limits = [threshold_expression(f) for f in findings if f.kind in ("threshold", "window") and f.field]
    parts = []
    if either:
        parts.append(either[0] if len(either) == 1 or not limits else f"({' or '.join(either)})")
        if len(either) > 1 and not limits:
            parts = [" or ".join(either)]
    parts += [x for x in limits if x]
    return " and ".join(parts) if parts else "false"


def threshold_expression(f: Finding) -> str:
    if f.field == "age":
        return f"age {f.op} {plain(f.value)}"
    if f.field == "graduation_years":
        years = plain(f.value)
        end = "<=" if f.op == "<=" else "<"
        return f"graduation_date <= as_of and as_of {end} add_years(graduation_date, {years})"
    return ""


def _items(found: list[Finding], text_of) -> list[list[Finding]]:
    """Consecutive groups and thresholds cut into items where the text between two of them has a separator
    (、，和及与或): "D类人才、45岁以下博士" → [D类], [45岁以下, 博士]."""
    items: list[list[Finding]] = []
    for f in found:
        if items and not _ITEM_BREAK.search(text_of(items[-1][-1].end, f.start)):
            items[-1].append(f)
        else:
            items.append([f])
    return items


def propose(text: str, sentence: Sentence, *, jurisdiction: str | None = None, document: str | None = None
            ) -> Proposal | None:
    """The draft rule a sentence suggests, or None when it states no amount, group or threshold."""
    found = find_all(text, sentence)
    values = [f for f in found if f.kind in ("amount", "area") and f.op != ">="]
    rowable = [f for f in found if f.kind == "group" or (f.kind == "threshold" and f.field == "age")]
    if not values and not rowable and not any(f.kind == "window" for f in found):
        return None
    proposal = Proposal(sentence=sentence, findings=found, document=document)

    def between(a: int, b: int) -> str:
        return text[a:b] if a < b else ""

    clauses = [(sentence.start + m.start(), sentence.start + m.end())
               for m in _CONDITION_CLAUSE.finditer(sentence.text)]
    in_clause = {id(f) for f in found if any(s <= f.start < e for s, e in clauses)}
    used: set[int] = set()
    used_respectively: set[int] = set()
    # 分别: "B类、C类人才，分别给予150万元、100万元" pairs the items before it with the values after it, in order.
    respectively = sentence.text.find("分别")
    if respectively >= 0 and values:
        at = sentence.start + respectively
        after = [v for v in values if v.start > at]
        items = _items([f for f in rowable if f.start < at], between)
        if after and len(items) >= len(after):
            for item, value in zip(items[-len(after):], after, strict=True):
                proposal.rows.append(DraftRow(item, value))
                used |= {id(f) for f in item} | {id(value)}
                used_respectively.add(id(value))
    # Otherwise each value takes the groups and thresholds since the previous value (outside 对…的 clauses).
    previous = sentence.start
    for value in values:
        if id(value) in used:
            previous = value.end
            continue
        mine = [f for f in rowable if previous <= f.start < value.start and id(f) not in used
                and id(f) not in in_clause]
        proposal.rows.append(DraftRow(mine, value))
        used |= {id(f) for f in mine} | {id(value)}
        previous = value.end
    # A run of values with nothing between them but separators (择优给予6万元、9万元、15万元): groups before the run
    # are about every value of it, not the first one alone; which value is for whom the text does not say.
    ordered = sorted((r for r in proposal.rows if r.value is not None), key=lambda r: r.value.start)
    run = ordered[:1]
    for row in [*ordered[1:], None]:
        if row is not None and re.fullmatch(r"[、，,和及与或\s]*", between(run[-1].value.end, row.value.start)) \
                and not row.findings:
            run.append(row)
            continue
        if len(run) > 1 and run[0].findings and id(run[0].value) not in used_respectively:
            proposal.conditions.append(DraftCondition(when_expression(run[0].findings), _label(run[0].findings),
                                                      run[0].findings))
            run[0].findings = []
        run = [row] if row is not None else []
    # Groups left over: one followed by 一人一议 is a row decided case by case; the rest apply to the whole rule.
    left = [f for f in rowable if id(f) not in used]
    manuals = [f for f in found if f.kind == "manual"]
    for item in _items(left, between):
        manual = None if any(id(f) in in_clause for f in item) else next((
            m for m in manuals if m.start >= item[-1].end and len(between(item[-1].end, m.start)) <= 12
            and not any(item[-1].end <= g.start < m.start for g in values + rowable)), None)
        if manual is not None and proposal.rows:
            proposal.rows.insert(0, DraftRow(item, None, manual))
        else:
            proposal.conditions.append(DraftCondition(when_expression(item), _label(item), item))
    for f in found:
        if f.kind == "window":
            proposal.conditions.append(DraftCondition(threshold_expression(f), f.reading, [f]))
            if f.field != "graduation_years":
                proposal.to_supply.append(f"“{f.words}”按月计的毕业时间窗口：请写出条件")
    for name in dict.fromkeys(f.field for f in found if f.kind == "flag"):
        flags = [f for f in found if f.kind == "flag" and f.field == name]
        proposal.conditions.append(DraftCondition(name, flags[0].reading, flags))
    proposal.rows.sort(key=lambda r: (r.value or r.manual).start)
    _one_subject(proposal)
    _amount_shape(proposal, found, values)
    _supply(proposal, found)
    proposal.yaml = draft_yaml(proposal, jurisdiction=jurisdiction, document=document)
    return proposal


def _one_subject(proposal: Proposal) -> None:
    """A policy reads the fields of one subject (a person, a team or an organization): the one most of its
    groups are about; the words about another are left to the officer."""
    named = [subject_of(f.field) for f in proposal.findings if f.kind in ("group", "flag") and f.field]
    counts = Counter(s for s in named if s)
    proposal.subject = counts.most_common(1)[0][0] if counts else "person"

    def fits(f: Finding) -> bool:
        return not f.field or f.field in ("age",) or f.field.startswith("graduation") or \
            subject_of(f.field) in (None, proposal.subject)

    dropped = [f for c in proposal.conditions for f in c.findings if not fits(f)]
    dropped += [f for r in proposal.rows for f in r.findings if not fits(f)]
    proposal.conditions = [c for c in proposal.conditions if all(fits(f) for f in c.findings)]
    for row in proposal.rows:
        row.findings = [f for f in row.findings if fits(f)]
    if dropped:
        label = SUBJECT_LABELS[proposal.subject]
        proposal.to_supply.append(f"本条按{label}政策起草；原文另提到“{'、'.join(f.words for f in dropped)}”，"
                                  "属其他主体的条件，请另行处理")


def _label(item: list[Finding]) -> str:
    return "，".join(f.reading for f in item)


def _amount_shape(proposal: Proposal, found: list[Finding], values: list[Finding]) -> None:
    money = [v for v in values if v.kind == "amount"]
    proposal.unit = "元" if money or not values else "㎡"
    periods = Counter(v.period for v in money)
    proposal.period = periods.most_common(1)[0][0] if periods else ""
    proposal.cap = any(v.cap for v in money)
    durations = [f for f in found if f.kind == "duration"]
    if durations:
        proposal.months = durations[0]


def _supply(proposal: Proposal, found: list[Finding]) -> None:
    supply = proposal.to_supply
    supply[:0] = ["政策编号与名称：已填占位，请改为正式编号和名称", "适用地区：请确认",
                  "施行日期：文件未写明的，请按实施细则填写"]
    if proposal.document is None:
        supply.append("出处文件：原句不在已收录的五份依据文件中，草案写了占位文件名；须先收录依据文件，规则才能保存")
    money = [r.value for r in proposal.rows if r.value is not None and r.value.kind == "amount"]
    if money and not proposal.period:
        supply.append("发放方式：文件未写明每月还是一次性，草案暂按一次性，请确认")
    if len({v.period for v in money}) > 1:
        supply.append("同一句中的金额发放方式不同（每月/一次性/每年），请拆成多项政策")
    if proposal.period == "yearly":
        supply.append("文件按年发放：目录只有每月与一次性两种写法，请确认按一次性（每年）还是折算")
    if proposal.period == "monthly" and proposal.months is None:
        supply.append("发放期限：文件未规定，草案写为未定")
    if proposal.months is not None:
        supply.append(f"发放期限“{proposal.months.words}”的起算日：文件未写明，请确认")
    for row in proposal.rows:
        if not row.findings and row.value is not None and len(proposal.rows) > 1:
            supply.append(f"“{row.value.words}”适用于哪类对象：文件未写明（如择优分档），"
                          "草案暂写为不适用，请写明适用条件")
    if proposal.unit == "㎡":
        supply.append("文件给出的是面积上限而非金额：补贴的计算公式请按原文写出")
    if any(f.kind == "percent" for f in found):
        supply.append("比例（" + "、".join(f.words for f in found if f.kind == "percent") + "）：请写入金额公式")
    if any(f.kind == "exclusive" for f in found):
        supply.append("不可兼得：请在不可兼得组中写明同组的政策")
        proposal.notes.append("原文：" + "、".join(f.words for f in found if f.kind == "exclusive"))
    for row in proposal.rows:
        if row.manual is not None:
            supply.append(f"“{row.label}”为{row.manual.words}：金额由经办部门个别确定")
    if any(f.kind == "threshold" for f in found):
        proposal.notes.append(RULE_1259)


def _rid(row: DraftRow, taken: set[str]) -> str:
    base = "-".join(str(f.value).lower().replace("_", "-") for f in row.findings if f.kind == "group")
    base = re.sub(r"[^a-z0-9-]", "", base)[:40].strip("-") or "item"
    rid, n = base, 2
    while rid in taken:
        rid, n = f"{base}-{n}", n + 1
    taken.add(rid)
    return rid


def _value_words(value: Finding, period: str) -> str:
    if value.kind == "area":
        return f"{plain(value.value)}㎡"
    return ("每月" if period == "monthly" else "") + yuan_words(value.value)


def draft_yaml(proposal: Proposal, *, jurisdiction: str | None, document: str | None) -> str:
    """The YAML of a complete draft policy; placeholders are named in notes and to_supply."""
    region = jurisdiction if jurisdiction in REGION_LABELS else "210100"
    # Named by the sentence: the same sentence gives the same draft file, two sentences never share one.
    digest = hashlib.sha1(proposal.sentence.text.encode(), usedforsecurity=False).hexdigest()[:8]
    pid = f"{PREFIXES[region]}-draft-{digest}"
    proposal.policy_id = pid
    quote = proposal.sentence.text.rstrip("。；;")
    has_values = any(r.value is not None for r in proposal.rows)
    single = len(proposal.rows) == 1 and proposal.rows[0].value is not None
    kind = "entitlement" if proposal.rows else "service"
    data: dict = {
        "id": pid,
        "title": f"待定名称：{quote[:20]}",
        "kind": kind,
        **({"subject": proposal.subject} if proposal.subject != "person" else {}),
        "jurisdiction": region,
        "source": {"document": document or PLACEHOLDER_DOCUMENT, "quote": quote},
        "in_force": {"from": PLACEHOLDER_DAY, "note": "待补充：施行日期为占位，请按文件或实施细则填写"},
    }
    let_name = "area_cap" if proposal.unit == "㎡" else "subsidy"
    conditions = [{"id": f"c{i}", "test": c.test, "fail": f"不符合：{c.label}"}
                  for i, c in enumerate(proposal.conditions, 1)]
    constant = None
    if single:
        row = proposal.rows[0]
        if row.findings:
            conditions.insert(0, {"id": "who", "test": row.when, "fail": f"须为{row.label}"})
        constant = plain(row.value.value)
    elif proposal.rows:
        taken: set[str] = set()
        table = []
        for row in proposal.rows:
            entry: dict = {"id": _rid(row, taken), "when": row.when}
            if row.value is not None:
                # A whole number as an integer, else its exact decimal text (the loader reads it as a Fraction).
                whole = row.value.value == row.value.value.to_integral_value()
                entry["value"] = int(row.value.value) if whole else plain(row.value.value)
                entry["reason"] = f"{row.label or '（适用对象待补充）'} → {_value_words(row.value, proposal.period)}"
            else:
                entry["manual"] = f"{row.label}：{row.manual.words if row.manual else '文件未给出数额'}"
                entry["reason"] = f"{row.label} → {row.manual.words if row.manual else '待补充'}"
            table.append(entry)
        data["let"] = {let_name: {"table": table, "none": "不属于文件所列对象"}}
    if conditions:
        data["conditions"] = conditions
    if (has_values or proposal.rows) and proposal.unit == "元":
        amount: dict = {}
        key = "monthly" if proposal.period == "monthly" else "one_time"
        amount[key] = constant if constant is not None else let_name
        if key == "monthly":
            if proposal.months is not None:
                amount["months"] = int(proposal.months.value)
            else:
                amount["months"] = None
                amount["months_note"] = "文件未规定发放期限"
        if proposal.cap:
            amount["cap"] = True
        data["amount"] = amount
    notes = ["起草辅助生成的草稿：每一项请对照原文确认"] + [f"待补充：{s}" for s in proposal.to_supply] + proposal.notes
    data["notes"] = notes
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def check_yaml(proposal: Proposal) -> list[str]:
    """The catalog loader's problems with the draft (none expected): it loads with load_catalog_texts."""
    from rencai.policies.engine.catalog import CatalogError, load_catalog_texts

    try:
        load_catalog_texts({f"{proposal.policy_id}.yaml": proposal.yaml})
    except CatalogError as error:
        return [p.message for p in error.problems]
    return []


def guess_jurisdiction(text: str) -> str | None:
    """The region a text names most (沈阳 → 210100, 南通 → 320600, 郑州 → 410100, 辽宁/我省 → 210000)."""
    counts = Counter(f.value for f in find_all(text) if f.kind == "place" and f.value)
    return counts.most_common(1)[0][0] if counts else None


def propose_document(text: str, *, jurisdiction: str | None = None, documents: dict[str, str] | None = None
                     ) -> tuple[list[Sentence], list[Proposal]]:
    """Every sentence of a text, and the proposals of those that state an amount, a group or a threshold.
    ``documents`` (file → text): the documents a quote may cite; a sentence found in one of them cites it."""
    region = jurisdiction or guess_jurisdiction(text)
    items = sentences(text)
    proposals = []
    for sentence in items:
        document = next((name for name, body in (documents or {}).items()
                         if locate(body, sentence.text.rstrip("。；;"))), None)
        proposal = propose(text, sentence, jurisdiction=region, document=document)
        if proposal is not None:
            proposal.problems = check_yaml(proposal)
            proposals.append(proposal)
    return items, proposals
