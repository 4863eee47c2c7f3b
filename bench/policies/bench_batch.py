"""Benchmark of the policy engine's two paths (not a test).

    .venv/bin/python bench/policies/bench_batch.py [--rows 1000000] [--single 1000] [--seed 7]

Generates synthetic profiles in memory (numpy, seeded), times the full catalog over all of them with the
batch path (status, deciding code and amounts for every person-level policy), reports memory, then times
the single-person calculator on a sample. Targets: ≤ 2 s for 1,000,000 profiles on 2 cores, ≤ 5 ms per
single call.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import time

import numpy as np
import polars as pl

from rencai.policies.batch import FRAME_SCHEMA, evaluate_frame
from rencai.policies.calculator import calculate, default_catalog
from rencai.policies.fields import FIELDS

AS_OF = dt.date(2023, 6, 1)
EPOCH = dt.date(1970, 1, 1)


def _pick(rng: np.random.Generator, values: list, n: int, dtype: pl.DataType) -> pl.Series:
    """n values drawn from a short list, built by gathering (no per-row Python objects)."""
    return pl.Series(values, dtype=dtype).gather(rng.integers(0, len(values), n))


def synthetic_frame(n: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    as_of_days = (AS_OF - EPOCH).days
    birth = as_of_days - rng.integers(18 * 365, 65 * 365, n)
    graduation = np.minimum(birth + rng.integers(19 * 365, 35 * 365, n), as_of_days)
    bought = rng.random(n) < 0.3
    purchase_day = np.minimum(graduation + rng.integers(0, 9 * 365, n), as_of_days)
    renting = rng.random(n) < 0.6
    text = {name: FRAME_SCHEMA[name] for name in FRAME_SCHEMA if FIELDS[name].type.value == "text"}
    lists = pl.List(pl.String)
    frame = pl.DataFrame({
        "person_id": np.arange(n),
        "city": _pick(rng, ["210100", "210100", "210100", "320600", "410100", None], n, text["city"]),
        "birth_date": pl.Series(birth, dtype=pl.Int32).cast(pl.Date),
        "returnee": rng.random(n) < 0.2,
        "degree": _pick(rng, [*FIELDS["degree"].domain, None], n, text["degree"]),
        "graduation_date": pl.Series(graduation, dtype=pl.Int32).cast(pl.Date),
        "talent_category": _pick(rng, ["", "", "", "", "A", "B", "C", "D", "D"], n, text["talent_category"]),
        "professional_title": _pick(rng, ["", *FIELDS["professional_title"].domain], n,
                                    text["professional_title"]),
        "skill_level": _pick(rng, ["", "", "", *FIELDS["skill_level"].domain], n, text["skill_level"]),
        "honors": _pick(rng, [[], [], [], [], ["top_talent_award"], ["national_technical_expert"],
                              ["liaoning_craftsman"], ["china_skills_award"]], n, lists),
        "employment.employer_type": _pick(rng, list(FIELDS["employment.employer_type"].domain), n,
                                          text["employment.employer_type"]),
        "employment.in_city": rng.random(n) < 0.9,
        "housing.renting": renting,
        "housing.monthly_rent": rng.integers(50_000, 800_000, n),  # fen
        "housing.rent_area_sqm": rng.integers(2_000, 15_000, n),  # hundredths of a ㎡
        "housing.apartment_available": rng.random(n) < 0.5,
        "has_purchase": bought,
        "purchase.date": pl.Series(purchase_day, dtype=pl.Int32).cast(pl.Date),
        "purchase.first_home": rng.random(n) < 0.8,
        "purchase.self_occupied": rng.random(n) < 0.9,
        "certified_training": _pick(rng, [[], [], [], ["startup_guidance"], ["startup_coaching"],
                                          ["startup_guidance", "startup_coaching"]], n, lists),
        "received": pl.Series([[]], dtype=lists).gather(np.zeros(n, dtype=np.int64)),
    })
    # Rent only for renters, purchase details only for buyers.
    rent = ["housing.monthly_rent", "housing.rent_area_sqm"]
    bought_cols = ["purchase.date", "purchase.first_home", "purchase.self_occupied"]
    return frame.with_columns(
        *[pl.when(pl.col("housing.renting")).then(pl.col(c)).alias(c) for c in rent],
        *[pl.when(pl.col("has_purchase")).then(pl.col(c)).alias(c) for c in bought_cols],
    )


def single_profiles(frame: pl.DataFrame, count: int) -> list[dict]:
    """Turn frame rows back into contract profiles for the single-person path."""
    people = []
    for row in frame.head(count).iter_rows(named=True):
        profile = {
            "city": row["city"], "birth_date": row["birth_date"].isoformat(), "returnee": row["returnee"],
            "degree": row["degree"], "graduation_date": row["graduation_date"].isoformat(),
            "talent_category": row["talent_category"] or None,
            "professional_title": row["professional_title"] or None,
            "skill_level": row["skill_level"] or None, "honors": row["honors"],
            "employment": {"employer_type": row["employment.employer_type"],
                           "in_city": row["employment.in_city"]},
            "housing": {"renting": row["housing.renting"],
                        "apartment_available": row["housing.apartment_available"]},
            "training": [{"kind": kind, "certified": True} for kind in row["certified_training"]],
        }
        if row["housing.renting"]:
            profile["housing"]["monthly_rent"] = row["housing.monthly_rent"] / 100
            profile["housing"]["rent_area_sqm"] = row["housing.rent_area_sqm"] / 100
        if row["has_purchase"]:
            profile["purchase"] = {"date": row["purchase.date"].isoformat(),
                                   "first_home": row["purchase.first_home"],
                                   "self_occupied": row["purchase.self_occupied"]}
        people.append(profile)
    return people


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--single", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    catalog = default_catalog()
    policies = catalog.person_policies()
    print(f"polars {pl.__version__}, {pl.thread_pool_size()} threads; catalog: {len(policies)} person-level "
          f"policies, {len(catalog.codes)} explanation codes")

    started = time.perf_counter()
    frame = synthetic_frame(args.rows, args.seed)
    print(f"generated {frame.height:,} profiles in {time.perf_counter() - started:.2f} s "
          f"({frame.estimated_size('mb'):.0f} MB)")

    evaluate_frame(frame.head(1000), as_of=AS_OF)  # warm-up: compile caches, thread pool
    timings = []
    result = None
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = evaluate_frame(frame, as_of=AS_OF)
        timings.append(time.perf_counter() - started)
    assert result is not None
    eligible = sum(int((result[f"{p.id}.status"] == 1).sum()) for p in policies)
    total_fen = sum(int(result[f"{p.id}.total_fen"].sum() or 0) for p in policies
                    if f"{p.id}.total_fen" in result.columns)
    print(f"batch: {frame.height:,} profiles × {len(policies)} policies in {min(timings):.2f} s "
          f"(best of {args.repeat}: {', '.join(f'{t:.2f}' for t in timings)}); "
          f"result {result.width} columns, {result.estimated_size('mb'):.0f} MB")
    print(f"       {eligible:,} eligible (person, policy) pairs; bounded totals {total_fen / 100:,.2f} yuan")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

    people = single_profiles(frame, args.single)
    calculate(people[0], as_of=AS_OF)
    per_call = []
    for person in people:
        started = time.perf_counter()
        calculate(person, as_of=AS_OF)
        per_call.append(time.perf_counter() - started)
    print(f"single: median {statistics.median(per_call) * 1000:.2f} ms, "
          f"p95 {sorted(per_call)[int(len(per_call) * 0.95)] * 1000:.2f} ms over {len(people)} profiles")


if __name__ == "__main__":
    main()
