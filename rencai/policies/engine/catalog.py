"""Loading the policy catalog: one YAML file per policy (``<id>.yaml``) and one per exclusive group
(``<id>.group.yaml``), parsed, checked and compiled once.

Every mistake is reported with the file, the line and the reason; if any file has a mistake, nothing is
loaded (``CatalogError`` lists all of them), so a half-valid catalog can never answer questions.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

import yaml

from rencai.policies.engine import expr as ex
from rencai.policies.fields import ALL_FIELDS, REGION_LABELS, SUBJECT_FIELDS, SUBJECTS, Type

CATALOG_DIR = Path(__file__).resolve().parent.parent / "catalog"
KINDS = ("entitlement", "program", "service")
BENEFIT_FORMS = ("cash", "loan", "voucher_or_cash", "in_kind")
ID_PATTERN = re.compile(r"^(sy|nt|ln|zz)-[a-z0-9]+(-[a-z0-9]+)*$")
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")
# Values an explanation template may name besides fields and lets.
AMOUNT_PLACEHOLDERS = {"monthly_amount", "one_time_amount", "months", "total", "formula"}


# -- errors ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class CatalogError(Exception):
    """The catalog could not be loaded; `problems` says where and why (file, line, reason)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("政策目录有误 / the policy catalog is invalid:\n" + "\n".join(map(str, problems)))


class _Stop(Exception):
    """One file's first mistake; collected into the CatalogError."""

    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message


# -- YAML with line numbers -----------------------------------------------------------------------------


class YMap(dict):
    """A YAML mapping that remembers the line of itself, of each key and of each value."""

    line: int = 0
    key_lines: dict
    value_marks: dict


class YList(list):
    line: int = 0
    item_marks: list


def _read_yaml(text: str) -> object:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise _Stop(line, f"YAML 语法错误 / YAML syntax error: {error.problem or error}") from None
    if node is None:
        raise _Stop(1, "文件为空 / empty file")
    return _convert(node, yaml.SafeLoader(""))


def _convert(node: yaml.Node, loader: yaml.SafeLoader) -> object:
    if isinstance(node, yaml.MappingNode):
        result = YMap()
        result.line = node.start_mark.line + 1
        result.key_lines, result.value_marks = {}, {}
        for key_node, value_node in node.value:
            key = _convert(key_node, loader)
            if not isinstance(key, str):
                raise _Stop(key_node.start_mark.line + 1, f"键须为文本 / keys must be text: {key!r}")
            if key in result:
                raise _Stop(key_node.start_mark.line + 1, f"重复的键 {key!r} / duplicate key {key!r}")
            result[key] = _convert(value_node, loader)
            result.key_lines[key] = key_node.start_mark.line + 1
            result.value_marks[key] = value_node
        return result
    if isinstance(node, yaml.SequenceNode):
        items = YList(_convert(item, loader) for item in node.value)
        items.line = node.start_mark.line + 1
        items.item_marks = list(node.value)
        return items
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as error:
        raise _Stop(node.start_mark.line + 1, f"无法读取的值 / unreadable value: {error}") from None


def _line(container: YMap, key: str) -> int:
    return container.key_lines.get(key, container.line)


# -- the compiled model ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    document: str
    quote: str


@dataclass(frozen=True)
class Decision:
    """How the office decided an open point (issue 13): as a condition, as a number, or left to the reviewer;
    who decided, when, on which basis (a local implementing rule, named and dated) and from which day."""

    kind: str  # one of DECISION_KINDS
    basis: str
    basis_date: dt.date
    effective_from: dt.date
    decided_by: str
    decided_on: dt.date
    note: str = ""


@dataclass(frozen=True)
class OpenPoint:
    """A point the document leaves open, with the sentence it comes from; ``decision`` None while open."""

    id: str
    question: str
    sentence: str
    decision: Decision | None = None


@dataclass
class Condition:
    id: str
    code: str
    test: ex.Node
    fail: str
    passed: str | None = None
    hint: str | None = None
    hint_when: ex.Node | None = None
    implicit: bool = False
    decision: str | None = None  # the open point this condition encodes (decided as a condition)


