"""数据中心: a monthly social-insurance feed loaded into PostgreSQL and matched to the registry (issue 16's targets:
1,000,000 rows at most 60 s; loading the same file again at most 10 s and nothing changed).

    .venv/bin/python bench/datahub.py [--size 100000] [--server postgres://postgres@127.0.0.1:5432] [--keep] [--reuse]

The registry is bench/db.py's database of ``--size`` talents (``rencai_bench_1m`` for a million; built if missing
or stale). It is copied (CREATE DATABASE … TEMPLATE) to ``<name>_datahub`` — the shared database is never
changed —, migrated, and given the standard feeds (`rencai datahub_setup`). The feed is generated from the
registry: every talent's real number (decrypted), 5 % of them replaced by numbers not in the registry
(unmatched), 100 rows with a wrong check character (reported), the employer's 统一社会信用代码, 参保地 and a
缴费基数 for each. Then, each as its own `rencai datahub_load` process (wall time, Python start-up included), with
the load average before and after:

1. the first load of the month (nothing there yet);
2. the same file again: nothing new, nothing changed (known by its SHA-256 as the feed's last load);
3. the same rows in another file (in reverse order: another SHA-256): every row read, checked and compared,
   nothing new, nothing changed;
4. a file of the same rows with 1 % of the 缴费基数 changed: only those rows updated.

Prints each load's counts and steps (read, check, rematch, read_existing, compare, stage, insert, update).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
import db as bench_db  # bench/db.py

ROOT = Path(__file__).resolve().parent.parent
RENCAI = str(Path(sys.executable).parent / "rencai")
MONTH = "2026-10"


def _talents(url: str) -> int | None:
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM talents_talent").fetchone()[0]
    except psycopg.Error:
        return None


def copy_database(server: str, base: str, work: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{work}" WITH (FORCE)')
        for _attempt in range(30):  # the template must have no other connection while it is copied
            try:
                conn.execute(f'CREATE DATABASE "{work}" TEMPLATE "{base}"')
                return
            except psycopg.errors.ObjectInUse:
                time.sleep(2)
        raise SystemExit(f"{base} 一直有其他连接，无法复制")


def generate(path: str, changed_share: float = 0.0, seed: int = 16, reverse: bool = False) -> None:
    """(Run inside Django, in a subprocess: the registry's numbers are decrypted with its keys.) Write the feed."""
    import django

    django.setup()
    import numpy as np
    import polars as pl
    from django.db import connection
    from stdnum.cn import ric

    from rencai.core import crypto
    from rencai.core.bulk import read_frame

    with connection.cursor() as cursor:
        people = read_frame(cursor, """SELECT t.name, t.id_number_cipher, o.uscc, r.name
                                       FROM talents_talent t LEFT JOIN organizations_organization o
                                         ON o.id = t.organization_id JOIN regions_region r ON r.code = t.district_id
                                       WHERE t.id_type = 'resident_id' ORDER BY t.id""", [],
                            {"姓名": pl.String, "cipher": pl.String, "参保单位统一社会信用代码": pl.String,
                             "参保地": pl.String})
    rng = np.random.default_rng(seed)
    n = people.height
    numbers = [crypto.decrypt(c) for c in people.get_column("cipher").to_list()]
    outsiders = rng.random(n) < 0.05  # not in the registry: kept as unmatched
    start = dt.date(1955, 1, 1)
    for k, i in enumerate(np.flatnonzero(outsiders)):  # distinct numbers: one person a row
        body = f"210103{start + dt.timedelta(days=k // 400):%Y%m%d}{(k % 400) * 2 + 101:03d}"
        numbers[i] = body + ric.calc_check_digit(body + "0")
    bad = rng.choice(n, size=min(100, n), replace=False)
    for i in bad:  # a mistyped check character: reported, not loaded
        numbers[i] = numbers[i][:17] + ("0" if numbers[i][17] != "0" else "1")
    base = rng.integers(3000, 30000, size=n)
    status = np.where(rng.random(n) < 0.02, "欠费", "正常缴费")
    bump = rng.random(n) < changed_share  # drawn whatever the share: both files share every other draw
    base = np.where(bump, base + 100, base)
    frame = people.drop("cipher").with_columns(
        pl.Series("证件号码", numbers), pl.lit(MONTH).alias("缴费月份"), pl.Series("缴费状态", status),
        pl.Series("缴费基数（元）", base).cast(pl.String))
    frame = frame.select("姓名", "证件号码", "缴费月份", "缴费状态", "参保单位统一社会信用代码", "参保地",
                         "缴费基数（元）")
    (frame.reverse() if reverse else frame).write_csv(path)
    print(json.dumps({"rows": n, "outsiders": int(outsiders.sum()), "bad": len(bad)}))


def run(env: dict, argv: list[str]) -> dict:
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    out = subprocess.run([RENCAI, "datahub_load", *argv, "--format", "json"], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True)
    wall = time.perf_counter() - started
    result = json.loads(out.stdout)[0]
    return {**result, "wall": wall, "load_before": load_before, "load_after": os.getloadavg()[0]}


def show(label: str, r: dict, target: float | None) -> None:
    verdict = "" if target is None else ("  ✓" if r["wall"] <= target else f"  ✗ (目标 ≤ {target:.0f} s)")
    print(f"{label}: {r['wall']:.1f} s (load {r['load_before']:.2f} → {r['load_after']:.2f}){verdict}", flush=True)
    print(f"    rows {r['total_rows']:,}: new {r['new']:,}, changed {r['changed']:,}, unchanged {r['unchanged']:,}, "
          f"unmatched {r['unmatched']:,}, rejected {r['rejected']:,}", flush=True)
    steps = {k: v for k, v in r["seconds"].items() if k != "same_as"}
    same = f" (the same content as load {r['seconds']['same_as']}: nothing read again)" if "same_as" in r["seconds"] \
        else ""
    print("    steps: " + ", ".join(f"{k} {v:.1f}" for k, v in steps.items()) + same, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2023, help="the registry's seed (bench/db.py)")
    parser.add_argument("--server", default=bench_db.SERVER)
    parser.add_argument("--keep", action="store_true", help="keep the copied database afterwards")
    parser.add_argument("--reuse", action="store_true",
                        help="use bench/db.py's database as it is if it holds --size talents (no rebuild when its "
                             "fingerprint is stale: the copy is migrated)")
    parser.add_argument("--generate", help=argparse.SUPPRESS)
    parser.add_argument("--changed", type=float, default=0.0, help=argparse.SUPPRESS)
    parser.add_argument("--reverse", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(args.generate, args.changed, reverse=args.reverse)
        return 0

    base = bench_db.database_name(args.size)
    if args.reuse and _talents(f"{args.server}/{base}") == args.size:
        print(f"复用 {base}（不核对指纹：其迁移在复制后补齐）", flush=True)
    else:
        bench_db.ensure(args.size, args.seed, server=args.server)
    work = f"{base}_datahub"
    print(f"复制 {base} → {work}", flush=True)
    started = time.perf_counter()
    copy_database(args.server, base, work)
    env = {**os.environ, "DATABASE_URL": f"{args.server}/{work}",
           "DJANGO_SETTINGS_MODULE": "rencai.config.settings.dev"}
    subprocess.run([RENCAI, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    out = subprocess.run([RENCAI, "datahub_setup"], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    feed = next(line.split("\t")[0] for line in out.stdout.splitlines() if "社会保险" in line)
    with psycopg.connect(f"{args.server}/{work}", autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"  copied and migrated in {time.perf_counter() - started:.0f} s", flush=True)
    try:
        with tempfile.TemporaryDirectory() as folder:
            first = os.path.join(folder, f"社保{MONTH}.csv")
            reordered = os.path.join(folder, f"社保{MONTH}-重新导出.csv")
            changed = os.path.join(folder, f"社保{MONTH}-更正.csv")
            for path, share, extra in ((first, 0.0, []), (reordered, 0.0, ["--reverse"]), (changed, 0.01, [])):
                gen = subprocess.run([sys.executable, __file__, "--generate", path, "--changed", str(share), *extra],
                                     env=env, cwd=ROOT, check=True, capture_output=True, text=True)
                print(f"  generated {Path(path).name}: {gen.stdout.strip()}, "
                      f"{os.path.getsize(path) / 2**20:.0f} MB", flush=True)
            r1 = run(env, ["--feed", feed, first])
            show("first load", r1, 60 if args.size >= 1_000_000 else None)
            assert r1["new"] == r1["total_rows"] - r1["rejected"] and r1["changed"] == 0, r1
            r2 = run(env, ["--feed", feed, first])
            show("same file again", r2, 10 if args.size >= 1_000_000 else None)
            assert r2["new"] == 0 and r2["changed"] == 0 and r2["unchanged"] == r1["new"], r2
            r2b = run(env, ["--feed", feed, reordered])
            show("the same rows in another file (every row read, checked, compared)", r2b,
                 10 if args.size >= 1_000_000 else None)
            # A number given twice in the file keeps its first row; read in reverse order the other one is first
            # (the bench's numbers are distinct but for a rare clash with the registry's): at most those change.
            assert r2b["new"] == 0 and r2b["changed"] <= r1["rejected"] - 100, r2b
            r3 = run(env, ["--feed", feed, changed])
            show("1 % of the rows changed", r3, None)
            assert r3["new"] == 0 and 0 < r3["changed"] < r1["new"] // 50, r3
    finally:
        if not args.keep:
            with psycopg.connect(f"{args.server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{work}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
