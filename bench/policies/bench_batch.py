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


def _choice(rng: np.random.Generator, values: list, n: int, missing: float = 0.0) -> list:
    picked = rng.choice(np.array(values, dtype=object), size=n)
    if missing:
        picked[rng.random(n) < missing] = None
    return picked.tolist()


def synthetic_frame(n: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    as_of_days = (AS_OF - EPOCH).days
    birth = as_of_days - rng.integers(18 * 365, 65 * 365, n)
    graduation = birth + rng.integers(19 * 365, 35 * 365, n)
    graduation = np.minimum(graduation, as_of_days)
    bought = rng.random(n) < 0.3
    purchase_day = np.where(bought, graduation + rng.integers(0, 9 * 365, n), 0)
    purchase_day = np.minimum(purchase_day, as_of_days)
    renting = rng.random(n) < 0.6
    honors = _choice(rng, [[], [], [], [], ["top_talent_award"], ["national_technical_expert"],
                           ["liaoning_craftsman"], ["china_skills_award"]], n)
    training = _choice(rng, [[], [], [], ["startup_guidance"], ["startup_coaching"],
                             ["startup_guidance", "startup_coaching"]], n)
    data = {
        "person_id": np.arange(n),
        "city": _choice(rng, ["210100", "210100", "210100", "320600", "410100"], n, missing=0.02),
        "birth_date": pl.Series(birth, dtype=pl.Int32).cast(pl.Date),
        "returnee": rng.random(n) < 0.2,
        "degree": _choice(rng, list(FIELDS["degree"].domain), n, missing=0.05),
        "graduation_date": pl.Series(graduation, dtype=pl.Int32).cast(pl.Date),
        "talent_category": _choice(rng, ["", "", "", "", "A", "B", "C", "D", "D"], n),
        "professional_title": _choice(rng, ["", "junior", "intermediate", "associate_senior", "senior"], n),
        "skill_level": _choice(rng, ["", "", "", "senior_worker", "technician", "senior_technician",
                                     "special_technician"], n),
        "honors": honors,
        "employment.employer_type": _choice(rng, list(FIELDS["employment.employer_type"].domain), n),
        "employment.in_city": rng.random(n) < 0.9,
        "housing.renting": renting,
        "housing.monthly_rent": np.where(renting, rng.integers(50_000, 800_000, n), None).tolist(),
        "housing.rent_area_sqm": np.where(renting, rng.integers(2_000, 15_000, n), None).tolist(),
        "housing.apartment_available": rng.random(n) < 0.5,
        "has_purchase": bought,
        "purchase.date": pl.Series(np.where(bought, purchase_day, None).tolist(), dtype=pl.Int32).cast(pl.Date),
        "purchase.first_home": np.where(bought, rng.random(n) < 0.8, None).tolist(),
        "purchase.self_occupied": np.where(bought, rng.random(n) < 0.9, None).tolist(),
        "certified_training": training,
        "received": [[] for _ in range(n)],
    }
    schema = {"person_id": pl.Int64, **{k: v for k, v in FRAME_SCHEMA.items() if k in data}}
    return pl.DataFrame(data, schema=schema)


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
