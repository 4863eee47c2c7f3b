"""Compiling the same parsed condition trees (expr.py) into Polars expressions over a frame of profiles.

Semantics match the Python evaluator exactly:

* a null is an unknown value; Polars' ``&``/``|`` already follow Kleene logic, comparisons with a null give
  null, and every ``when`` below tests ``is_null`` first where Python would return None;
* numbers are exact rationals held as two Int64 expressions (numerator, denominator > 0), so that
  ``3200 × 75/80 × 50%`` is computed without floating point and rounds to the fen exactly as Fraction does;
* NUM columns of the frame hold value × scale as integers (fields.py ``scale``: rent in fen, area in
  hundredths of a ㎡); the age is computed from ``birth_date`` and ``as_of`` as in ``expr.full_years``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import reduce

import numpy as np
import polars as pl

from rencai.policies.engine import expr as ex
from rencai.policies.fields import CITY_LABELS, FIELDS, NONE, Type

INT = pl.Int64


@dataclass(frozen=True)
class Rat:
    """An exact rational column: num / den with den > 0 (den a Python int when constant)."""

    num: pl.Expr
    den: pl.Expr | int

    @staticmethod
    def const(value: Fraction) -> Rat:
        return Rat(pl.lit(value.numerator, dtype=INT), value.denominator)


def _times(expr: pl.Expr | int, factor: pl.Expr | int) -> pl.Expr | int:
    if isinstance(factor, int) and factor == 1:
        return expr
    if isinstance(expr, int) and expr == 1:
        return factor
    if isinstance(expr, int) and isinstance(factor, int):
        return expr * factor
    return expr * factor  # type: ignore[operator]


def _lit(value: pl.Expr | int) -> pl.Expr:
    return pl.lit(value, dtype=INT) if isinstance(value, int) else value


def _cross(a: Rat, b: Rat) -> tuple[pl.Expr, pl.Expr]:
    """a and b brought to comparable integers: a.num × b.den vs b.num × a.den."""
    return _lit(_times(a.num, b.den)), _lit(_times(b.num, a.den))


def compare_rat(op: str, a: Rat, b: Rat) -> pl.Expr:
    left, right = _cross(a, b)
    return {"==": left == right, "!=": left != right, "<": left < right, "<=": left <= right,
            ">": left > right, ">=": left >= right}[op]


def to_fen(value: Rat) -> pl.Expr:
    """Yuan to integer fen, half up: floor((200·num + den) / (2·den)); num × (100 / den) when den divides
    100 (then 200·num / (2·den) is whole and the added half never carries)."""
    if isinstance(value.den, int) and 100 % value.den == 0:
        return value.num * (100 // value.den)
    den = _lit(value.den)
    return (value.num * 200 + den) // (den * 2)


_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def latest_birth(as_of: dt.date, years: int) -> dt.date:
    """The latest birth date with at least `years` full years (周岁) on `as_of` (expr.full_years): the last
    day whose add_years(day, years) is on or before as_of. ValueError/OverflowError outside the calendar."""
    day = dt.date(as_of.year - years, as_of.month, min(as_of.day, 28))
    one = dt.timedelta(days=1)
    while ex.add_years(day + one, years) <= as_of:
        day += one
    while ex.add_years(day, years) > as_of:
        day -= one
    return day


class Compiler:
    """Compiles nodes for one as_of date; `env` holds the policy's compiled named values (lets)."""

    # Derived fields computed once per frame (see base_columns) rather than inside every condition.
    AGE, PROVINCE = "__age", "__province"

    # Items per bit mask column: bit 63 would make the Int64 negative.
    MASK_BITS = 63

    # Longest span of days a per-day lookup table is built for (about 270 years).
    MAX_TABLE_DAYS = 100_000

    def __init__(self, as_of: dt.date, date_range: Callable[[str], tuple[dt.date, dt.date] | None] | None = None):
        """`date_range(field)`: the first and last day a Date column of the frame holds (None: not known);
        given, a date function of such a column is a gather from a table of its days (see _per_day)."""
        self.as_of = as_of
        self.env: dict[str, object] = {}
        self._date_range = date_range
        # What the compiled expressions read of base_columns: only those are computed (the age alone is
        # a third of the subset's time when every condition only compares it with a number).
        self._uses_age = self._uses_province = False
        self._bits: dict[str, dict[str, int]] = {}  # list field → item → bit, in the order first asked

    def base_columns(self) -> list[pl.Expr]:
        """The derived columns the expressions compiled so far read: call it after compiling them.

        One bit mask per list field asked about (honours, training, the policies received): many
        conditions ask "x in honors", and one pass over the lists plus a bit test per condition costs far
        less than a list search per condition. The frame's lists hold distinct items (batch.FRAME_SCHEMA).
        """
        columns = [self._age().alias(self.AGE)] if self._uses_age else []
        if self._uses_province:
            columns.append(self._province().alias(self.PROVINCE))
        for name, bits in self._bits.items():
            if bits:
                columns.append(pl.col(name).list.eval(pl.element().replace_strict(bits, default=0, return_dtype=INT))
                               .list.sum().fill_null(0).alias(self._mask(name)))
        return columns

    @staticmethod
    def _mask(name: str) -> str:
        return f"__mask.{name}"

    def _flag_for(self, node: ex.Compare) -> pl.Expr | None:
        """`"item" in field` as a bit test, when the field is a list of the frame (up to 63 items asked)."""
        if not (isinstance(node.left, ex.Const) and isinstance(node.right, ex.Name)):
            return None
        name = node.right.name
        spec = FIELDS.get(name)
        if name in self.env or spec is None or spec.type != Type.LIST:
            return None
        bits = self._bits.setdefault(name, {})
        item = str(node.left.value)
        if item not in bits:
            if len(bits) >= self.MASK_BITS:
                return None
            bits[item] = 1 << len(bits)
        return (pl.col(self._mask(name)) & bits[item]) != 0

    def _age_test(self, node: ex.Compare) -> pl.Expr | None:
        """`age <op> number` as a comparison of the birth date with one cut-off date (no age computed).

        full_years(birth, as_of) >= k  ⇔  add_years(birth, k) <= as_of  ⇔  birth <= latest_birth(k), as
        add_years is monotone in the birth date; every other comparison is one or two of these.
        """
        left, right, op = node.left, node.right, node.op
        if isinstance(left, ex.Const) and isinstance(right, ex.Name):
            left, right, op = right, left, _FLIPPED.get(op, op)
        if not (isinstance(left, ex.Name) and left.name == "age" and "age" not in self.env
                and isinstance(right, ex.Const) and isinstance(right.value, Fraction)):
            return None
        value: Fraction = right.value
        birth = pl.col("birth_date")
        at_least = {">=": math.ceil(value), ">": math.floor(value) + 1}
        below = {"<": math.ceil(value), "<=": math.floor(value) + 1}
        try:
            if op in at_least:
                return birth <= latest_birth(self.as_of, at_least[op])
            if op in below:
                return birth > latest_birth(self.as_of, below[op])
            if value.denominator != 1:  # an age is whole: never equal, always different (unknown stays)
                return pl.when(birth.is_null()).then(None).otherwise(pl.lit(op == "!=", dtype=pl.Boolean))
            k = int(value)
            exact = (birth <= latest_birth(self.as_of, k)) & (birth > latest_birth(self.as_of, k + 1))
            return exact if op == "==" else ~exact
        except (OverflowError, ValueError):  # a cut-off outside the calendar: the general path
            return None

    # -- fields ---------------------------------------------------------------------------------------

    def field(self, name: str) -> object:
        if name in self.env:
            return self.env[name]
        spec = FIELDS[name]
        if name == "as_of":
            return pl.lit(self.as_of, dtype=pl.Date)
        if name == "age":
            self._uses_age = True
            return Rat(pl.col(self.AGE), 1)
        if name == "province":
            self._uses_province = True
            return pl.col(self.PROVINCE)
        column = pl.col(name)
        if spec.type == Type.NUM:
            return Rat(column.cast(INT), spec.scale)
        if spec.absent == NONE:
            if spec.type == Type.LIST:
                return column  # list fields are tested with contains(), which fills the null below
            if spec.type == Type.BOOL:
                return column.fill_null(False)
            return column.fill_null("")  # the frame's Enum includes "" (batch.FRAME_SCHEMA)
        return column

    @staticmethod
    def _province() -> pl.Expr:
        province = pl.lit(None, dtype=pl.String)
        for code in CITY_LABELS:
            province = pl.when(pl.col("city") == code).then(pl.lit(code[:2] + "0000")).otherwise(province)
        return province

    def _age(self) -> pl.Expr:
        birth = pl.col("birth_date")
        md = birth.dt.month().cast(INT) * 100 + birth.dt.day().cast(INT)
        if not calendar.isleap(self.as_of.year):
            md = pl.when(md == 229).then(pl.lit(228, dtype=INT)).otherwise(md)  # 29 Feb → 28 Feb
        today = self.as_of.month * 100 + self.as_of.day
        years = pl.lit(self.as_of.year, dtype=INT) - birth.dt.year().cast(INT)
        return years - (md > today).cast(INT)

    def _per_day(self, node: ex.Node, compute: Callable[[np.ndarray], np.ndarray], dtype: pl.DataType
                 ) -> pl.Expr | None:
        """f(column) for a Date column of the frame as one gather from f over every day the column holds
        (a date function costs a calendar computation per row otherwise: add_years was a sixth of the
        subset's time). None when the column's days are not known or span too long."""
        if not (isinstance(node, ex.Name) and node.name not in self.env and self._date_range is not None):
            return None
        spec = FIELDS.get(node.name)
        bounds = self._date_range(node.name) if spec is not None and spec.type == Type.DATE else None
        if bounds is None or (bounds[1] - bounds[0]).days >= self.MAX_TABLE_DAYS:
            return None
        first, last = bounds
        days = np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1)
        values = pl.Series(compute(days)).cast(dtype)
        start = (first - dt.date(1970, 1, 1)).days
        return pl.lit(values).gather((pl.col(node.name).to_physical().cast(INT) - start).cast(pl.UInt32))

    # -- nodes ----------------------------------------------------------------------------------------

    def compile(self, node: ex.Node) -> object:
        if isinstance(node, ex.Const):
            if isinstance(node.value, Fraction):
                return Rat.const(node.value)
            if isinstance(node.value, dt.date):
                return pl.lit(node.value, dtype=pl.Date)
            if isinstance(node.value, bool):
                return pl.lit(node.value, dtype=pl.Boolean)
            return pl.lit(node.value, dtype=pl.String)
        if isinstance(node, ex.Name):
            return self.field(node.name)
        if isinstance(node, ex.Not):
            assert node.operand is not None
            return ~self.bool(node.operand)
        if isinstance(node, ex.Neg):
            assert node.operand is not None
            value = self.rat(node.operand)
            return Rat(-value.num, value.den)
        if isinstance(node, ex.BoolOp):
            parts = [self.bool(operand) for operand in node.operands]
            return reduce((lambda a, b: a & b) if node.op == "and" else (lambda a, b: a | b), parts)
        if isinstance(node, ex.Arith):
            return self._arith(node)
        if isinstance(node, ex.Compare):
            return self._compare(node)
        if isinstance(node, ex.Call):
            return self._call(node)
        raise TypeError(node)  # pragma: no cover

    def bool(self, node: ex.Node) -> pl.Expr:
        value = self.compile(node)
        assert isinstance(value, pl.Expr)
        return value

    def rat(self, node: ex.Node) -> Rat:
        value = self.compile(node)
        assert isinstance(value, Rat)
        return value

    def _arith(self, node: ex.Arith) -> Rat:
        assert node.left is not None and node.right is not None
        a, b = self.rat(node.left), self.rat(node.right)
        if node.op in "+-":
            left, right = _times(a.num, b.den), _times(b.num, a.den)
            num = _lit(left) + _lit(right) if node.op == "+" else _lit(left) - _lit(right)
            return Rat(num, _times(a.den, b.den))
        if node.op == "*":
            return Rat(_lit(_times(a.num, b.num)), _times(a.den, b.den))
        # Division: multiply by the reciprocal, keeping the denominator positive; x/0 is unknown.
        num, den = _lit(_times(a.num, b.den)), _lit(_times(a.den, b.num))
        sign = pl.when(den < 0).then(pl.lit(-1, dtype=INT)).otherwise(pl.lit(1, dtype=INT))
        return Rat(pl.when(den == 0).then(None).otherwise(num * sign), den * sign)

    def _compare(self, node: ex.Compare) -> pl.Expr:
        assert node.left is not None and node.right is not None
        if node.op in ("in", "notin"):
            if isinstance(node.right, ex.ListConst):
                found = self._text(node.left).is_in(list(node.right.items))
            elif (flag := self._flag_for(node)) is not None:
                found = flag
            else:
                assert isinstance(node.left, ex.Const)
                column = self.compile(node.right)
                assert isinstance(column, pl.Expr)
                # List fields read as empty when absent (fields.py NONE), never as unknown.
                found = column.list.contains(pl.lit(node.left.value, dtype=pl.String)).fill_null(False)
            return ~found if node.op == "notin" else found
        if (by_birth := self._age_test(node)) is not None:
            return by_birth
        left, right = self.compile(node.left), self.compile(node.right)
        if isinstance(left, Rat) and isinstance(right, Rat):
            return compare_rat(node.op, left, right)
        assert isinstance(left, pl.Expr) and isinstance(right, pl.Expr)
        return {"==": left == right, "!=": left != right, "<": left < right, "<=": left <= right,
                ">": left > right, ">=": left >= right}[node.op]

    def _text(self, node: ex.Node) -> pl.Expr:
        value = self.compile(node)
        assert isinstance(value, pl.Expr)
        return value

    def _call(self, node: ex.Call) -> object:
        func, args = node.func, node.args
        if func == "is_set":
            value = self.compile(args[0])
            return (value.num if isinstance(value, Rat) else value).is_not_null()  # type: ignore[union-attr]
        if func == "date":
            return self.compile(args[0])
        if func == "add_years":
            years = int(args[1].value)  # type: ignore[attr-defined]
            table = self._per_day(args[0], lambda days: _add_years(days, years), pl.Date)
            return table if table is not None else self.bool(args[0]).dt.offset_by(f"{years}y")
        if func == "year":
            table = self._per_day(args[0], lambda days: days.astype("datetime64[Y]").astype(np.int64) + 1970, INT)
            return Rat(table if table is not None else self.bool(args[0]).dt.year().cast(INT), 1)
        if func in ("min", "max"):
            a, b = self.rat(args[0]), self.rat(args[1])
            first = compare_rat("<=" if func == "min" else ">=", a, b)
            return Rat(pl.when(first).then(a.num).otherwise(b.num),
                       pl.when(first).then(_lit(a.den)).otherwise(_lit(b.den)))
        if func == "if":
            test = self.bool(args[0])
            then, other = self.compile(args[1]), self.compile(args[2])
            if isinstance(then, Rat) and isinstance(other, Rat):
                return Rat(_pick(test, then.num, other.num), _pick(test, _lit(then.den), _lit(other.den)))
            return _pick(test, then, other)  # type: ignore[arg-type]
        raise TypeError(func)  # pragma: no cover


