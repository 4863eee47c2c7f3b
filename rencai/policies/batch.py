"""The batch path (政策找人, budget simulation): the same parsed rules, compiled to Polars, over a frame with
one row per person. It is a person's path only: a team's or an organization's policies (issue 8) are evaluated
one profile at a time by engine/evaluate.py (calculator.calculate), and asking this path for one is an error.

Input columns are named after the fields (fields.py): ``city`` (region code), ``birth_date`` (Date),
``returnee``, ``degree``, ``graduation_date``, ``talent_category``, ``professional_title``, ``skill_level``,
``honors`` (List[String], distinct items), ``employment.employer_type``, ``employment.in_city``,
``employment.start_date``, ``housing.owns_home_in_city``, ``housing.renting``, ``housing.monthly_rent`` (Int64, fen),
``housing.rent_area_sqm`` (Int64, hundredths of a ㎡), ``housing.apartment_available``, ``has_purchase``,
``purchase.date``, ``purchase.first_home``, ``purchase.self_occupied``, ``certified_training`` (distinct
items) and ``received`` (List[String]). A null is a missing value, read as the single-person path reads an absent
field. Missing columns are treated as all-null. ``profiles_to_frame`` builds such a frame from profiles.

Output: for each policy ``<id>.status`` (UInt8: 0 false, 1 true, 2 manual, 3 unknown), ``<id>.code`` (the
deciding condition, an Enum of ``Catalog.codes`` — the single-person result's ``decided_by``) and, for
policies with an amount, ``<id>.monthly_fen``, ``<id>.one_time_fen``, ``<id>.total_fen`` (Int64, null
unless eligible). A ``person_id`` column, if present, is carried through first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction

import polars as pl

from rencai.policies.calculator import default_catalog
from rencai.policies.engine.catalog import Catalog, Policy
from rencai.policies.engine.polars_compile import Compiler, Rat, table_selection, table_value, to_fen
from rencai.policies.fields import FIELDS, NONE, Type
from rencai.policies.profile import normalize

STATUS = {False: 0, True: 1, "manual": 2, "unknown": 3}
STATUS_NAMES = {value: key for key, value in STATUS.items()}
DERIVED = {"as_of", "age", "province"}  # computed, not read from the frame


def _dtype(name: str) -> pl.DataType:
    spec = FIELDS[name]
    if spec.type == Type.BOOL:
        return pl.Boolean()
    if spec.type == Type.DATE:
        return pl.Date()
    if spec.type == Type.NUM:
        return pl.Int64()
    if spec.type == Type.LIST:
        return pl.List(pl.String)
    # "" stands for "holds none" in fields read as NONE when absent.
    return pl.Enum(([""] if spec.absent == NONE else []) + list(spec.domain))


FRAME_SCHEMA: dict[str, pl.DataType] = {name: _dtype(name) for name in FIELDS if name not in DERIVED}


def profiles_to_frame(profiles: Iterable[dict], *, as_of: dt.date, catalog: Catalog | None = None,
                      ids: Iterable[object] | None = None) -> pl.DataFrame:
    """Validate profiles exactly as ``calculate`` does and lay them out as the batch input frame."""
    catalog = catalog or default_catalog()
    columns: dict[str, list] = {name: [] for name in FRAME_SCHEMA}
    for profile in profiles:
        ctx = normalize(profile, as_of=as_of, policy_ids=catalog.policies)
        for name in FRAME_SCHEMA:
            value = ctx[name]
            spec = FIELDS[name]
            if spec.type == Type.NUM and value is not None:
                value = int(Fraction(value) * spec.scale)  # type: ignore[arg-type]
            elif spec.type == Type.LIST:
                value = sorted(value)  # type: ignore[arg-type]
            columns[name].append(value)
    frame = pl.DataFrame(columns, schema=FRAME_SCHEMA)
    if ids is not None:
        frame = frame.insert_column(0, pl.Series("person_id", list(ids)))
    return frame


def _conform(df: pl.DataFrame) -> pl.LazyFrame:
    """Give every field column its canonical type, adding missing ones as nulls."""
    lazy = df.lazy()
    fixes = []
    for name, dtype in FRAME_SCHEMA.items():
        if name not in df.columns:
            fixes.append(pl.lit(None, dtype=dtype).alias(name))
        elif df.schema[name] != dtype:
            source = pl.col(name)
            if isinstance(dtype, pl.Enum):
                source = source.cast(pl.String)
            fixes.append(source.cast(dtype, strict=True).alias(name))
    return lazy.with_columns(fixes) if fixes else lazy


def _date_ranges(df: pl.DataFrame) -> Callable[[str], tuple[dt.date, dt.date] | None]:
    """The first and last day of a Date column of the frame, computed when first asked (Compiler)."""
    known: dict[str, tuple[dt.date, dt.date] | None] = {}

    def bounds(name: str) -> tuple[dt.date, dt.date] | None:
        if name not in known:
            column = df.get_column(name) if name in df.columns else None
            first = last = None
            if column is not None and column.dtype == pl.Date:
                first, last = column.min(), column.max()
            known[name] = (first, last) if isinstance(first, dt.date) and isinstance(last, dt.date) else None
        return known[name]

    return bounds


def _bind(value: object, name: str) -> tuple[list[pl.Expr], object]:
    """Materialise a compiled value as column(s) and return the column reference that stands for it.

    Polars expressions are trees, not graphs: a let or a condition used in several places would be
    computed again in each. Evaluating in stages (lets, then checks, then the decision) computes each once.
    """
    if isinstance(value, Rat):
        exprs = [value.num.alias(f"{name}.num")]
        den: pl.Expr | int = value.den
        if not isinstance(den, int):
            exprs.append(den.alias(f"{name}.den"))
            den = pl.col(f"{name}.den")
        return exprs, Rat(pl.col(f"{name}.num"), den)
    assert isinstance(value, pl.Expr)
    return [value.alias(name)], pl.col(name)


@dataclass
class _Plan:
    """One policy's stages: lets one by one, then all checks and the amount, then which branch decides,
    then the status, code and amounts."""

    lets: list[list[pl.Expr]] = field(default_factory=list)
    checks: list[pl.Expr] = field(default_factory=list)
    decider: pl.Expr | None = None  # which branch decides (an index into the branches), a column of its own
    outputs: list[pl.Expr] = field(default_factory=list)
    totals: list[pl.Expr] = field(default_factory=list)  # read the amounts: in the final projection


@dataclass(frozen=True, eq=False)
class _Table:
    """A table let as a deciding condition: its selection column and its codes ("none" first, then rows)."""

    chosen: pl.Expr
    codes: list[str]


def _policy_plan(policy: Policy, compiler: Compiler, code_type: pl.Enum) -> _Plan:
    """Status, deciding code and amounts of one policy, in the order the evaluator decides."""
    compiler.env = {}
    plan = _Plan()
    pid = policy.id
    prefix = f"__{pid}."

    def lit(code: str) -> pl.Expr:
        return pl.lit(code, dtype=code_type)

    # Per table, over its selection column: (holds, the codes of its rows).
    tables: list[tuple[pl.Expr, _Table]] = []
    manual_rows: list[tuple[pl.Expr, str]] = []
    last_row_code: _Table | None = None
    for let in policy.lets:
        name = prefix + let.name
        if let.expr is not None:
            exprs, bound = _bind(compiler.compile(let.expr), name)
            plan.lets.append(exprs)
            compiler.env[let.name] = bound
            continue
        plan.lets.append([table_selection(compiler, let.rows).alias(f"{name}.row")])
        chosen = pl.col(f"{name}.row")
        # The chosen row's value, a column of its own: the amount may read it several times.
        exprs, compiler.env[let.name] = _bind(table_value(chosen, let.rows), f"{name}.value")
        plan.lets.append(exprs)
        for index, row in enumerate(let.rows, start=1):
            if row.manual:
                manual_rows.append((chosen == index, row.code))
        table = _Table(chosen, [let.none_code, *(row.code for row in let.rows)])
        tables.append((pl.when(chosen < 0).then(None).otherwise(chosen > 0), table))
        last_row_code = table

    ordered = [c for c in policy.conditions if c.implicit]
    ordered_after = [c for c in policy.conditions if not c.implicit]
    checks: list[tuple[pl.Expr, _Table | str]] = []
    for group in (ordered, None, ordered_after):
        if group is None:
            checks += tables
            continue
        for condition in group:
            test = compiler.bool(condition.test)
            if not test.meta.root_names() and pl.select(test).item() is True:
                continue  # reads no column and holds (in force on as_of): it never decides
            column = f"{prefix}{condition.id}"
            plan.checks.append(test.alias(column))
            checks.append((pl.col(column), condition.code))

    amount = policy.amount
    value: Rat | None = None
    if amount is not None:
        node = amount.monthly if amount.monthly is not None else amount.one_time
        assert node is not None
        exprs, bound = _bind(compiler.rat(node), f"{prefix}amount")
        plan.checks += exprs
        value = bound  # type: ignore[assignment]

    # The evaluator's order: first definite failure, then first unknown, then manual rows, screening, an
    # unknown amount; none of them: eligible. Which branch decides is computed once, as a small integer
    # (one when-chain), and the status and the code are looked up from it (a gather each).
    branches: list[tuple[pl.Expr, int, _Table | str]] = []
    branches += [(~holds, 0, code) for holds, code in checks]
    branches += [(holds.is_null(), 3, code) for holds, code in checks]
    branches += [(selected, 2, code) for selected, code in manual_rows]
    if policy.screening:
        branches.append((pl.lit(True), 2, f"{pid}/screening"))
    if value is not None:
        branches.append((value.num.is_null(), 3, f"{pid}/amount"))
    index_type = pl.UInt8 if len(branches) < 255 else pl.UInt16
    eligible_at = len(branches)  # the index when no branch decides
    decider: pl.Expr = pl.lit(eligible_at, dtype=index_type)
    for at in range(len(branches) - 1, -1, -1):
        decider = pl.when(branches[at][0]).then(pl.lit(at, dtype=index_type)).otherwise(decider)
    plan.decider = decider.alias(f"{prefix}decider")
    decided = pl.col(f"{prefix}decider")
    states = pl.Series([state for _, state, _ in branches] + [1], dtype=pl.UInt8)
    status = pl.lit(states).gather(decided)
    # The code: a branch's own, or the row its table chose (k or -k; the "none" code at 0). With one table
    # (the usual case) one gather from a (branch, row) grid; with more, a when per table.
    codes: list[_Table | str] = [code for _, _, code in branches] + [last_row_code or f"{pid}/ok"]
    table_list = list({id(table): table for _, table in tables}.values())
    if len(table_list) == 1:
        table = table_list[0]
        width = len(table.codes)
        grid = [table.codes[row] if isinstance(code, _Table) else code for code in codes for row in range(width)]
        at = decided.cast(pl.UInt32) * width + table.chosen.abs().cast(pl.UInt32)
        code_expr: pl.Expr = pl.lit(pl.Series(grid, dtype=code_type)).gather(at)
    else:
        fixed = [code if isinstance(code, str) else None for code in codes]
        code_expr = pl.lit(pl.Series(fixed, dtype=code_type)).gather(decided)
        for table in table_list:
            ats = [at for at, code in enumerate(codes) if code is table]
            row_code = pl.lit(pl.Series(table.codes, dtype=code_type)).gather(table.chosen.abs())
            code_expr = pl.when(decided.is_in(ats)).then(row_code).otherwise(code_expr)
    plan.outputs = [status.alias(f"{pid}.status"), code_expr.alias(f"{pid}.code")]

    if value is not None and amount is not None:
        fen = pl.when(decided == eligible_at).then(to_fen(value)).otherwise(None)
        none = pl.lit(None, dtype=pl.Int64)
        if amount.monthly is not None:
            plan.outputs += [fen.alias(f"{pid}.monthly_fen"), none.alias(f"{pid}.one_time_fen")]
            total = pl.col(f"{pid}.monthly_fen") * amount.months if amount.months else none
        else:
            plan.outputs += [none.alias(f"{pid}.monthly_fen"), fen.alias(f"{pid}.one_time_fen")]
            total = pl.col(f"{pid}.one_time_fen")
        plan.totals = [total.alias(f"{pid}.total_fen")]
    return plan


def evaluate_frame(df: pl.DataFrame, *, as_of: dt.date, policies: Iterable[str] | None = None,
                   catalog: Catalog | None = None) -> pl.DataFrame:
    """Evaluate the catalog's person-level policies (or the given ids) for every row of `df`."""
    return evaluation_plan(df, as_of=as_of, policies=policies, catalog=catalog).collect()


