"""The condition language: a small, typed expression language parsed from the catalog files.

Grammar (lowest precedence first)::

    expr    := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum [("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in") sum]
    sum     := term (("+" | "-") term)*
    term    := unary (("*" | "/") unary)*
    unary   := "-" unary | atom
    atom    := NUMBER ["%"] | STRING | "true" | "false" | "none" | NAME | NAME "(" args ")"
             | "(" expr ")" | "[" STRING ("," STRING)* "]"

There is no eval/exec: the text is tokenised and parsed by hand into the node classes below, every name is
checked against the profile fields (fields.py) and the policy's own named values, every text literal
compared with a field is checked against that field's allowed values, and each node gets a type. Numbers
are exact rationals (Fraction) so that the Python path and the batch path round money identically.

Missing values follow Kleene's three-valued logic: a comparison with a missing operand is unknown;
``false and unknown`` is false; ``true or unknown`` is true.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from rencai.policies.fields import ALL_FIELDS, FIELDS, NO_VALUE, SUBJECT_LABELS, FieldSpec, Type, subject_of

# -- errors ---------------------------------------------------------------------------------------------


class ExprError(Exception):
    """A syntax or type error at a column (0-based) of the expression text."""

    def __init__(self, column: int, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


# -- tokens ---------------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<number>\d+(?:\.\d+)?%?)
  | (?P<string>"[^"\\]*"|'[^'\\]*')
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<op>==|!=|<=|>=|<|>|\+|-|\*|/|\(|\)|\[|\]|,)
    """,
    re.VERBOSE,
)
KEYWORDS = {"and", "or", "not", "in", "true", "false", "none"}


@dataclass(frozen=True)
class Token:
    kind: str  # number, string, name, op, keyword, end
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ExprError(pos, f"无法识别的字符 {text[pos]!r} / unexpected character")
        kind = match.lastgroup or ""
        if kind != "ws":
            value = match.group()
            if kind == "name" and value in KEYWORDS:
                kind = "keyword"
            tokens.append(Token(kind, value, pos))
        pos = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


# -- nodes ----------------------------------------------------------------------------------------------


@dataclass(eq=False)
class Node:
    pos: int
    type: Type | None = field(default=None, init=False)
    # The field (or let) whose allowed values constrain a text node, for checking literals against it.
    domain_of: str | None = field(default=None, init=False)


@dataclass(eq=False)
class Const(Node):
    value: object = None
    text: str = ""


@dataclass(eq=False)
class ListConst(Node):
    items: tuple[str, ...] = ()


@dataclass(eq=False)
class Name(Node):
    name: str = ""


@dataclass(eq=False)
class Not(Node):
    operand: Node | None = None


@dataclass(eq=False)
class Neg(Node):
    operand: Node | None = None


@dataclass(eq=False)
class BoolOp(Node):
    op: str = ""  # and, or
    operands: tuple[Node, ...] = ()


@dataclass(eq=False)
class Arith(Node):
    op: str = ""  # + - * /
    left: Node | None = None
    right: Node | None = None


@dataclass(eq=False)
class Compare(Node):
    op: str = ""  # == != < <= > >= in notin
    left: Node | None = None
    right: Node | None = None


@dataclass(eq=False)
class Call(Node):
    func: str = ""
    args: tuple[Node, ...] = ()


