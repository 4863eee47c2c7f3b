"""人才地图 and the command display, timed on the benchmark database (default 1,000,000 talents and the demo's
five-year history): issue 10's Speed — every dashboard panel's query at most 300 ms (warm median), the whole
dashboard at most 1.5 s cold.

    .venv/bin/python bench/analytics.py [--size 1000000] [--db postgres://…/name] [--repeat 5]
                                        [--role leader --role heping_staff] [--today 2026-11-30] [--only flows]
                                        [--budget-ms 300] [--dashboard-ms 1500] [--explain 5]

The database is bench/db.py's (built by the project's own commands if missing or stale, reused otherwise), or the
one ``--db`` names. What is timed is discovered, not listed here:

- the command display's page (``command:display``, every panel rendered) — requested first in the process for
  each role (cold: budget 1.5 s), then warm;
- every panel of every ``PANELS`` registry in a module ``rencai/<app>/panels*.py`` (objects with ``key``,
  ``title`` and ``read(*, user, today)``: analytics/panels.py's ``PanelSpec``), called as the page calls it;
- every public function taking the viewer (``user``) of the issue's read modules (``READ_MODULES``:
  rencai/analytics/selectors*.py and maps*.py, rencai/earlywarning/selectors*.py, rencai/ledgers/selectors*.py),
  a QuerySet read to the end: its arguments filled by name — ``today``, ``on`` (today), ``start``/``end`` (the
  last ``--months`` months up to today), ``year``, ``district`` (the viewer's first), ``by`` (each key of the
  module's ``*_DIMENSIONS`` dicts) and ``measure`` (each key of its ``MEASURES``), one case each; any argument
  with a default left to it. A read whose arguments are none of these says how to call it in its module's
  ``BENCH_CASES`` (``{"function_name": [{"argument": value, …}, …]}``, values may be callables of ``today``);
  one that does not is listed as not timed.

Each is called once cold (the first call in this process) and ``--repeat`` times warm; the table shows the cold
time, the warm median, the number of SQL queries. The SQL of the slowest queries is printed with PostgreSQL's
EXPLAIN (ANALYZE, BUFFERS). Exit status 1 if any is over budget.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import inspect
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROLES = ["leader", "heping_staff"]  # the whole city, and one district


def _months_back(today: dt.date, months: int) -> dt.date:
    back = today.year * 12 + today.month - 1 - (months - 1)
    return dt.date(back // 12, back % 12 + 1, 1)


def panel_cases() -> list[tuple[str, object]]:
    """(label, read) of every panel of every ``PANELS`` registry under rencai/*/panels*.py."""
    cases = []
    for path in sorted(ROOT.glob("rencai/*/panels*.py")):
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        for panel in getattr(module, "PANELS", []):
            cases.append((f"面板 {panel.key}（{panel.title}）", panel.read))
    return cases


# The reads behind issue 10's pages and panels: every public function of these modules that takes the viewer.
READ_MODULES = ["rencai/analytics/selectors*.py", "rencai/analytics/maps*.py", "rencai/earlywarning/selectors*.py",
                "rencai/ledgers/selectors*.py"]


