"""Every speed requirement of the policy engine, in one run over one seeded synthetic population.

    .venv/bin/python bench/policies/bench_all.py [--size 1000000] [--seed 7] [--single 1000] [--repeat 5]
    make bench            # installs the bench extra (openfisca-core) first

1. batch: the full catalog (status, explanation code and integer-fen amounts of every person-level policy)
   over all talents, data already in memory;
2. the living / rent / purchase subsidies (numpy_rules.SUBSET) on the same data in three implementations —
   the engine's batch path, OpenFisca written the way its documentation teaches (openfisca_rules.py) and
   numpy by hand (numpy_rules.py) — checked to agree person by person (entitled, amount and total in fen)
   before any time is printed;
3. single person: the calculator per call, and 1,000 JSON profiles through it against OpenFisca's
   ``SimulationBuilder().build_from_entities`` on the same profiles (the calculator both asked for the same
   subset of policies and for its whole catalog), the answers again checked to agree;
4. what-if (rencai.policies.whatif.simulate) over all talents, re-computing only the touched policy;
5. peak memory of the batch, and integer dtypes for every money column.

Times are wall-clock seconds on this machine; each figure is the best of ``--repeat`` runs (the machine is
shared, and the best run is the one least disturbed), the median is printed beside it; implementations that
are compared run in alternation, round by round. OpenFisca's batch is timed on the whole population unless
``--openfisca-size`` asks for fewer, and then the figure is scaled and says so. Exit status 1 if a target is
missed. The whole run takes under a minute at 1,000,000 talents.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib.metadata
import json
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rencai.config.settings.dev")
# The shipped catalog (what numpy_rules and openfisca_rules encode), never a publication read from a database.
os.environ["RENCAI_CATALOG_RECHECK_SECONDS"] = "0"

import django

django.setup()

import numpy as np  # noqa: E402
import numpy_rules  # noqa: E402
import openfisca_rules  # noqa: E402
import polars as pl  # noqa: E402
import population  # noqa: E402
from openfisca_core.simulations import SimulationBuilder  # noqa: E402

from rencai.policies.batch import evaluate_frame  # noqa: E402
from rencai.policies.calculator import calculate, default_catalog, to_json  # noqa: E402
from rencai.policies.engine.catalog import Catalog  # noqa: E402
from rencai.policies.whatif import simulate  # noqa: E402

AS_OF = dt.date(2025, 9, 1)  # every subset policy in force (Nantong's from 2025-08-25); a month's 1st
SUBSET = numpy_rules.SUBSET
WHAT_IF = {"sy-living-subsidy-graduate.doctor": 3000}
GB = 1024**3


# -- measuring -------------------------------------------------------------------------------------------


@dataclass
class Figure:
    label: str
    value: float
    unit: str
    target: float
    at_most: bool  # True: value ≤ target passes; False: value ≥ target passes
    detail: str = ""

    @property
    def passed(self) -> bool:
        return self.value <= self.target if self.at_most else self.value >= self.target

    def row(self) -> str:
        sign = "≤" if self.at_most else "≥"
        return (f"{self.label:<66} {_number(self.value)} {self.unit:<4} {sign} {_number(self.target)} "
                f"{self.unit:<4} {'PASS' if self.passed else 'FAIL'}"
                + (f"\n{'':<6}{self.detail}" if self.detail else ""))


def _number(value: float) -> str:
    return f"{value:>9.3f}" if value < 100 else f"{value:>9,.0f}"


@dataclass
class Timing:
    runs: list[float]

    @property
    def best(self) -> float:
        return min(self.runs)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def text(self) -> str:
        return f"best of {len(self.runs)}; median {self.median:.3f} s; runs " + ", ".join(f"{t:.3f}" for t in self.runs)


def timed(run: Callable[[object], object], repeat: int, setup: Callable[[], object] | None = None
          ) -> tuple[Timing, object]:
    """Time `run(setup())` `repeat` times (setup untimed); return the timings and the last result."""
    runs, result = [], None
    for _ in range(repeat):
        prepared = setup() if setup else None
        gc.collect()
        started = time.perf_counter()
        result = run(prepared)
        runs.append(time.perf_counter() - started)
    return Timing(runs), result


def interleaved(runs: dict[str, tuple[Callable[[object], object], Callable[[], object] | None]], repeat: int
                ) -> dict[str, tuple[Timing, object]]:
    """Time several implementations round by round (A, B, C, A, B, C, ...), so that a burst of load from
    other work on the machine falls on all of them alike rather than on one."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    results: dict[str, object] = {}
    for _ in range(repeat):
        for name, (run, setup) in runs.items():
            timing, results[name] = timed(run, 1, setup)
            times[name] += timing.runs
    return {name: (Timing(times[name]), results[name]) for name in runs}


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: kilobytes


