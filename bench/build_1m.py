"""The talents of the benchmark pool alone, timed step by step on a fresh PostgreSQL database (what the
generator and 政策找人 own, without the demo's other records: accounts, recognition, payments, documents).

    .venv/bin/python bench/build_1m.py [--size 1000000] [--seed 2023] [--db rencai_bench_talents_1m]

Creates the database (dropped first if it exists), then times: migrate, load_policies, the generator
(rencai.demo.generator.demo_load, COPY), the demo accounts, and `rencai match` end to end.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgres://postgres@127.0.0.1:5432"

parser = argparse.ArgumentParser()
parser.add_argument("--size", type=int, default=1_000_000)
parser.add_argument("--seed", type=int, default=2023)
parser.add_argument("--db", default="rencai_bench_talents_1m")
args = parser.parse_args()
with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{args.db}"')
env = {**os.environ, "DATABASE_URL": f"{SERVER}/{args.db}"}
rencai = str(Path(sys.executable).parent / "rencai")
code = ("from rencai.demo.generator import demo_load; from rencai.demo.accounts import demo_accounts_create;"
        f"r = demo_load(seed={args.seed}, size={args.size}, progress=print); print(r); demo_accounts_create()")
for label, argv in [("migrate", [rencai, "migrate", "--noinput", "-v0"]), ("load_policies", [rencai, "load_policies"]),
                    ("generator", [rencai, "shell", "-c", code]), ("match", [rencai, "match"])]:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, cwd=ROOT)
    print(f"== {label}: {time.perf_counter() - started:.1f} s  (load {os.getloadavg()[0]:.2f})", flush=True)