def selector_cases(today: dt.date, months: int) -> tuple[list[tuple[str, object, dict]], list[str]]:
    """(label, function, keyword arguments or a callable of the user giving them) of every read of READ_MODULES
    taking ``user``, and the names of those whose arguments could not be filled. By name: ``today``/``on`` today,
    ``start``/``end`` the last ``months`` months, ``year`` this year, ``district`` the viewer's first district,
    ``by`` each key of the module's ``*_DIMENSIONS`` dicts and ``measure`` each key of its ``MEASURES`` (one case
    each); an argument with a default keeps it; a module's ``BENCH_CASES`` says how to call the rest."""
    start = _months_back(today, months)
    cases, skipped = [], []
    for pattern in READ_MODULES:
        for path in sorted(ROOT.glob(pattern)):
            module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
            declared = getattr(module, "BENCH_CASES", {})
            choices = {"by": [k for name, value in vars(module).items() if name.endswith("DIMENSIONS")
                              and isinstance(value, dict) for k in value],
                       "measure": list(getattr(module, "MEASURES", {}) or [])}
            short = module.__name__.removeprefix("rencai.")
            for name, function in sorted(vars(module).items()):
                if (name.startswith("_") or not inspect.isfunction(function)
                        or function.__module__ != module.__name__):
                    continue
                parameters = inspect.signature(function).parameters
                if "user" not in parameters:
                    continue
                if name in declared:
                    for kwargs in declared[name]:
                        filled = {k: (v(today) if callable(v) else v) for k, v in kwargs.items()}
                        cases.append((f"{short}.{name}({_args(filled)})", function, filled))
                    continue
                fixed, variants, missing = {}, [{}], []
                for parameter in parameters.values():
                    key = parameter.name
                    if key == "user":
                        continue
                    if key in ("today", "on"):
                        fixed[key] = today
                    elif key == "start":
                        fixed[key] = start
                    elif key == "end":
                        fixed[key] = today
                    elif key == "year":
                        fixed[key] = today.year
                    elif key in choices and choices[key] and parameter.default is inspect.Parameter.empty:
                        variants = [{key: value} for value in choices[key]]
                    elif key == "district" and parameter.default is inspect.Parameter.empty:
                        fixed[key] = FIRST_DISTRICT
                    elif parameter.default is inspect.Parameter.empty:
                        missing.append(key)
                if missing:
                    skipped.append(f"{short}.{name}（{', '.join(missing)}）")
                    continue
                for variant in variants:
                    kwargs = {**fixed, **variant}
                    cases.append((f"{short}.{name}({_args(kwargs)})", function, kwargs))
    return cases, skipped


FIRST_DISTRICT = object()  # filled per viewer: the first district they may see


def _call(function, user, kwargs: dict):
    """Call a read as its page does; a lazy QuerySet is read to the end (what a page would show)."""
    from django.db.models import QuerySet

    from rencai.analytics.selectors import districts_of

    if any(v is FIRST_DISTRICT for v in kwargs.values()):
        first = districts_of(user)[0].code
        kwargs = {k: (first if v is FIRST_DISTRICT else v) for k, v in kwargs.items()}
    result = function(user=user, **kwargs)
    return list(result) if isinstance(result, QuerySet) else result


def _args(kwargs: dict) -> str:
    return ", ".join(f"{k}={'（本人首个区县）' if v is FIRST_DISTRICT else v}" for k, v in kwargs.items())


class Failed:
    """What a call that raised returns: shown as an error, counted as over budget."""

    status_code = 500

    def __init__(self, error: Exception):
        self.error = error

    def __str__(self) -> str:
        return f"出错：{type(self.error).__name__}: {str(self.error).splitlines()[0][:160]}"