def say(text: str = "") -> None:
    print(text, flush=True)


# -- the three implementations' answers, side by side -----------------------------------------------------


def engine_answers(result: pl.DataFrame) -> dict[str, dict[str, np.ndarray]]:
    """Per subset policy from the batch result: entitled (status true), amount and total in fen (0 if not)."""
    answers = {}
    for pid in SUBSET:
        amount = f"{pid}.monthly_fen" if pid in numpy_rules.MONTHLY else f"{pid}.one_time_fen"
        answers[pid] = {
            "eligible": (result[f"{pid}.status"] == 1).to_numpy(),
            "amount": result[amount].fill_null(0).to_numpy(),
            "total": result[f"{pid}.total_fen"].fill_null(0).to_numpy(),
        }
    return answers


def numpy_answers(results: dict[str, numpy_rules.Result]) -> dict[str, dict[str, np.ndarray]]:
    answers = {}
    for pid, res in results.items():
        months = numpy_rules.MONTHLY.get(pid, 1)
        answers[pid] = {"eligible": res.eligible, "amount": res.amount_fen,
                        "total": res.amount_fen * months if months else np.zeros_like(res.amount_fen)}
    return answers


def openfisca_answers(calculated: dict[str, dict[str, np.ndarray]]) -> dict[str, dict[str, np.ndarray]]:
    answers = {}
    for pid, names in openfisca_rules.OUTPUTS.items():
        values = calculated[pid]
        eligible, amount = values[names[0]], values[names[1]].astype(np.int64)
        if len(names) > 2:
            total = values[names[2]].astype(np.int64)
        else:
            total = amount if pid not in numpy_rules.MONTHLY else np.zeros_like(amount)  # open-ended rent
        answers[pid] = {"eligible": eligible, "amount": amount, "total": total}
    return answers


def calculator_answers(outputs: list[dict]) -> dict[str, dict[str, np.ndarray]]:
    """The same three figures from calculator results (eligible true; yuan → fen)."""

    def fen(value: object) -> int:
        return 0 if value is None else int(Decimal(str(value)) * 100)

    answers: dict[str, dict[str, list]] = {pid: {"eligible": [], "amount": [], "total": []} for pid in SUBSET}
    for output in outputs:
        by_policy = {r["policy"]: r for r in output["results"]}
        for pid in SUBSET:
            r = by_policy[pid]
            entitled = r["eligible"] is True
            amount = r["monthly_amount"] if pid in numpy_rules.MONTHLY else r["one_time_amount"]
            answers[pid]["eligible"].append(entitled)
            answers[pid]["amount"].append(fen(amount) if entitled else 0)
            answers[pid]["total"].append(fen(r["total"]) if entitled else 0)
    return {pid: {k: np.array(v) for k, v in a.items()} for pid, a in answers.items()}