@dataclass
class Row:
    id: str
    code: str
    when: ex.Node
    reason: str
    value: Fraction | None = None  # a parameter: what-if overrides address it as "<policy>.<row>"
    manual: str | None = None
    decision: str | None = None  # the open point whose decided number this row's value is


@dataclass
class Let:
    name: str
    expr: ex.Node | None = None
    rows: list[Row] = field(default_factory=list)
    none: str = ""  # why no row applies (the failed condition's text)
    none_code: str = ""

    @property
    def is_table(self) -> bool:
        return bool(self.rows)


@dataclass
class Amount:
    monthly: ex.Node | None = None
    one_time: ex.Node | None = None
    months: int | None = None
    months_note: str | None = None
    cap: bool = False  # the amount is an upper limit, not a sum certain
    explain: str | None = None


@dataclass
class Group:
    id: str
    title: str
    members: tuple[str, ...]
    source: Source
    applies_when: ex.Node | None
    applies_label: str
    otherwise_note: str | None
    file: str


@dataclass
class Policy:
    id: str
    title: str
    kind: str
    subject: str
    jurisdiction: str
    source: Source
    also_sources: tuple[Source, ...]
    in_force_from: dt.date
    in_force_until: dt.date | None
    in_force_note: str
    conditions: list[Condition]
    lets: list[Let]
    amount: Amount | None
    screening: str | None
    notes: tuple[str, ...]
    once_per_person: bool
    no_application: bool
    benefit_form: str
    file: str
    group: Group | None = None
    open_points: tuple[OpenPoint, ...] = ()

    def decisions_in(self, codes) -> list[OpenPoint]:
        """The decided points that explanation ``codes`` (conditions, table rows) rest on, in catalog order."""
        named = set()
        for condition in self.conditions:
            if condition.decision and condition.code in codes:
                named.add(condition.decision)
        for let in self.lets:
            for row in let.rows:
                if row.decision and row.code in codes:
                    named.add(row.decision)
        return [p for p in self.open_points if p.id in named]

    def rests_on(self, status: object, code: str, as_of: dt.date) -> list[OpenPoint]:
        """The decided points a result (the engine's status and deciding code) rests on, on ``as_of``: a
        decided condition when it decided the result or the result passed every condition; a decided number
        when its row was the one chosen; a point left to the reviewer for every result that is not a "no"."""
        found = []
        for point in self.open_points:
            decision = point.decision
            if decision is None or as_of < decision.effective_from:
                continue
            if decision.kind == "reviewer":
                hit = status is not False
            elif decision.kind == "condition":
                codes = {c.code for c in self.conditions if c.decision == point.id}
                hit = code in codes or status is True or status == "manual"
            else:
                hit = code in {row.code for let in self.lets for row in let.rows if row.decision == point.id}
            if hit:
                found.append(point)
        return found

    @property
    def codes(self) -> list[str]:
        """Every explanation code this policy can decide with, in a fixed order."""
        found = [c.code for c in self.conditions]
        for let in self.lets:
            found += [row.code for row in let.rows]
            if let.is_table:
                found.append(let.none_code)
        found += [f"{self.id}/amount", f"{self.id}/screening", f"{self.id}/ok"]
        return found


@dataclass
class Catalog:
    policies: dict[str, Policy]
    groups: dict[str, Group]
    # Per-policy values that do not depend on the person, filled in by their first user.
    memo: dict[str, dict] = field(default_factory=dict, compare=False, repr=False)

    def person_policies(self) -> list[Policy]:
        return self.subject_policies("person")

    def subject_policies(self, subject: str) -> list[Policy]:
        """The policies evaluated for a person, a team or an organization, in catalog order."""
        return [p for p in self.policies.values() if p.subject == subject]

    @property
    def codes(self) -> list[str]:
        return [code for policy in self.policies.values() for code in policy.codes]


# -- field readers --------------------------------------------------------------------------------------

POLICY_KEYS = {
    "id", "title", "kind", "subject", "jurisdiction", "source", "also_sources", "in_force", "conditions",
    "let", "amount", "screening", "notes", "once_per_person", "no_application", "benefit_form", "open_points",
}
DECISION_KINDS = ("condition", "number", "reviewer")
DECISION_KIND_LABELS = {"condition": "增设条件", "number": "确定数额", "reviewer": "交由审核人员判断"}
OPEN_POINT_KEYS = {"id", "question", "sentence", "decided"}
DECISION_KEYS = {"as", "basis", "basis_date", "from", "decided_by", "decided_on", "note"}
GROUP_KEYS = {"id", "title", "members", "source", "applies_when", "applies_label", "otherwise_note"}