def evaluation_plan(df: pl.DataFrame, *, as_of: dt.date, policies: Iterable[str] | None = None,
                    catalog: Catalog | None = None) -> pl.LazyFrame:
    """evaluate_frame's query, not yet run (to profile it, or explain it)."""
    catalog = catalog or default_catalog()
    selected = catalog.person_policies() if policies is None else [catalog.policies[p] for p in policies]
    if any(policy.subject != "person" for policy in selected):  # teams and organizations: evaluate.py only
        raise ValueError("the batch path evaluates a person's policies only")
    code_type = pl.Enum(catalog.codes)
    compiler = Compiler(as_of, date_range=_date_ranges(df))
    plans = [_policy_plan(policy, compiler, code_type) for policy in selected]
    frame = _conform(df).with_columns(compiler.base_columns())  # after compiling: only what they read
    for stage in range(max((len(plan.lets) for plan in plans), default=0)):
        frame = frame.with_columns([e for plan in plans if stage < len(plan.lets) for e in plan.lets[stage]])
    frame = frame.with_columns([e for plan in plans for e in plan.checks])
    frame = frame.with_columns([plan.decider for plan in plans if plan.decider is not None])
    frame = frame.with_columns([e for plan in plans for e in plan.outputs])
    keep = ["person_id"] if "person_id" in df.columns else []
    outputs = []
    for plan in plans:
        outputs += [pl.col(e.meta.output_name()) for e in plan.outputs[:4]] + plan.totals
    return frame.select(*keep, *outputs)