def _add_years(days: np.ndarray, years: int) -> np.ndarray:
    """expr.add_years over an array of days: the same day `years` later, clamped to the month's end (so 29
    February becomes 28 February in a common year)."""
    month = days.astype("datetime64[M]")
    offset = days - month.astype("datetime64[D]")
    target = month + 12 * years
    return np.minimum(target.astype("datetime64[D]") + offset, (target + 1).astype("datetime64[D]") - 1)


def _pick(test: pl.Expr, then: pl.Expr, other: pl.Expr) -> pl.Expr:
    """if(test, then, other) where an unknown test gives an unknown result (Polars would take `other`)."""
    return pl.when(test.is_null()).then(None).when(test).then(then).otherwise(other)


def table_selection(compiler: Compiler, rows: list) -> pl.Expr:
    """Row k (1-based) chosen; 0 none applies; -k unknown at row k — the evaluator's first-match scan."""
    chosen: pl.Expr = pl.lit(0, dtype=pl.Int16)
    for index in range(len(rows), 0, -1):
        when = compiler.bool(rows[index - 1].when)
        chosen = (pl.when(when.is_null()).then(pl.lit(-index, dtype=pl.Int16))
                  .when(when).then(pl.lit(index, dtype=pl.Int16)).otherwise(chosen))
    return chosen


def table_value(selection: pl.Expr, rows: list) -> Rat:
    """The chosen row's value over one common denominator (null for none, unknown or manual rows).

    A when per row: on a million rows cheaper than a gather from the rows' values (which costs a cast of
    the selection to indices and a gather with nulls)."""
    den = reduce(math.lcm, (row.value.denominator for row in rows if row.value is not None), 1)
    value: pl.Expr = pl.lit(None, dtype=INT)
    for index, row in enumerate(rows, start=1):
        if row.value is not None:
            scaled = row.value.numerator * (den // row.value.denominator)
            value = pl.when(selection == index).then(pl.lit(scaled, dtype=INT)).otherwise(value)
    return Rat(value, den)
