"""政策找人 at scale, step by step (read / evaluate / store / swap, as `rencai match` prints them), on a database
that already holds the demo pool (e.g. `bench/db.py`'s, or your own after `rencai demo --size 1000000`):

    .venv/bin/python bench/match.py --db postgres://postgres@127.0.0.1:5432/rencai_gen_test [--changes 1000]
                                    [--first [--runs 3]] [--dask]

Times, each as its own `rencai match` process (wall time, Python start-up included), with the load average:
``--first``: the first run into an empty result set (the set is emptied first: TRUNCATE); a run with nothing
changed; a run after ``--changes`` talents changed (half of them edited, half granted an entitlement); a full
run (``--full``); with ``--dask`` a full run on a local Dask cluster (a scheduler and two workers started here
and stopped after).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
RENCAI = str(Path(sys.executable).parent / "rencai")


def timed(label: str, argv: list[str], env: dict) -> float:
    load = os.getloadavg()[0]
    started = time.perf_counter()
    out = subprocess.run([RENCAI, "match", *argv], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    steps = [line for line in out.stdout.splitlines() if "秒" in line or "评估日" in line]
    print(f"{label}: {wall:.1f} s (load {load:.2f} → {os.getloadavg()[0]:.2f})", flush=True)
    for line in steps:
        print(f"    {line}", flush=True)
    return wall


def emptied(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("TRUNCATE policies_policymatch, policies_matchcount, policies_matchrun")


def change(url: str, count: int) -> None:
    """Half the talents edited (rent raised), half granted an entitlement (so no longer a match)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE talents_talent SET monthly_rent = monthly_rent + 100, updated_at = now() WHERE id IN "
                     "(SELECT id FROM talents_talent WHERE housing_status = 'renting' ORDER BY id LIMIT %s)",
                     [count // 2])
        conn.execute("INSERT INTO payments_entitlement (talent_id, policy, monthly_fen, months, start_month, "
                     "end_month, payee, status, end_reason, created_at) "
                     "SELECT id, 'sy-rent-subsidy', 150000, 12, DATE '2026-01-01', DATE '2026-12-01', 'talent', "
                     "'active', '', now() FROM talents_talent t WHERE housing_status = 'renting' AND NOT EXISTS "
                     "(SELECT 1 FROM payments_entitlement e WHERE e.talent_id = t.id AND e.status = 'active' "
                     "AND e.policy = 'sy-rent-subsidy') ORDER BY id DESC LIMIT %s", [count - count // 2])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--changes", type=int, default=1000)
    parser.add_argument("--first", action="store_true", help="empty the result set first (TRUNCATE)")
    parser.add_argument("--runs", type=int, default=1, help="with --first: first runs, each into an emptied set "
                        "(the median is printed)")
    parser.add_argument("--dask", action="store_true")
    args = parser.parse_args()
    env = {**os.environ, "DATABASE_URL": args.db}
    with psycopg.connect(args.db, autocommit=True) as conn:
        talents = conn.execute("SELECT count(*) FROM talents_talent").fetchone()[0]
    print(f"{talents} talents, {os.cpu_count()} cores", flush=True)
    if args.first:
        walls = []
        for number in range(1, args.runs + 1):
            emptied(args.db)
            walls.append(timed(f"first run (empty result set) {number}/{args.runs}", [], env))
        if args.runs > 1:
            print(f"first run: median {statistics.median(walls):.1f} s of {args.runs} "
                  f"({' / '.join(f'{w:.1f}' for w in walls)})", flush=True)
    timed("nothing changed", [], env)
    change(args.db, args.changes)
    timed(f"{args.changes} talents changed", [], env)
    timed("full run (--full)", ["--full"], env)
    if args.dask:
        dask = str(Path(sys.executable).parent / "dask")
        procs = [subprocess.Popen([dask, "scheduler", "--port", "8799",
                                   "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
        time.sleep(5)
        procs += [subprocess.Popen([dask, "worker", "tcp://127.0.0.1:8799",
                                    "--nthreads", "1", "--no-dashboard"], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL) for _ in range(2)]
        time.sleep(8)
        try:
            timed("full run on a local Dask cluster (2 workers)", ["--full", "--dask", "tcp://127.0.0.1:8799"], env)
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
