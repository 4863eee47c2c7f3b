"""`rencai pay` over N active entitlements on PostgreSQL (its own database): the first run of a month, a re-run
that finds everything there, and the peak memory of each (the contract: ../shared/contracts/payments.md).

    .venv/bin/python bench/payments.py [N ...] [--runs R] [--server postgres://postgres@127.0.0.1:5432]

Default N: 100000 and 1000000, R = 3. For each N the database ``rencai_bench_payments`` is created afresh,
migrated, and filled with SQL: one talent registered through the service (a 博士 in 和平区), cloned N−1 times,
and one graduate living subsidy (2500 yuan a month, 36 months) each, start months spread over the past 36
months, with a budget line large enough. Each run deletes the month's payments first; the re-run follows it.
Prints every run and the medians; memory is the peak RSS of the `rencai pay` process.
"""

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

DB = "rencai_bench_payments"
RENCAI = str(Path(sys.executable).parent / "rencai")
MEASURE = ("import resource, subprocess, sys\n"
           "r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, text=True)\n"
           "sys.stdout.write(r.stdout)\n"
           "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
           "sys.exit(r.returncode)\n")
TEMPLATE = """
from rencai.accounts.models import User
from rencai.talents.services import talent_create
from rencai.talents.validation import talent_input_validate
from rencai.conftest import talent_data
admin = User.objects.create_superuser("bench-admin", password="bench-Pass-123", role="admin")
t = talent_create(actor=admin, data=talent_input_validate(talent_data()))
print(t.pk)
"""


def _env(server: str) -> dict:
    return {**os.environ, "DATABASE_URL": f"{server}/{DB}", "RENCAI_FIELD_KEY": os.environ.get(
        "RENCAI_FIELD_KEY", "dGVzdC1maWVsZC1rZXktMzItYnl0ZXMtbG9uZy4uLi4="),
        "RENCAI_HASH_KEY": os.environ.get("RENCAI_HASH_KEY", "dGVzdC1oYXNoLWtleS0zMi1ieXRlcy1sb25nLi4uLi4=")}


def prepare(server: str, n: int) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DB}")
    env = _env(server)
    subprocess.run([RENCAI, "migrate", "-v0"], env=env, check=True)
    out = subprocess.run([RENCAI, "shell", "-c", TEMPLATE], env=env, check=True, capture_output=True, text=True)
    template = int(out.stdout.strip().splitlines()[-1])
    started = time.perf_counter()
    with psycopg.connect(f"{server}/{DB}", autocommit=True) as db:
        columns = [r[0] for r in db.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'talents_talent' "
            "AND column_name NOT IN ('id', 'id_number_hash', 'user_id') ORDER BY ordinal_position").fetchall()]
        cols = ", ".join(columns)
        db.execute(f"INSERT INTO talents_talent ({cols}, id_number_hash) SELECT {cols}, 'bench-' || g "
                   f"FROM talents_talent t, generate_series(1, %s) g WHERE t.id = %s", [n - 1, template])
        db.execute("""
            INSERT INTO payments_entitlement (talent_id, policy, monthly_fen, months, start_month, end_month, payee,
                                              status, end_reason, created_at)
            SELECT id, 'sy-living-subsidy-graduate', 250000, 36, m, (m + interval '35 months')::date, 'talent',
                   'active', '', now()
            FROM (SELECT id, (date_trunc('month', now()) - (id % 36) * interval '1 month')::date AS m
                  FROM talents_talent) s""")
        db.execute("INSERT INTO payments_budgetline (policy, year, amount_fen, committed_fen, paid_fen, prepared_fen, "
                   "note, updated_at) VALUES ('sy-living-subsidy-graduate', %s, %s, 0, 0, 0, 'bench', now())",
                   [dt.date.today().year, 10**15])
        db.execute("VACUUM ANALYZE")
    print(f"  prepared {n:,} talents and entitlements in {time.perf_counter() - started:.0f} s", flush=True)


def _kept(server: str) -> int | None:
    try:
        with psycopg.connect(f"{server}/{DB}") as db:
            return db.execute("SELECT count(*) FROM payments_entitlement").fetchone()[0]
    except psycopg.Error:
        return None


def pay(server: str, month: str) -> tuple[float, dict, int]:
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", MEASURE, RENCAI, "pay", "--month", month, "--format", "json"],
                         env=_env(server), capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    return seconds, json.loads(run.stdout), int(run.stderr.strip().splitlines()[-1]) * 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (to profile)")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database of the same size")
    args = parser.parse_args()
    month = f"{dt.date.today():%Y-%m}"
    for n in args.sizes:
        print(f"N = {n:,} active entitlements, month {month}", flush=True)
        if not (args.reuse and _kept(args.server) == n):
            prepare(args.server, n)
        firsts, reruns, rss = [], [], []
        for i in range(args.runs):
            with psycopg.connect(f"{args.server}/{DB}", autocommit=True) as db:
                db.execute("TRUNCATE payments_batchline, payments_payment, payments_paymentskip")
                db.execute("UPDATE payments_budgetline SET prepared_fen = 0")
                db.execute("VACUUM ANALYZE payments_payment")
            seconds, out, peak = pay(args.server, month)
            assert out["created"] == n and out["payments_month"] == n, out
            firsts.append(seconds)
            rss.append(peak)
            again, out2, peak2 = pay(args.server, month)
            assert out2["created"] == 0 and out2["existing"] == n, out2
            reruns.append(again)
            rss.append(peak2)
            print(f"  run {i + 1}: first {seconds:.1f} s (peak {peak / 2**20:.0f} MB), "
                  f"re-run {again:.1f} s (peak {peak2 / 2**20:.0f} MB)", flush=True)
        print(f"  load average {os.getloadavg()[0]:.1f} (1 min) at the end", flush=True)
        print(f"  median: first {statistics.median(firsts):.1f} s, re-run {statistics.median(reruns):.1f} s, "
              f"peak RSS max {max(rss) / 2**20:.0f} MB", flush=True)
    if not args.keep:
        with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")


if __name__ == "__main__":
    main()