# -- parser ---------------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.i = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def accept(self, *texts: str) -> Token | None:
        if self.tok.kind in ("op", "keyword") and self.tok.text in texts:
            return self.take()
        return None

    def expect(self, text: str) -> Token:
        token = self.accept(text)
        if token is None:
            raise ExprError(self.tok.pos, f"此处应为 {text!r}，实为 {self.tok.text or '结尾'!r} / expected {text!r}")
        return token

    def parse(self) -> Node:
        node = self.or_()
        if self.tok.kind != "end":
            raise ExprError(self.tok.pos, f"多余的内容 {self.tok.text!r} / unexpected {self.tok.text!r}")
        return node

    def or_(self) -> Node:
        first = self.and_()
        operands = [first]
        while self.accept("or"):
            operands.append(self.and_())
        return first if len(operands) == 1 else BoolOp(first.pos, op="or", operands=tuple(operands))

    def and_(self) -> Node:
        first = self.not_()
        operands = [first]
        while self.accept("and"):
            operands.append(self.not_())
        return first if len(operands) == 1 else BoolOp(first.pos, op="and", operands=tuple(operands))

    def not_(self) -> Node:
        token = self.accept("not")
        if token:
            return Not(token.pos, operand=self.not_())
        return self.compare()

    def compare(self) -> Node:
        left = self.sum_()
        token = self.accept("==", "!=", "<", "<=", ">", ">=", "in")
        if token is None and self.tok.text == "not" and self.tokens[self.i + 1].text == "in":
            token = self.take()
            self.take()
            op = "notin"
        else:
            op = token.text if token else ""
        if not op:
            return left
        assert token is not None
        return Compare(token.pos, op=op, left=left, right=self.sum_())

    def sum_(self) -> Node:
        node = self.term()
        while token := self.accept("+", "-"):
            node = Arith(token.pos, op=token.text, left=node, right=self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while token := self.accept("*", "/"):
            node = Arith(token.pos, op=token.text, left=node, right=self.unary())
        return node

    def unary(self) -> Node:
        token = self.accept("-")
        if token:
            return Neg(token.pos, operand=self.unary())
        return self.atom()

    def atom(self) -> Node:
        token = self.take()
        if token.kind == "number":
            if token.text.endswith("%"):
                return Const(token.pos, value=Fraction(token.text[:-1]) / 100, text=token.text)
            return Const(token.pos, value=Fraction(token.text), text=token.text)
        if token.kind == "string":
            return Const(token.pos, value=token.text[1:-1], text=token.text)
        if token.kind == "keyword" and token.text in ("true", "false"):
            return Const(token.pos, value=token.text == "true", text=token.text)
        if token.kind == "keyword" and token.text == "none":
            return Const(token.pos, value=NO_VALUE, text="none")
        if token.kind == "name":
            if self.accept("("):
                args: list[Node] = []
                if not self.accept(")"):
                    args.append(self.or_())
                    while self.accept(","):
                        args.append(self.or_())
                    self.expect(")")
                return Call(token.pos, func=token.text, args=tuple(args))
            return Name(token.pos, name=token.text)
        if token.text == "(":
            node = self.or_()
            self.expect(")")
            return node
        if token.text == "[":
            items: list[str] = []
            while True:
                item = self.take()
                if item.kind != "string":
                    raise ExprError(item.pos, "列表中只能是带引号的文本 / list items must be quoted strings")
                items.append(item.text[1:-1])
                if self.accept("]"):
                    break
                self.expect(",")
            return ListConst(token.pos, items=tuple(items))
        raise ExprError(token.pos, f"此处不应出现 {token.text or '结尾'!r} / unexpected {token.text or 'end'!r}")


def parse(text: str) -> Node:
    if not isinstance(text, str) or not text.strip():
        raise ExprError(0, "表达式为空 / empty expression")
    return _Parser(text).parse()


# -- type checking --------------------------------------------------------------------------------------

FUNCTIONS = {
    # name: (argument types, result type; None = same as the 2nd argument)
    "add_years": ((Type.DATE, Type.NUM), Type.DATE),
    "year": ((Type.DATE,), Type.NUM),
    "min": ((Type.NUM, Type.NUM), Type.NUM),
    "max": ((Type.NUM, Type.NUM), Type.NUM),
    "if": ((Type.BOOL, None, None), None),
    "is_set": ((None,), Type.BOOL),
    "date": ((Type.STR,), Type.DATE),
}


@dataclass(frozen=True)
class Scope:
    """What names an expression may use: the fields of the policy's subject (a person's by default, fields.py
    SUBJECT_FIELDS) plus the policy's named values (lets)."""

    lets: dict[str, Type] = field(default_factory=dict)
    fields: dict[str, FieldSpec] = field(default_factory=lambda: FIELDS)
    subject: str = "person"

    def type_of(self, name: str) -> Type | None:
        if name in self.lets:
            return self.lets[name]
        spec = self.fields.get(name)
        return spec.type if spec else None

    def unknown(self, name: str) -> str:
        """Why a name cannot be read here: another subject's field, or no field at all."""
        other = subject_of(name)
        if other is not None and other != self.subject:
            mine, theirs = SUBJECT_LABELS[self.subject], SUBJECT_LABELS[other]
            return (f"{name!r} 是{theirs}的字段，{mine}政策（subject: {self.subject}）不能使用 / {name!r} is a "
                    f"{other} field; a {self.subject} policy cannot read it")
        return f"未知字段 {name!r} / unknown field {name!r}"


def _domain(node: Node) -> tuple[str, ...] | None:
    if node.domain_of and node.domain_of in ALL_FIELDS:
        return ALL_FIELDS[node.domain_of].domain or None
    return None


def _check_literal(literal: str, against: Node, pos: int) -> None:
    domain = _domain(against)
    if domain is None or literal == NO_VALUE:
        return
    if literal not in domain:
        raise ExprError(pos, f"{against.domain_of} 没有取值 {literal!r}，可用：{', '.join(domain)} / "
                             f"{literal!r} is not a value of {against.domain_of}")


def check(node: Node, scope: Scope) -> Type:
    """Set `type` on every node and return the root's type; raise ExprError on a mistake."""
    node.type = _check(node, scope)
    return node.type


def _need(node: Node, scope: Scope, *allowed: Type) -> Type:
    got = check(node, scope)
    if got not in allowed:
        want = " 或 ".join(t.value for t in allowed)
        raise ExprError(node.pos, f"此处需要 {want}，实为 {got.value} / expected {want}, got {got.value}")
    return got


def _check(node: Node, scope: Scope) -> Type:
    if isinstance(node, Const):
        if isinstance(node.value, bool):
            return Type.BOOL
        if isinstance(node.value, Fraction):
            return Type.NUM
        if isinstance(node.value, dt.date):
            return Type.DATE
        return Type.STR
    if isinstance(node, ListConst):
        return Type.LIST
    if isinstance(node, Name):
        found = scope.type_of(node.name)
        if found is None:
            raise ExprError(node.pos, scope.unknown(node.name))
        node.domain_of = node.name
        return found
    if isinstance(node, Not):
        assert node.operand is not None
        _need(node.operand, scope, Type.BOOL)
        return Type.BOOL
    if isinstance(node, Neg):
        assert node.operand is not None
        _need(node.operand, scope, Type.NUM)
        return Type.NUM
    if isinstance(node, BoolOp):
        for operand in node.operands:
            _need(operand, scope, Type.BOOL)
        return Type.BOOL
    if isinstance(node, Arith):
        assert node.left is not None and node.right is not None
        _need(node.left, scope, Type.NUM)
        _need(node.right, scope, Type.NUM)
        return Type.NUM
    if isinstance(node, Compare):
        return _check_compare(node, scope)
    if isinstance(node, Call):
        return _check_call(node, scope)
    raise ExprError(node.pos, "无法识别的表达式 / unknown expression")  # pragma: no cover


def _check_compare(node: Compare, scope: Scope) -> Type:
    assert node.left is not None and node.right is not None
    left, right = check(node.left, scope), check(node.right, scope)
    if node.op in ("in", "notin"):
        if left == Type.STR and right == Type.LIST and isinstance(node.right, ListConst):
            for item in node.right.items:
                _check_literal(item, node.left, node.right.pos)
            return Type.BOOL
        if left == Type.STR and right == Type.LIST and isinstance(node.left, Const):
            _check_literal(str(node.left.value), node.right, node.left.pos)
            return Type.BOOL
        raise ExprError(node.pos, "in 的用法：字段 in [\"取值\", ...] 或 \"取值\" in 列表字段 / "
                                  "use: field in [\"a\", ...] or \"a\" in list_field")
    if left != right or left == Type.LIST:
        raise ExprError(node.pos, f"不能比较 {left.value} 与 {right.value} / cannot compare {left.value} "
                                  f"with {right.value}")
    if node.op not in ("==", "!=") and left not in (Type.NUM, Type.DATE):
        raise ExprError(node.pos, f"{node.op} 只能比较数字或日期 / {node.op} needs numbers or dates")
    if left == Type.STR:
        for literal, other in ((node.left, node.right), (node.right, node.left)):
            if isinstance(literal, Const):
                _check_literal(str(literal.value), other, literal.pos)
    return Type.BOOL


def _check_call(node: Call, scope: Scope) -> Type:
    if node.func not in FUNCTIONS:
        raise ExprError(node.pos, f"未知函数 {node.func!r}，可用：{', '.join(FUNCTIONS)} / unknown function")
    wanted, result = FUNCTIONS[node.func]
    if len(node.args) != len(wanted):
        raise ExprError(node.pos, f"{node.func} 需要 {len(wanted)} 个参数 / {node.func} takes {len(wanted)} "
                                  "arguments")
    if node.func == "is_set":
        if not isinstance(node.args[0], Name):
            raise ExprError(node.pos, "is_set 的参数须为字段名 / is_set takes a field name")
        check(node.args[0], scope)
        return Type.BOOL
    if node.func == "date":
        arg = node.args[0]
        if not (isinstance(arg, Const) and isinstance(arg.value, str)):
            raise ExprError(arg.pos, "date 的参数须为 \"YYYY-MM-DD\" 文本常量 / date takes a \"YYYY-MM-DD\" literal")
        try:
            arg.value = dt.date.fromisoformat(arg.value)
        except ValueError:
            raise ExprError(arg.pos, f"无效日期 {arg.value!r} / invalid date") from None
        arg.type = Type.DATE
        return Type.DATE
    if node.func == "add_years":
        _need(node.args[0], scope, Type.DATE)
        arg = node.args[1]
        if not (isinstance(arg, Const) and isinstance(arg.value, Fraction) and arg.value.denominator == 1):
            raise ExprError(arg.pos, "add_years 的年数须为整数常量 / years must be a whole-number constant")
        arg.type = Type.NUM
        return Type.DATE
    if node.func == "if":
        _need(node.args[0], scope, Type.BOOL)
        then = check(node.args[1], scope)
        other = check(node.args[2], scope)
        if then != other:
            raise ExprError(node.pos, "if 的两个分支类型须相同 / both branches of if need the same type")
        return then
    for arg, want in zip(node.args, wanted, strict=True):
        assert want is not None
        _need(arg, scope, want)
    assert result is not None
    return result


def names_used(node: Node) -> set[str]:
    """The field and let names an expression reads."""
    if isinstance(node, Name):
        return {node.name}
    found: set[str] = set()
    for child in children(node):
        found |= names_used(child)
    return found


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, (Not, Neg)):
        assert node.operand is not None
        return (node.operand,)
    if isinstance(node, BoolOp):
        return node.operands
    if isinstance(node, (Arith, Compare)):
        assert node.left is not None and node.right is not None
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    return ()