def _require(data: YMap, key: str, kind: type | tuple[type, ...], what: str = "") -> object:
    if key not in data:
        raise _Stop(data.line, f"缺少 {key!r}{what} / missing key {key!r}")
    return _typed(data, key, kind)


def _typed(data: YMap, key: str, kind: type | tuple[type, ...]) -> object:
    value = data[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    # bool is an int in Python; a count written as `true` is still a mistake.
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        names = "/".join(k.__name__ for k in kinds)
        raise _Stop(_line(data, key), f"{key!r} 的类型应为 {names} / {key!r} must be {names}")
    return value


def _no_unknown_keys(data: YMap, allowed: set[str], where: str) -> None:
    for key in data:
        if key not in allowed:
            raise _Stop(_line(data, key), f"{where}中有未知的键 {key!r}，可用：{', '.join(sorted(allowed))} / "
                                          f"unknown key {key!r}")


def _text(data: YMap, key: str, required: bool = True) -> str | None:
    if key not in data:
        if required:
            raise _Stop(data.line, f"缺少 {key!r} / missing key {key!r}")
        return None
    value = _typed(data, key, str)
    assert isinstance(value, str)
    if not value.strip():
        raise _Stop(_line(data, key), f"{key!r} 不能为空 / {key!r} is empty")
    return value


def _expression(data: YMap, key: str, scope: ex.Scope, want: Type | None) -> ex.Node:
    text = _typed(data, key, (str, int))  # a bare number is an expression too
    mark = data.value_marks[key]
    line = mark.start_mark.line + 1
    try:
        node = ex.parse(str(text))
        got = ex.check(node, scope)
    except ex.ExprError as error:
        quoted = 1 if getattr(mark, "style", None) in ("'", '"') else 0
        column = mark.start_mark.column + quoted + error.column + 1
        raise _Stop(line, f"{key}: {error.message}（第{column}列 / column {column}）") from None
    if want is not None and got != want:
        raise _Stop(line, f"{key}: 结果应为 {want.value}，实为 {got.value} / must be {want.value}")
    return node


def _template(data: YMap, key: str, names: set[str], required: bool = True) -> str | None:
    text = _text(data, key, required)
    if text is not None:
        for name in PLACEHOLDER.findall(text):
            if name not in names:
                raise _Stop(_line(data, key), f"{key}: 模板中的 {{{name}}} 不是已知字段或值 / unknown "
                                              f"placeholder {{{name}}}")
    return text


def _source(data: object, line: int) -> Source:
    if not isinstance(data, YMap):
        raise _Stop(line, "source 应为含 document 与 quote 的映射 / source needs document and quote")
    _no_unknown_keys(data, {"document", "quote"}, "source ")
    document, quote = _text(data, "document"), _text(data, "quote")
    assert document is not None and quote is not None
    if not re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt", document):
        raise _Stop(_line(data, "document"), f"文件名格式不对 / not a seed document name: {document!r}")
    return Source(document, quote)


def _mapping(data: YMap, key: str) -> YMap:
    value = data[key]
    if not isinstance(value, YMap):
        raise _Stop(_line(data, key), f"{key!r} 应为映射 / {key!r} must be a mapping")
    return value


def _sequence(data: YMap, key: str) -> YList:
    value = data[key]
    if not isinstance(value, YList):
        raise _Stop(_line(data, key), f"{key!r} 应为列表 / {key!r} must be a list")
    return value


# -- policies -------------------------------------------------------------------------------------------


def _policy(data: object, file: str) -> Policy:
    if not isinstance(data, YMap):
        raise _Stop(1, "文件顶层应为映射 / the file must hold a mapping")
    _no_unknown_keys(data, POLICY_KEYS, "政策")
    pid = _text(data, "id")
    assert pid is not None
    if not ID_PATTERN.match(pid):
        raise _Stop(_line(data, "id"), f"id {pid!r} 须为 sy-/nt-/ln-/zz- 开头的小写短横线名 / bad id")
    if Path(file).name != f"{pid}.yaml":
        raise _Stop(_line(data, "id"), f"文件名须为 {pid}.yaml / the file must be named {pid}.yaml")
    kind = _text(data, "kind")
    if kind not in KINDS:
        raise _Stop(_line(data, "kind"), f"kind 须为 {'/'.join(KINDS)} / bad kind {kind!r}")
    subject = _text(data, "subject", required=False) or "person"
    if subject not in SUBJECTS:
        raise _Stop(_line(data, "subject"), f"subject 须为 {'/'.join(SUBJECTS)} / bad subject {subject!r}")
    jurisdiction = str(_require(data, "jurisdiction", (str, int)))
    if jurisdiction not in REGION_LABELS:
        raise _Stop(_line(data, "jurisdiction"), f"未知行政区划代码 {jurisdiction!r} / unknown region code")
    source = _source(data.get("source"), _line(data, "source"))
    also: list[Source] = []
    if "also_sources" in data:
        items = _sequence(data, "also_sources")
        also = [_source(item, items.line) for item in items]

    in_force = _mapping(data, "in_force") if "in_force" in data else None
    if in_force is None:
        raise _Stop(data.line, "缺少 'in_force' / missing key 'in_force'")
    _no_unknown_keys(in_force, {"from", "until", "note"}, "in_force ")
    start = _require(in_force, "from", dt.date)
    until = in_force.get("until")
    if until is not None:
        until = _typed(in_force, "until", dt.date)
        if until < start:  # type: ignore[operator]
            raise _Stop(_line(in_force, "until"), "until 早于 from / 'until' is before 'from'")
    note = _text(in_force, "note")

    points = _open_points(data)
    lets, scope = _lets(data, pid, subject, points)
    names = set(scope.fields) | {let.name for let in lets} | AMOUNT_PLACEHOLDERS
    conditions = _conditions(data, pid, scope, names, points)
    _decisions_encoded(data, points, conditions, lets)
    amount = _amount(data, scope, names) if "amount" in data else None
    if kind == "service" and amount is not None:
        raise _Stop(_line(data, "amount"), "service 类政策不应有金额 / a service has no amount")
    if kind == "program" and amount is not None and not amount.cap:
        raise _Stop(_line(data, "amount"), "program 的金额是上限，须写 cap: true / a program's amount is a cap")
    screening = None
    if "screening" in data:
        screening = _template(data, "screening", names)
    notes: tuple[str, ...] = ()
    if "notes" in data:
        items = _sequence(data, "notes")
        if not all(isinstance(item, str) and item.strip() for item in items):
            raise _Stop(items.line, "notes 须为文本列表 / notes must be a list of text")
        notes = tuple(items)
    benefit_form = _text(data, "benefit_form", required=False) or ("in_kind" if kind == "service" else "cash")
    if benefit_form not in BENEFIT_FORMS:
        raise _Stop(_line(data, "benefit_form"), f"benefit_form 须为 {'/'.join(BENEFIT_FORMS)}")
    once = _typed(data, "once_per_person", bool) if "once_per_person" in data else True
    no_application = _typed(data, "no_application", bool) if "no_application" in data else False

    policy = Policy(
        id=pid, title=str(_text(data, "title")), kind=kind, subject=subject, jurisdiction=jurisdiction,
        source=source, also_sources=tuple(also), in_force_from=start, in_force_until=until,  # type: ignore[arg-type]
        in_force_note=str(note), conditions=conditions, lets=lets, amount=amount, screening=screening,
        notes=notes, once_per_person=bool(once), no_application=bool(no_application),
        benefit_form=benefit_form, file=file, open_points=tuple(points.values()),
    )
    policy.conditions = _implicit_conditions(policy) + policy.conditions
    return policy


def _open_points(data: YMap) -> dict[str, OpenPoint]:
    """What the document leaves open (issue 13), each with its sentence, and how the office decided it."""
    if "open_points" not in data:
        return {}
    items = _sequence(data, "open_points")
    found: dict[str, OpenPoint] = {}
    for item in items:
        if not isinstance(item, YMap):
            raise _Stop(items.line, "每个开放事项须为映射 / each open point must be a mapping")
        _no_unknown_keys(item, OPEN_POINT_KEYS, "开放事项")
        point_id = _text(item, "id")
        assert point_id is not None
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", point_id) or point_id in found:
            raise _Stop(_line(item, "id"), f"开放事项 id {point_id!r} 无效或重复 / bad or duplicate open point id")
        decision = None
        if "decided" in item:
            decision = _decision(_mapping(item, "decided"))
        found[point_id] = OpenPoint(point_id, str(_text(item, "question")), str(_text(item, "sentence")), decision)
    return found


def _decision(data: YMap) -> Decision:
    _no_unknown_keys(data, DECISION_KEYS, "decided ")
    kind = _text(data, "as")
    if kind not in DECISION_KINDS:
        raise _Stop(_line(data, "as"), f"as 须为 {'/'.join(DECISION_KINDS)}（增设条件/确定数额/交由审核人员判断）"
                                      f" / bad decision kind {kind!r}")
    if "basis" not in data or not str(data.get("basis") or "").strip():
        raise _Stop(_line(data, "basis") if "basis" in data else data.line,
                    "已决定的开放事项须写明依据（实施细则的名称）/ a decision needs its basis")
    basis = _text(data, "basis")
    dates = {}
    for key, label in (("basis_date", "依据的日期"), ("from", "施行日期"), ("decided_on", "决定日期")):
        if key not in data:
            raise _Stop(data.line, f"缺少 {key!r}（{label}）/ missing key {key!r}")
        dates[key] = _typed(data, key, dt.date)
    by = _text(data, "decided_by")
    return Decision(kind=str(kind), basis=str(basis), basis_date=dates["basis_date"],  # type: ignore[arg-type]
                    effective_from=dates["from"], decided_by=str(by), decided_on=dates["decided_on"],  # type: ignore[arg-type]
                    note=_text(data, "note", required=False) or "")


def _decision_ref(item: YMap, points: dict[str, OpenPoint], kind: str) -> OpenPoint | None:
    """The decided open point a condition (``kind`` "condition") or a table row ("number") encodes."""
    if "decision" not in item:
        return None
    name = _text(item, "decision")
    point = points.get(str(name))
    if point is None:
        raise _Stop(_line(item, "decision"), f"decision: 未知的开放事项 {name!r} / unknown open point {name!r}")
    if point.decision is None or point.decision.kind != kind:
        raise _Stop(_line(item, "decision"), f"decision: 开放事项 {name!r} 未决定为“{DECISION_KIND_LABELS[kind]}”"
                                             f" / open point {name!r} is not decided as {kind}")
    return point


def _from_on(point: OpenPoint | None, test: ex.Node, *, condition: bool) -> ex.Node:
    """A decided condition holds only from the day the decision applies (before it: as if not there); a
    decided number's row applies only from that day."""
    if point is None or point.decision is None:
        return test
    start = point.decision.effective_from
    day = ex.Const(0, value=start, text=str(start))
    if condition:
        before = ex.Compare(0, op="<", left=ex.Name(0, name="as_of"), right=day)
        return ex.BoolOp(0, op="or", operands=(before, test))
    since = ex.Compare(0, op=">=", left=ex.Name(0, name="as_of"), right=day)
    return ex.BoolOp(0, op="and", operands=(since, test))


def _decisions_encoded(data: YMap, points: dict[str, OpenPoint], conditions: list[Condition],
                       lets: list[Let]) -> None:
    """A point decided as a condition or a number must be written into the rule: nothing is decided only on
    paper, and nothing in the rule claims a decision that was not made."""
    used = {c.decision for c in conditions} | {row.decision for let in lets for row in let.rows}
    for point in points.values():
        if point.decision and point.decision.kind != "reviewer" and point.id not in used:
            kind = point.decision.kind
            what = "条件（conditions 中" if kind == "condition" else "金额行（table 行中"
            raise _Stop(_line(data, "open_points"),
                        f"开放事项 {point.id!r} 已决定为“{DECISION_KIND_LABELS[kind]}”，但规则中没有引用它的"
                        f"{what}写 decision: {point.id}）/ the decision is not encoded in the rule")


def _lets(data: YMap, pid: str, subject: str, points: dict[str, OpenPoint] | None = None
          ) -> tuple[list[Let], ex.Scope]:
    """The policy's named values, checked against its subject's fields (a team policy reads team fields)."""
    lets: list[Let] = []
    scope = ex.Scope({}, fields=SUBJECT_FIELDS[subject], subject=subject)
    if "let" not in data:
        return lets, scope
    section = _mapping(data, "let")
    for name, body in section.items():
        line = _line(section, name)
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or name in ALL_FIELDS or name in AMOUNT_PLACEHOLDERS:
            raise _Stop(line, f"let 名称 {name!r} 不可用（须为小写名且不与字段重名）/ bad let name")
        if isinstance(body, str):
            node = _expression(section, name, scope, None)
            assert node.type is not None
            lets.append(Let(name, expr=node))
            scope = replace(scope, lets={**scope.lets, name: node.type})
            continue
        if not isinstance(body, YMap):
            raise _Stop(line, f"let {name!r} 须为表达式或含 table 的映射 / must be an expression or a table")
        _no_unknown_keys(body, {"table", "none"}, f"let {name} ")
        rows_data = _sequence(body, "table") if "table" in body else None
        if not rows_data:
            raise _Stop(body.line, f"let {name!r} 的 table 不能为空 / empty table")
        rows: list[Row] = []
        for item in rows_data:
            if not isinstance(item, YMap):
                raise _Stop(rows_data.line, "table 的每一行须为映射 / each row must be a mapping")
            _no_unknown_keys(item, {"id", "when", "value", "manual", "reason", "decision"}, "table 行")
            row_id = _text(item, "id")
            assert row_id is not None
            if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", row_id) or row_id in {r.id for r in rows}:
                raise _Stop(_line(item, "id"), f"行 id {row_id!r} 无效或重复 / bad or duplicate row id")
            decided = _decision_ref(item, points or {}, "number")
            when = _from_on(decided, _expression(item, "when", scope, Type.BOOL), condition=False)
            names = set(scope.fields) | set(scope.lets) | AMOUNT_PLACEHOLDERS
            reason = _template(item, "reason", names)
            value = manual = None
            if ("value" in item) == ("manual" in item):
                raise _Stop(item.line, "每行须有 value 或 manual 之一 / a row needs either value or manual")
            if "value" in item:
                raw = _typed(item, "value", (int, float, str))
                try:
                    value = Fraction(str(raw))
                except ValueError:
                    raise _Stop(_line(item, "value"), f"value 须为数字 / value must be a number: {raw!r}") from None
                if value < 0:
                    raise _Stop(_line(item, "value"), "value 不能为负 / value must not be negative")
            else:
                manual = _text(item, "manual")
            rows.append(Row(row_id, f"{pid}/{name}:{row_id}", when, str(reason), value, manual,
                            decided.id if decided else None))
        none = _template(body, "none", set(scope.fields) | set(scope.lets))
        lets.append(Let(name, rows=rows, none=str(none), none_code=f"{pid}/{name}:none"))
        scope = replace(scope, lets={**scope.lets, name: Type.NUM})
    return lets, scope


def _conditions(data: YMap, pid: str, scope: ex.Scope, names: set[str],
                points: dict[str, OpenPoint] | None = None) -> list[Condition]:
    if "conditions" not in data:
        return []
    items = _sequence(data, "conditions")
    found: list[Condition] = []
    for item in items:
        if not isinstance(item, YMap):
            raise _Stop(items.line, "每个条件须为映射 / each condition must be a mapping")
        _no_unknown_keys(item, {"id", "test", "pass", "fail", "hint", "hint_when", "decision"}, "条件")
        cid = _text(item, "id")
        assert cid is not None
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", cid) or cid in {c.id for c in found}:
            raise _Stop(_line(item, "id"), f"条件 id {cid!r} 无效或重复 / bad or duplicate condition id")
        decided = _decision_ref(item, points or {}, "condition")
        test = _from_on(decided, _expression(item, "test", scope, Type.BOOL), condition=True)
        hint_when = _expression(item, "hint_when", scope, Type.BOOL) if "hint_when" in item else None
        found.append(Condition(
            id=cid, code=f"{pid}/{cid}", test=test, fail=str(_template(item, "fail", names)),
            passed=_template(item, "pass", names, required=False),
            hint=_template(item, "hint", names, required=False), hint_when=hint_when,
            decision=decided.id if decided else None,
        ))
    return found


def _amount(data: YMap, scope: ex.Scope, names: set[str]) -> Amount:
    section = _mapping(data, "amount")
    _no_unknown_keys(section, {"monthly", "one_time", "months", "months_note", "cap", "explain"}, "amount ")
    amount = Amount()
    if "monthly" in section:
        amount.monthly = _expression(section, "monthly", scope, Type.NUM)
    if "one_time" in section:
        amount.one_time = _expression(section, "one_time", scope, Type.NUM)
    if (amount.monthly is None) == (amount.one_time is None):
        raise _Stop(section.line, "amount 须有 monthly 或 one_time 之一 / needs either monthly or one_time")
    if amount.monthly is not None:
        if "months" not in section:
            raise _Stop(section.line, "按月发放须写 months（文件未规定时写 null 并加 months_note）/ "
                                      "monthly amounts need months (null when open)")
        months = section["months"]
        if months is not None:
            months = _typed(section, "months", int)
            if months <= 0:  # type: ignore[operator]
                raise _Stop(_line(section, "months"), "months 须为正整数 / months must be positive")
        else:
            note = _text(section, "months_note", required=False)
            if note is None:
                raise _Stop(_line(section, "months"), "期限未定时须写 months_note 说明 / an open duration "
                                                      "needs months_note")
        amount.months = months  # type: ignore[assignment]
        amount.months_note = _text(section, "months_note", required=False)
    elif "months" in section:
        raise _Stop(_line(section, "months"), "一次性金额不应有 months / a one-time amount has no months")
    amount.cap = bool(_typed(section, "cap", bool)) if "cap" in section else False
    amount.explain = _template(section, "explain", names, required=False)
    return amount


def _implicit_conditions(policy: Policy) -> list[Condition]:
    """Where, when, and not twice: the conditions every policy has, checked first and in this order."""
    pid = policy.id
    place = REGION_LABELS[policy.jurisdiction]
    region_field = "province" if policy.jurisdiction.endswith("0000") else "city"
    where = ex.Compare(0, op="==", left=ex.Name(0, name=region_field),
                       right=ex.Const(0, value=policy.jurisdiction, text=repr(policy.jurisdiction)))
    started = ex.Compare(0, op=">=", left=ex.Name(0, name="as_of"),
                         right=ex.Const(0, value=policy.in_force_from, text=str(policy.in_force_from)))
    conditions = [
        Condition("jurisdiction", f"{pid}/jurisdiction", where, implicit=True,
                  fail=f"本政策适用于{place}，所在城市为{{city}}", passed=f"适用地区：{place}（所在城市{{city}}）"),
        Condition("in-force-from", f"{pid}/in-force-from", started, implicit=True,
                  fail=f"评估日{{as_of}}早于政策起始日{policy.in_force_from}（{policy.in_force_note}）"),
    ]
    if policy.in_force_until is not None:
        ended = ex.Compare(0, op="<=", left=ex.Name(0, name="as_of"),
                           right=ex.Const(0, value=policy.in_force_until, text=str(policy.in_force_until)))
        conditions.append(Condition(
            "in-force-until", f"{pid}/in-force-until", ended, implicit=True,
            fail=f"政策已于{policy.in_force_until}到期（{policy.in_force_note}）；评估日为{{as_of}}"))
    if policy.once_per_person:
        taken = ex.Compare(0, op="in", left=ex.Const(0, value=pid, text=repr(pid)),
                           right=ex.Name(0, name="received"))
        conditions.append(Condition("received", f"{pid}/received", ex.Not(0, operand=taken), implicit=True,
                                    fail="已享受过本项政策，不重复计算"))
    for condition in conditions:
        ex.check(condition.test, ex.Scope({}))
    return conditions


def _exclusive_condition(policy: Policy, group: Group) -> Condition:
    """Not while holding another member of the group (where the group applies to this person)."""
    others = [m for m in group.members if m != policy.id]
    held: ex.Node = ex.BoolOp(0, op="or", operands=tuple(
        ex.Compare(0, op="in", left=ex.Const(0, value=m, text=repr(m)), right=ex.Name(0, name="received"))
        for m in others
    ))
    if group.applies_when is not None:
        held = ex.BoolOp(0, op="and", operands=(group.applies_when, held))
    test = ex.Not(0, operand=held)
    ex.check(test, ex.Scope({}))
    return Condition("exclusive", f"{policy.id}/exclusive", test, implicit=True,
                     fail=f"已享受同组政策，{group.title}")


# -- groups ---------------------------------------------------------------------------------------------


def _group(data: object, file: str) -> Group:
    if not isinstance(data, YMap):
        raise _Stop(1, "文件顶层应为映射 / the file must hold a mapping")
    _no_unknown_keys(data, GROUP_KEYS, "不可兼得组")
    gid = _text(data, "id")
    assert gid is not None
    if Path(file).name != f"{gid}.group.yaml":
        raise _Stop(_line(data, "id"), f"文件名须为 {gid}.group.yaml / the file must be named {gid}.group.yaml")
    members = _sequence(data, "members") if "members" in data else None
    if not members or len(members) < 2 or not all(isinstance(m, str) for m in members):
        raise _Stop(data.line, "members 须列出至少两项政策 id / members must list at least two policy ids")
    applies = _expression(data, "applies_when", ex.Scope({}), Type.BOOL) if "applies_when" in data else None
    return Group(
        id=gid, title=str(_text(data, "title")), members=tuple(members),
        source=_source(data.get("source"), _line(data, "source")), applies_when=applies,
        applies_label=_text(data, "applies_label", required=applies is not None) or "",
        otherwise_note=_text(data, "otherwise_note", required=applies is not None), file=file,
    )


# -- the whole catalog ----------------------------------------------------------------------------------


def catalog_texts(directory: Path | str = CATALOG_DIR) -> dict[str, str]:
    """Every file of a catalog directory: name → text (an unreadable file maps to its OSError, reported by
    the load)."""
    texts: dict = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            texts[path.name] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            texts[path.name] = error
    return texts


def load_catalog(directory: Path | str = CATALOG_DIR) -> Catalog:
    """Read, check and compile every file of a catalog directory; all or nothing."""
    texts = catalog_texts(directory)
    if not texts:
        raise CatalogError([Problem(str(directory), 0, "目录中没有政策文件 / no policy files")])
    return load_catalog_texts(texts)


def load_catalog_texts(texts: dict[str, str]) -> Catalog:
    """Check and compile a catalog given as file name → text (the shipped files overlaid by the revisions
    in force, policies.published; or a draft's); all or nothing."""
    problems: list[Problem] = []
    policies: dict[str, Policy] = {}
    groups: dict[str, Group] = {}
    member_lines: dict[str, list[int]] = {}
    for name in sorted(texts):
        try:
            text = texts[name]
            if isinstance(text, Exception):
                raise text
            data = _read_yaml(text)
            if name.endswith(".group.yaml"):
                group = _group(data, name)
                groups[group.id] = group
                members = data["members"]  # type: ignore[index]
                member_lines[group.id] = [node.start_mark.line + 1 for node in members.item_marks]
            else:
                policy = _policy(data, name)
                policies[policy.id] = policy
        except _Stop as stop:
            problems.append(Problem(name, stop.line, stop.message))
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(name, 0, f"无法读取 / cannot read: {error}"))
    broken = {Path(p.file).name.removesuffix(".yaml") for p in problems}
    for group in groups.values():
        for member, line in zip(group.members, member_lines[group.id], strict=True):
            if member in broken:
                continue  # already reported in its own file
            if member not in policies:
                problems.append(Problem(group.file, line, f"未知政策 {member!r} / unknown policy {member!r}"))
            elif policies[member].subject != "person":
                problems.append(Problem(group.file, line, f"{member} 不是个人政策，不可兼得组只用于个人政策 / "
                                                          f"{member} is not a person policy"))
            elif policies[member].group is not None:
                problems.append(Problem(group.file, line, f"{member} 已属于另一组 / already in another group"))
            else:
                policies[member].group = group
    if problems:
        raise CatalogError(problems)
    for policy in policies.values():
        if policy.group is not None:
            policy.conditions.insert(_after_implicit(policy), _exclusive_condition(policy, policy.group))
    return Catalog(policies=policies, groups=groups)


def _after_implicit(policy: Policy) -> int:
    return sum(1 for c in policy.conditions if c.implicit)