def choices_frame(inputs: pl.DataFrame, results: pl.DataFrame, *, as_of: dt.date,
                  catalog: Catalog | None = None) -> pl.DataFrame:
    """The calculator's ``choices`` for every row, columnar: for each exclusive group (不可兼得) that
    applies to a person with two or more eligible options, the recommended one — the highest total when
    every option has one, else the highest monthly amount; ties go to the option listed first.

    Returns ``person_id``, ``exclusive_group``, ``options`` (List[String]) and ``recommended``.
    """
    catalog = catalog or default_catalog()
    compiler = Compiler(as_of)
    conformed = _conform(inputs)
    frames = []
    for group in catalog.groups.values():
        members = [m for m in group.members if f"{m}.status" in results.columns]
        if len(members) < 2:
            continue
        applies = pl.lit(True) if group.applies_when is None else compiler.bool(group.applies_when).fill_null(False)
        base = conformed.with_columns(compiler.base_columns())  # after compiling: what `applies` reads
        applies_col = base.select(applies.alias("applies")).collect()["applies"]

        def eligible(m: str) -> pl.Expr:
            return pl.col(f"{m}.status") == STATUS[True]

        def amount(m: str, kind: str) -> pl.Expr:
            name = f"{m}.{kind}_fen"
            return pl.col(name) if name in results.columns else pl.lit(None, dtype=pl.Int64)

        bounded = pl.all_horizontal([~eligible(m) | amount(m, "total").is_not_null() for m in members])
        worth = {m: pl.when(eligible(m)).then(pl.when(bounded).then(amount(m, "total"))
                                               .otherwise(amount(m, "monthly")).fill_null(0)) for m in members}
        # The first member with the greatest worth: walk from the last so that earlier members win ties.
        best = pl.lit(None, dtype=pl.String)
        best_worth = pl.lit(None, dtype=pl.Int64)
        for m in reversed(members):
            better = eligible(m) & (best_worth.is_null() | (worth[m] >= best_worth))
            best = pl.when(better).then(pl.lit(m)).otherwise(best)
            best_worth = pl.when(better).then(worth[m]).otherwise(best_worth)
        options = pl.concat_list([pl.when(eligible(m)).then(pl.lit(m)) for m in members]).list.drop_nulls()
        frames.append(
            results.lazy().with_columns(applies_col)
            .filter(pl.col("applies") & (pl.sum_horizontal([eligible(m).cast(pl.Int32) for m in members]) >= 2))
            .select("person_id", pl.lit(group.id).alias("exclusive_group"), options.alias("options"),
                    best.alias("recommended"))
        )
    if not frames:
        return pl.DataFrame(schema={"person_id": pl.Int64, "exclusive_group": pl.String,
                                    "options": pl.List(pl.String), "recommended": pl.String})
    return pl.concat(frames).collect()