# -- dates ----------------------------------------------------------------------------------------------


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February in a common year.

    《民法典》第二百零二条: a period counted in years ends on the corresponding day of the last year, or on
    the last day of that month when there is no corresponding day.
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def full_years(birth: dt.date, on: dt.date) -> int:
    """Age in full years (周岁) on a day: the count of anniversaries reached, the anniversary included."""
    years = on.year - birth.year
    if add_years(birth, years) > on:
        years -= 1
    return years


# -- the Python evaluator -------------------------------------------------------------------------------

# Values: bool, int/Fraction, date, str ("" = holds none), frozenset[str] (lists); None = unknown.
Context = dict[str, object]


def evaluate(node: Node, ctx: Context) -> object:
    """The value of an expression for one person (None when unknown)."""
    return compiled(node)(ctx)


def compiled(node: Node) -> Callable[[Context], object]:
    """The expression as a Python closure, built once per node: the calculator evaluates the same few
    hundred nodes for every person, and a closure skips the tree walk's type dispatch."""
    fn = node.__dict__.get("_fn")
    if fn is None:
        fn = node.__dict__["_fn"] = _compile(node)
    return fn


_COMPARE: dict[str, Callable[[object, object], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
    ">=": operator.ge, "in": lambda a, b: a in b, "notin": lambda a, b: a not in b,  # type: ignore[operator]
}


def _compile(node: Node) -> Callable[[Context], object]:
    if isinstance(node, Const):
        value = node.value
        return lambda ctx: value
    if isinstance(node, ListConst):
        items = frozenset(node.items)
        return lambda ctx: items
    if isinstance(node, Name):
        name = node.name
        return lambda ctx: ctx.get(name)
    if isinstance(node, Not | Neg):
        assert node.operand is not None
        inner = compiled(node.operand)
        negate = operator.not_ if isinstance(node, Not) else operator.neg

        def unary(ctx: Context) -> object:
            value = inner(ctx)
            return None if value is None else negate(value)
        return unary
    if isinstance(node, BoolOp):
        parts = [compiled(operand) for operand in node.operands]
        op = node.op
        return lambda ctx: _kleene(op, [part(ctx) for part in parts])
    if isinstance(node, Arith | Compare):
        assert node.left is not None and node.right is not None
        left, right = compiled(node.left), compiled(node.right)
        combine = _arith_op(node.op) if isinstance(node, Arith) else _COMPARE[node.op]

        def binary(ctx: Context) -> object:
            a, b = left(ctx), right(ctx)
            if a is None or b is None:
                return None
            return combine(a, b)
        return binary
    if isinstance(node, Call):
        return lambda ctx: _call(node, ctx)
    raise TypeError(node)  # pragma: no cover


def _arith_op(op: str) -> Callable[[object, object], object]:
    def combine(left: object, right: object) -> object:
        a, b = Fraction(left), Fraction(right)  # type: ignore[arg-type]
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        return None if b == 0 else a / b
    return combine


def _kleene(op: str, values: list[object]) -> bool | None:
    decisive = op == "or"  # the value that settles the result on its own
    if any(value is decisive for value in values):
        return decisive
    if any(value is None for value in values):
        return None
    return not decisive


def _call(node: Call, ctx: Context) -> object:
    func, args = node.func, node.args
    if func == "is_set":
        return ctx.get(args[0].name) is not None  # type: ignore[attr-defined]
    if func == "date":
        return evaluate(args[0], ctx)
    if func == "if":
        test = evaluate(args[0], ctx)
        if test is None:
            return None
        return evaluate(args[1] if test else args[2], ctx)
    values = [evaluate(arg, ctx) for arg in args]
    if any(value is None for value in values):
        return None
    if func == "add_years":
        return add_years(values[0], int(values[1]))  # type: ignore[arg-type]
    if func == "year":
        return values[0].year  # type: ignore[attr-defined]
    if func == "min":
        return min(values)  # type: ignore[type-var]
    return max(values)  # type: ignore[type-var]


# -- rendering an expression with the values used, for explanations ------------------------------------

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def format_number(value: object) -> str:
    """3200, 80.5, 1234.56 — exact where the value is a short decimal, else 2 decimals."""
    number = Fraction(value)  # type: ignore[arg-type]
    if number.denominator == 1:
        return str(number.numerator)
    scaled = number * 100
    if scaled.denominator == 1:
        return f"{number.numerator / number.denominator:.2f}".rstrip("0").rstrip(".")
    return f"{float(number):.2f}"


def render(node: Node, ctx: Context) -> str:
    """A numeric expression written out with the values it used: 3200×75/80×50%."""
    if isinstance(node, Const):
        return node.text
    if isinstance(node, Name):
        value = ctx.get(node.name)
        return "?" if value is None else format_number(value)
    if isinstance(node, Neg):
        assert node.operand is not None
        return "-" + render(node.operand, ctx)
    if isinstance(node, Arith):
        assert node.left is not None and node.right is not None
        sign = "×" if node.op == "*" else node.op
        return f"{_operand(node.left, node, ctx, False)}{sign}{_operand(node.right, node, ctx, True)}"
    if isinstance(node, Call):
        if node.func == "if":
            test = evaluate(node.args[0], ctx)
            return render(node.args[1] if test else node.args[2], ctx)
        inner = ", ".join(render(arg, ctx) for arg in node.args)
        return f"{node.func}({inner})"
    return "?"


def _operand(child: Node, parent: Arith, ctx: Context, right: bool) -> str:
    text = render(child, ctx)
    if isinstance(child, Arith):
        mine, theirs = _PRECEDENCE[parent.op], _PRECEDENCE[child.op]
        if theirs < mine or (right and theirs == mine and parent.op in "-/"):
            return f"({text})"
    return text

