"""One calculator call in process, serialised to the contract's JSON: the target is a median of at most 1 ms.

    .venv/bin/python bench/policies/calc_json.py [--calls 1000] [--repeat 5]

For each of a few representative profiles (the contract's worked example, the same with a rent that gives an
exact Decimal amount, a skilled worker who bought a first home, a Nantong returnee, a person who gave only a
city, a team and an organization), ``calls`` calls of ``to_json(calculate(profile), indent=None)`` — exactly
what POST /api/calc answers (policies/api.py) — each timed on its own; the median of them is the figure. The
calculate and the to_json halves are timed apart as well, and the pretty form (``indent=2``, what
``rencai calc`` prints) is shown beside it. Then the bench's 1,000 synthetic profiles (population.py), each
called ``repeat`` times, median over all calls. The catalog is the shipped one (no database is read).
Exit status 1 if a median misses the target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rencai.config.settings.dev")
os.environ["RENCAI_CATALOG_RECHECK_SECONDS"] = "0"  # the shipped catalog: no database read while timing

import django

django.setup()

import json  # noqa: E402

import population  # noqa: E402

from rencai.policies.calculator import calculate, to_json  # noqa: E402

TARGET_MS = 1.0
AS_OF = dt.date(2025, 9, 1)
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "contracts" / "examples" / "doctor-renting-shenyang.json"


def profiles() -> dict[str, dict]:
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    exact = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    exact["housing"]["monthly_rent"] = 3201  # 3201 × 75/80 × 50% = 1500.47 yuan: a Decimal in the JSON
    return {
        "worked example (doctor renting in Shenyang)": example,
        "worked example, rent 3201 (Decimal amounts)": exact,
        "高级技师, first home bought, Shenyang": {
            "as_of": "2025-09-01", "city": "shenyang", "birth_date": "1980-03-01", "skill_level": "senior_technician",
            "honors": ["national_technical_expert"],
            "employment": {"employer_type": "enterprise", "in_city": True, "start_date": "2015-01-01"},
            "housing": {"owns_home_in_city": True, "renting": False},
            "purchase": {"date": "2025-05-10", "first_home": True, "self_occupied": True},
        },
        "returnee master, Nantong": {
            "as_of": "2025-09-01", "city": "nantong", "birth_date": "1994-11-20", "returnee": True,
            "degree": "master", "graduation_date": "2024-06-30",
            "purchase": {"date": "2025-08-30", "first_home": True, "self_occupied": True},
        },
        "only a city (most results unknown)": {"as_of": "2025-09-01", "city": "shenyang"},
        "team (subject team)": {"as_of": "2025-09-01", "subject": "team", "city": "shenyang",
                                "team": {"kind": "innovation", "introduced": True, "added_members": 3}},
        "organization (subject organization)": {
            "as_of": "2025-09-01", "subject": "organization", "city": "shenyang",
            "organization": {"type": "enterprise", "industry_field": "leading", "key_enterprise": True},
            "stations": [{"kind": "postdoc_workstation", "new": True}]},
    }


def _ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


def timed_calls(people: list[dict], rounds: int, indent: int | None) -> tuple[list[float], list[float], list[float]]:
    """Per call (`rounds` times over `people`): calculate + to_json together, and each half."""
    whole, calc, text = [], [], []
    calculate(people[0])  # warm: the catalog's per-policy memo
    gc.collect()
    for _ in range(rounds):
        for person in people:
            started = time.perf_counter()
            result = calculate(person)
            middle = time.perf_counter()
            to_json(result, indent=indent)
            ended = time.perf_counter()
            whole.append(ended - started)
            calc.append(middle - started)
            text.append(ended - middle)
    return whole, calc, text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000, help="timed calls per profile (1,000)")
    parser.add_argument("--repeat", type=int, default=5, help="calls per synthetic profile (5)")
    args = parser.parse_args()
    print(f"python {platform.python_version()}; {os.cpu_count()} CPUs; load average (1, 5, 15 min) "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} — the machine may be shared", flush=True)
    print(f"\n{'profile':<46} {'results':>7} {'bytes':>7}  {'call + JSON':>11}  {'calculate':>9}  {'to_json':>8}  "
          f"{'pretty (indent=2)':>17}")
    medians = []
    for name, profile in profiles().items():
        body = to_json(calculate(profile), indent=None)
        assert json.loads(body)["results"], name
        whole, calc, text = timed_calls([profile], args.calls, None)
        pretty, _, _ = timed_calls([profile], args.calls, 2)
        medians.append(_ms(whole))
        print(f"{name:<46} {len(json.loads(body)['results']):>7} {len(body.encode()):>7}  {_ms(whole):>8.3f} ms  "
              f"{_ms(calc):>6.3f} ms  {_ms(text):>5.3f} ms  {_ms(pretty):>14.3f} ms", flush=True)

    frame = population.synthetic_frame(1000, 7, AS_OF)
    people = population.profiles(frame)
    for person in people:
        person["as_of"] = AS_OF.isoformat()
    whole, calc, text = timed_calls(people, args.repeat, None)
    medians.append(_ms(whole))
    print(f"{f'{len(people):,} synthetic profiles × {args.repeat}':<46} {'':>7} {'':>7}  {_ms(whole):>8.3f} ms  "
          f"{_ms(calc):>6.3f} ms  {_ms(text):>5.3f} ms")
    worst = max(medians)
    passed = worst <= TARGET_MS
    print(f"\nslowest median of one call + the contract's JSON (as POST /api/calc answers): {worst:.3f} ms "
          f"≤ {TARGET_MS:.0f} ms {'PASS' if passed else 'FAIL'}")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