def _timed(call):
    """(ms, queries, result); the result is a Failed when the call raised."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        try:
            result = call()
            if hasattr(result, "content"):
                _ = result.content
        except Exception as error:  # reported, and the run goes on to the next
            result = Failed(error)
        ms = (time.perf_counter() - started) * 1000
    return ms, list(captured.captured_queries), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--db", help="a PostgreSQL URL to use as it is (default: bench/db.py's database)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--role", action="append", help=f"only these roles (default: {' '.join(ROLES)})")
    parser.add_argument("--today", type=dt.date.fromisoformat, help="the day the panels are read for (default: "
                                                                     "today)")
    parser.add_argument("--months", type=int, default=12, help="the selectors' period: the last N months")
    parser.add_argument("--only", help="only what whose label contains this")
    parser.add_argument("--budget-ms", type=float, default=300)
    parser.add_argument("--dashboard-ms", type=float, default=1500)
    parser.add_argument("--explain", type=int, default=5, help="EXPLAIN the N slowest queries (0: none)")
    args = parser.parse_args(argv)

    if args.db:
        url = args.db
    else:
        sys.path.insert(0, str(ROOT / "bench"))
        from db import ensure

        url = ensure(args.size, args.seed, log=lambda line: print(line, file=sys.stderr))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rencai.config.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from rencai.accounts.models import User
    from rencai.core import crypto

    crypto._keys()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.AXES_ENABLED = False
    today = args.today or timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM talents_talent), (SELECT count(*) FROM analytics_move), "
                       "(SELECT count(*) FROM analytics_employmentspell)")
        talents, moves, spells = cursor.fetchone()
    print(f"数据库 {connection.settings_dict['NAME']}：人才 {talents:,} 人，任职经历 {spells:,}，流动 {moves:,}；"
          f"读取日 {today}；每项冷 1 次、热 {args.repeat} 次取中位数")

    try:
        dashboard = reverse("command:display")
    except NoReverseMatch:
        dashboard = None
    panels = panel_cases()
    selectors, skipped = selector_cases(today, args.months)
    rows, queries, over = [], [], []
    users = [(name, User.objects.filter(username=name).first()) for name in args.role or ROLES]
    # The page first for every role: its cold request is the process's first use of the tables and the code.
    for username, user in users:
        if user is None or dashboard is None:
            continue
        client = Client()
        client.force_login(user)
        cold, captured, response = _timed(lambda c=client: c.get(dashboard))
        warm = []
        for _ in range(args.repeat):
            ms, captured, response = _timed(lambda c=client: c.get(dashboard))
            warm.append(ms)
        ok = cold <= args.dashboard_ms and response.status_code == 200
        failed = f"  {response}" if isinstance(response, Failed) else ""
        rows.append((username, f"整页 {dashboard}（冷启动预算 {args.dashboard_ms:.0f} ms）{failed}", cold,
                     statistics.median(warm), len(captured), ok))
        queries += [(float(q["time"]) * 1000, username, dashboard, q["sql"]) for q in captured]
        if not ok:
            over.append(f"{username} {dashboard}")
    for username, user in users:
        if user is None:
            print(f"（无账号 {username}，跳过）")
            continue
        items = [(label, lambda r=read, u=user: r(user=u, today=today)) for label, read in panels]
        items += [(label, lambda f=function, u=user, k=kwargs: _call(f, u, k)) for label, function, kwargs in selectors]
        for label, call in items:
            if args.only and args.only not in label:
                continue
            cold, captured, result = _timed(call)
            warm = []
            for _ in range(args.repeat if not isinstance(result, Failed) else 0):
                ms, captured, result = _timed(call)
                warm.append(ms)
            median = statistics.median(warm or [cold])
            ok = median <= args.budget_ms and not isinstance(result, Failed)
            if isinstance(result, Failed):
                label = f"{label}  {result}"
            rows.append((username, label, cold, median, len(captured), ok))
            queries += [(float(q["time"]) * 1000, username, label, q["sql"]) for q in captured]
            if not ok:
                over.append(f"{username} {label}")
            print(f"{username:<13} {cold:8.0f} {median:8.0f} {len(captured):>4}  {label}"
                  f"{'' if ok else '  ← 超出预算'}", flush=True)

    print("\n角色          冷(ms)  热中位(ms) 查询数  项目")
    for username, label, cold, median, n, ok in sorted(rows, key=lambda r: -r[3]):
        print(f"{username:<13} {cold:8.0f} {median:8.0f} {n:>4}  {label}{'' if ok else '  ← 超出预算'}")
    if skipped:
        print("\n未计时（参数无法自动填写，请在其模块的 BENCH_CASES 中给出）：" + "；".join(skipped))
    if args.explain and connection.vendor == "postgresql":
        seen = set()
        from pages import _explain  # the page benchmark's, one EXPLAIN for both (bench/ is the script's path)

        print(f"\n最慢的 {args.explain} 条查询（EXPLAIN ANALYZE）：")
        for ms, username, label, sql in sorted(queries, key=lambda q: -q[0]):
            if sql in seen or not sql.lstrip().upper().startswith("SELECT"):
                continue
            seen.add(sql)
            print(f"\n--- {ms:.0f} ms  {username} {label}\n{sql[:2000]}\n{_explain(sql)}")
            if len(seen) >= args.explain:
                break
    print(f"\n{len(rows)} 项，超出预算 {len(over)}：" + ("；".join(over) if over else "无"))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
