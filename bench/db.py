"""The benchmark database: a named PostgreSQL database holding the demo pool at a given size, built by the
project's own commands and reused while nothing it was built from has changed.

    .venv/bin/python bench/db.py [--size 1000000] [--seed 2023] [--rebuild] [--server postgres://postgres@127.0.0.1:5432]

Prints the database's URL on the last line. The database is ``rencai_bench_<size>`` (``rencai_bench_1m`` for a
million). What it was built from — every migration file, the demo generator's and the catalog's sources, the
seed and the size — is hashed into a fingerprint stored in the table ``bench_fingerprint`` of that database,
with how long each build step took; a later run with the same fingerprint reuses the database as it is, any
other drops and rebuilds it: ``rencai migrate``, ``rencai load_policies``, ``rencai demo --size N --seed S``,
``rencai match``, then ``VACUUM ANALYZE``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgres://postgres@127.0.0.1:5432"
SOURCES = ["rencai/*/migrations/*.py", "rencai/demo/*.py", "rencai/*/demo.py", "rencai/policies/catalog/*.yaml"]


def database_name(size: int) -> str:
    return f"rencai_bench_{size // 1_000_000}m" if size % 1_000_000 == 0 else f"rencai_bench_{size}"


def fingerprint(size: int, seed: int) -> str:
    digest = hashlib.sha256(f"size={size} seed={seed}\n".encode())
    for pattern in SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _stored(url: str) -> str | None:
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            row = conn.execute("SELECT fingerprint FROM bench_fingerprint ORDER BY built_at DESC LIMIT 1"
                               ).fetchone()
            return row[0] if row else None
    except psycopg.Error:
        return None


def steps(size: int, seed: int) -> list[tuple[str, list[str]]]:
    return [("migrate", ["migrate", "--noinput", "-v0"]), ("load_policies", ["load_policies"]),
            ("demo", ["demo", "--size", str(size), "--seed", str(seed)]), ("match", ["match"])]


def ensure(size: int = 1_000_000, seed: int = 2023, *, rebuild: bool = False, server: str = SERVER,
           log=print) -> str:
    """The URL of a database holding the demo pool of ``size`` for ``seed``, built if missing or stale."""
    name = database_name(size)
    url = f"{server}/{name}"
    wanted = fingerprint(size, seed)
    if not rebuild and _stored(url) == wanted:
        log(f"复用基准数据库 {name}（指纹 {wanted[:12]}）")
        return url
    log(f"建立基准数据库 {name}（{size} 人，种子 {seed}）")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url}
    rencai = str(Path(sys.executable).parent / "rencai")
    timings = []
    for label, argv in steps(size, seed):
        started = time.perf_counter()
        subprocess.run([rencai, *argv], env=env, check=True, cwd=ROOT)
        timings.append((label, time.perf_counter() - started))
        log(f"  {label}: {timings[-1][1]:.1f} s")
    # Statistics for every table, as autovacuum keeps them on a live database: without them the planner guessed
    # 28 paid payments where there were 38,271 and chose a nested loop (台账's money, 228 ms → 33 ms after).
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    timings.append(("vacuum_analyze", time.perf_counter() - started))
    log(f"  vacuum_analyze: {timings[-1][1]:.1f} s")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE bench_fingerprint (fingerprint text NOT NULL, size integer NOT NULL, "
                     "seed integer NOT NULL, step_seconds jsonb NOT NULL, built_at timestamptz DEFAULT now())")
        conn.execute("INSERT INTO bench_fingerprint (fingerprint, size, seed, step_seconds) VALUES (%s, %s, %s, %s)",
                     [wanted, size, seed, psycopg.types.json.Jsonb(dict(timings))])
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--rebuild", action="store_true", help="build even if the fingerprint matches")
    parser.add_argument("--server", default=SERVER, help="PostgreSQL server URL without a database name")
    args = parser.parse_args(argv)
    print(ensure(args.size, args.seed, rebuild=args.rebuild, server=args.server))
    return 0


if __name__ == "__main__":
    sys.exit(main())