def check_agreement(title: str, sides: dict[str, dict[str, dict[str, np.ndarray]]]) -> None:
    """Assert every implementation gives every person the same entitlement, amount and total; print it."""
    names = list(sides)
    first = sides[names[0]]
    say(f"{title}: {' = '.join(names)}")
    for pid in SUBSET:
        for other in names[1:]:
            for key in ("eligible", "amount", "total"):
                a, b = first[pid][key], sides[other][pid][key]
                differ = np.flatnonzero(a != b)
                assert differ.size == 0, (f"{pid}.{key}: {names[0]} and {other} differ for {differ.size} people, "
                                          f"first row {differ[0]}: {a[differ[0]]} vs {b[differ[0]]}")
        entitled = int(first[pid]["eligible"].sum())
        money = int(first[pid]["amount"].sum())
        say(f"  {pid:<32} {entitled:>9,} entitled, amounts {money / 100:>18,.2f} yuan — agree")


# -- main ------------------------------------------------------------------------------------------------


class SubsetCatalog(Catalog):
    """The full catalog (groups and their texts intact) asked for the subset's policies only."""

    def person_policies(self):  # type: ignore[override]
        return [self.policies[pid] for pid in SUBSET]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="talents in the population (1,000,000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--single", type=int, default=1_000, help="profiles for the single-person path")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per figure (best is reported)")
    parser.add_argument("--openfisca-size", type=int, default=None,
                        help="time OpenFisca's batch on the first N talents and scale (default: all)")
    args = parser.parse_args()
    n, repeat = args.size, args.repeat
    of_n = min(args.openfisca_size or n, n)
    figures: list[Figure] = []

    catalog = default_catalog()
    person_policies = catalog.person_policies()
    say(f"python {platform.python_version()}, numpy {np.__version__}, polars {pl.__version__} "
        f"({pl.thread_pool_size()} threads), openfisca-core {importlib.metadata.version('openfisca-core')}; "
        f"{os.cpu_count()} CPUs; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")
    say(f"load average (1, 5, 15 min) at the start: {load_average()} — the machine may be shared")
    say(f"catalog: {len(person_policies)} person-level policies, {len(catalog.codes)} explanation codes; "
        f"as_of {AS_OF}; subset: {', '.join(SUBSET)}")

    started = time.perf_counter()
    frame = population.synthetic_frame(n, args.seed, AS_OF)
    say(f"population: {n:,} synthetic talents (seed {args.seed}) generated in {time.perf_counter() - started:.2f} s, "
        f"{frame.estimated_size('mb'):.0f} MB; peak RSS so far {peak_rss() / GB:.2f} GB")

    # 1 + 5. The full catalog over everyone, then memory and dtypes.
    evaluate_frame(frame.head(1000), as_of=AS_OF)  # warm-up: catalog compiled, thread pool started
    batch_time, batch = timed(lambda _: evaluate_frame(frame, as_of=AS_OF), repeat)
    assert isinstance(batch, pl.DataFrame)
    batch_rss = peak_rss()
    money = [c for c in batch.columns if c.endswith("_fen")]
    assert money and all(batch.schema[c].is_integer() for c in money), "money columns must be integers"
    statuses = [c for c in batch.columns if c.endswith(".status")]
    codes = [c for c in batch.columns if c.endswith(".code")]
    assert len(statuses) == len(codes) == len(person_policies)
    assert all(isinstance(batch.schema[c], pl.Enum) for c in codes)
    assert batch[codes].null_count().sum_horizontal().item() == 0, "every person gets a deciding code"
    dtypes = sorted({str(batch.schema[c]) for c in money})
    say(f"batch result: {batch.height:,} rows × {batch.width} columns ({len(codes)} explanation-code columns, "
        f"none empty; {len(money)} money columns, dtypes {', '.join(dtypes)}), {batch.estimated_size('mb'):.0f} MB")
    del batch
    gc.collect()

    # 2. The subset in the engine, numpy and OpenFisca.
    arrays = population.subset_arrays(frame)
    evaluate_frame(frame.head(1000), as_of=AS_OF, policies=SUBSET)
    numpy_rules.evaluate(arrays, AS_OF)  # warm-up: first touch of fresh memory
    tax_benefit_system = openfisca_rules.TalentSubsidies()
    of_arrays = arrays if of_n == n else arrays.take(slice(0, of_n))
    warm = openfisca_rules.build_simulation(tax_benefit_system, arrays.take(slice(0, 1000)), AS_OF)
    openfisca_rules.calculate(warm, AS_OF)
    started = time.perf_counter()
    openfisca_rules.build_simulation(tax_benefit_system, of_arrays, AS_OF)
    of_build = time.perf_counter() - started
    peers = interleaved({
        "engine": (lambda _: evaluate_frame(frame, as_of=AS_OF, policies=SUBSET), None),
        "numpy": (lambda _: numpy_rules.evaluate(arrays, AS_OF), None),
        # A fresh simulation each round (built untimed): OpenFisca caches what it has calculated.
        "OpenFisca": (lambda simulation: openfisca_rules.calculate(simulation, AS_OF),
                      lambda: openfisca_rules.build_simulation(tax_benefit_system, of_arrays, AS_OF)),
    }, repeat)
    (engine_time, engine_result), (numpy_time, numpy_result), (of_time, of_result) = peers.values()
    assert isinstance(engine_result, pl.DataFrame)
    engine = engine_answers(engine_result)
    rows = slice(0, of_n)
    check_agreement(
        f"subset over {of_n:,} talents, person by person (entitled, amount fen, total fen)",
        {"engine batch": {p: {k: v[rows] for k, v in a.items()} for p, a in engine.items()},
         "numpy": {p: {k: v[rows] for k, v in a.items()} for p, a in numpy_answers(numpy_result).items()},  # type: ignore[arg-type]
         "OpenFisca": openfisca_answers(of_result)})  # type: ignore[arg-type]
    if of_n < n:
        check_agreement(f"subset over all {n:,} talents", {"engine batch": engine,
                                                           "numpy": numpy_answers(numpy_result)})  # type: ignore[arg-type]
    of_scale = n / of_n

    # 3. Single person: per call, then 1,000 JSON profiles against OpenFisca's build_from_entities.
    head = frame.head(args.single)
    people = population.profiles(head)
    single_arrays = arrays.take(slice(0, len(people)))
    profile_texts = [json.dumps(p) for p in people]
    situation_texts = [json.dumps(openfisca_rules.situation(single_arrays, i, AS_OF)) for i in range(len(people))]
    month = openfisca_rules.month_of(AS_OF)
    subset_catalog = SubsetCatalog(policies=catalog.policies, groups=catalog.groups)
    calculate(people[0], as_of=AS_OF)

    per_call = []
    for person in people:
        started = time.perf_counter()
        calculate(person, as_of=AS_OF)
        per_call.append(time.perf_counter() - started)
    per_call.sort()

    def through_calculator(cat: Catalog) -> Callable[[object], list[dict]]:
        return lambda _: [calculate(json.loads(text), as_of=AS_OF, catalog=cat) for text in profile_texts]

    def through_openfisca(_: object) -> list[dict]:
        out = []
        for text in situation_texts:
            simulation = SimulationBuilder().build_from_entities(tax_benefit_system, json.loads(text))
            out.append({name: simulation.calculate(name, month)[0] for names in openfisca_rules.OUTPUTS.values()
                        for name in names})
        return out

    through_openfisca(None)
    singles = interleaved({"subset": (through_calculator(subset_catalog), None),
                           "full": (through_calculator(catalog), None),
                           "OpenFisca": (through_openfisca, None)}, repeat)
    (calc_subset_time, calc_subset), (calc_full_time, calc_full), (of_single_time, of_single) = singles.values()
    assert isinstance(calc_full, list) and isinstance(calc_subset, list) and isinstance(of_single, list)
    started = time.perf_counter()
    for output in calc_full:
        to_json(output, indent=None)  # what POST /api/calc answers
    to_json_time = time.perf_counter() - started
    started = time.perf_counter()
    for output in calc_full:
        to_json(output)  # indented, as `rencai calc` prints
    to_json_pretty_time = time.perf_counter() - started
    of_single_arrays = {pid: {name: np.array([o[name] for o in of_single]) for name in names}
                        for pid, names in openfisca_rules.OUTPUTS.items()}
    check_agreement(
        f"single path over {len(people):,} JSON profiles (entitled, amount fen, total fen)",
        {"calculator (full catalog)": calculator_answers(calc_full),
         "calculator (subset)": calculator_answers(calc_subset),
         "OpenFisca build_from_entities": openfisca_answers(of_single_arrays),
         "numpy": {p: {k: v[: len(people)] for k, v in a.items()}
                   for p, a in numpy_answers(numpy_result).items()}})  # type: ignore[arg-type]

    # 4. What-if: one amount changed, only its policy re-computed, before and after.
    simulate(frame.head(1000), AS_OF, WHAT_IF)
    whatif_time, whatif = timed(lambda _: simulate(frame, AS_OF, WHAT_IF), repeat)
    assert isinstance(whatif, pl.DataFrame)
    pid = next(iter(WHAT_IF)).rpartition(".")[0]  # a monthly subsidy with a fixed duration
    base, after = numpy_result[pid], numpy_rules.evaluate(arrays, AS_OF, amounts=WHAT_IF)[pid]  # type: ignore[index]
    duration = numpy_rules.MONTHLY[pid]
    assert whatif.height == 1 and duration
    row = whatif.row(0, named=True)
    expected = {
        "people_before": int(base.eligible.sum()), "people_after": int(after.eligible.sum()),
        "monthly_fen_before": int(base.amount_fen.sum()), "monthly_fen_after": int(after.amount_fen.sum()),
        "total_fen_before": int(base.amount_fen.sum()) * duration,
        "total_fen_after": int(after.amount_fen.sum()) * duration,
        "people_changed": int(((base.amount_fen != after.amount_fen) | (base.eligible != after.eligible)).sum()),
    }
    if "months_this_year" in row:
        months = min(13 - AS_OF.month, duration)  # from the evaluation month to December, within the duration
        expected |= {"months_this_year": months, "this_year_fen_before": int(base.amount_fen.sum()) * months,
                     "this_year_fen_after": int(after.amount_fen.sum()) * months}
    checked = {k: v for k, v in expected.items() if k in row}
    assert all(row[k] == v for k, v in checked.items()), {k: (row[k], v) for k, v in checked.items()}
    say(f"what-if {WHAT_IF} over {n:,} talents: {whatif.height} policy re-computed of {len(person_policies)}; "
        f"{', '.join(checked)} agree with numpy")
    for key, value in row.items():
        if key in ("policy", "title"):
            continue
        is_money = isinstance(value, int) and ("_fen_" in key)
        shown = f"{value / 100:,.2f} yuan" if is_money else value
        say(f"  {key:<22} {shown}")
    has_this_year = any(c.startswith("this_year") for c in whatif.columns)
    if not has_this_year:
        say("  NOTE: simulate() gives no 'this year' figure (only monthly and over the duration)")
    final_rss = peak_rss()

    # The figures.
    of_batch = of_time.best * of_scale
    scaled = f"; OpenFisca timed on the first {of_n:,} talents and SCALED ×{of_scale:g}" if of_scale != 1 else ""
    figures += [
        Figure(f"1 batch: full catalog ({len(person_policies)} policies, codes) × {n:,} talents", batch_time.best,
               "s", 2.0, True, batch_time.text()),
        Figure(f"2 subset ({len(SUBSET)} policies) × {n:,}: engine batch", engine_time.best, "s", float("inf"), True,
               engine_time.text()),
        Figure(f"2 subset × {n:,}: numpy by hand", numpy_time.best, "s", float("inf"), True, numpy_time.text()),
        Figure(f"2 subset × {n:,}: OpenFisca calculate", of_batch, "s", float("inf"), True,
               of_time.text() + f"; each simulation built from the arrays in {of_build:.2f} s (untimed)" + scaled),
        Figure("2 OpenFisca time / engine time", of_batch / engine_time.best, "×", 10.0, False,
               f"medians: {of_time.median * of_scale / engine_time.median:.1f}×"),
        # Issue 13: at most 2×, median against median of the runs, in alternation in one run.
        Figure(f"2 engine time / numpy time, medians of {repeat}", engine_time.median / numpy_time.median, "×",
               2.0, True, f"best against best: {engine_time.best / numpy_time.best:.2f}× (numpy runs on one core, "
                          f"Polars on {pl.thread_pool_size()})"),
        Figure(f"3 calculator per call, full catalog, median of {len(per_call):,}", statistics.median(per_call) * 1000,
               "ms", 5.0, True, f"p95 {per_call[int(len(per_call) * 0.95)] * 1000:.2f} ms, "
                                f"max {per_call[-1] * 1000:.2f} ms; explanations (reasons) included"),
        Figure(f"3 {len(people):,} JSON profiles: OpenFisca build_from_entities + calculate", of_single_time.best, "s",
               float("inf"), True, of_single_time.text()),
        Figure(f"3 {len(people):,} JSON profiles: calculator, subset policies", calc_subset_time.best, "s",
               float("inf"), True, calc_subset_time.text()),
        Figure(f"3 {len(people):,} JSON profiles: calculator, full catalog", calc_full_time.best, "s",
               float("inf"), True,
               calc_full_time.text() + f"; the contract's JSON of those results (to_json as POST /api/calc "
                                       f"answers) would add {to_json_time:.2f} s, indented "
                                       f"{to_json_pretty_time:.2f} s; one call + JSON: bench/policies/calc_json.py"),
        Figure("3 OpenFisca / calculator, same subset of rules", of_single_time.best / calc_subset_time.best, "×",
               10.0, False, f"medians: {of_single_time.median / calc_subset_time.median:.1f}×"),
        # Not a target: OpenFisca computes only the subset here, the calculator all policies; like for like
        # is the line above. Printed so that the cost of the full catalog stays visible.
        Figure(f"3 OpenFisca (subset) / calculator (all {len(person_policies)} policies)",
               of_single_time.best / calc_full_time.best, "×", float("inf"), True,
               f"medians: {of_single_time.median / calc_full_time.median:.1f}×; informative, not like for like"),
        Figure(f"4 what-if {next(iter(WHAT_IF))}={next(iter(WHAT_IF.values()))} × {n:,}", whatif_time.best, "s", 3.0,
               True, whatif_time.text() + ("" if has_this_year else "; NO 'this year' figure in simulate()")),
        Figure(f"5 peak RSS after the {n:,} batch", batch_rss / GB, "GB", 4.0, True,
               f"whole run incl. OpenFisca: {final_rss / GB:.2f} GB; money columns {', '.join(dtypes)} (asserted)"),
    ]
    say()
    say(f"{'figure':<66} {'measured':>14} {'target':>16} result")
    for figure in figures:
        if figure.target == float("inf"):
            say(f"{figure.label:<66} {_number(figure.value)} {figure.unit:<4} {'(reference)':>16}"
                + (f"\n{'':<6}{figure.detail}" if figure.detail else ""))
        else:
            say(figure.row())
    failed = [f for f in figures if f.target != float("inf") and not f.passed]
    say()
    say(f"load average at the end: {load_average()}")
    say(f"{len(figures) - len(failed) - sum(f.target == float('inf') for f in figures)} targets met, "
        f"{len(failed)} missed" + (": " + "; ".join(f.label for f in failed) if failed else ""))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
