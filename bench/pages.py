"""Every page of the platform, timed for every role on the benchmark database (default 1,000,000 talents).

    .venv/bin/python bench/pages.py [--size 1000000] [--db postgres://…/name] [--repeat 5] [--role city_staff …]
                                    [--only talents:] [--explain 5] [--budget-ms 300] [--first-byte-ms 1000]

The database is bench/db.py's (built by the project's own commands if missing or stale, reused otherwise), or
the one ``--db`` names. The pages are the page walker's (rencai.core.pagewalk: every named page of the URL
configuration, its arguments filled from what the role may see), downloads included, so a page added later
is timed without anyone listing it. Each role logs in (Django's test client, a real session), each page is
requested once cold (the first request in this process) and ``--repeat`` times warm; the table shows the
cold time, the warm median, the number of SQL queries and the status. A page's budget is its warm median
(300 ms); a download's is its first byte (1 s; its full time is shown beside it). The SQL of the slowest
queries is printed with PostgreSQL's EXPLAIN (ANALYZE, BUFFERS). Exit status 1 if any page is over budget.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Every role's home page (core.selectors.home_for) among them; a specialist's page and a department's service queue
# (人才服务) too, and the policy officer's workbench (政策工作台).
ROLES = ["city_staff", "heping_staff", "hunnan_staff", "leader", "employer", "talent", "expert1", "finance",
         "housing_staff", "education_staff", "specialist1", "auditor", "policy_officer", "admin"]


def extra_urls(user) -> list[tuple[str, str]]:
    """What the page walker's one sample per argument does not reach (issue 15): a government user's name
    searches of one, two and three characters, a deep page of the staff list and of the longest 政策找人 list
    (by keyset cursor, as 下一页 links it), the API's list, and the longest list's export."""
    from django.db.models import Sum

    from rencai.policies.models import MatchCount
    from rencai.policies.selectors import match_run_latest
    from rencai.talents.models import Talent

    if not (user.is_government or user.is_administrator):
        return []
    urls = [("talents:staff_list", f"/talents/?name={q}") for q in ("王", "王秀", "秀英", "王秀英")]
    low = Talent.objects.order_by("id").values_list("id", flat=True).first()
    if low is not None:
        urls.append(("talents:staff_list", f"/talents/?page=10000&after={low + 1000}"))
    urls += [("api:talent_list", "/api/talents"), ("api:talent_list", "/api/talents?name=王")]
    run = match_run_latest()
    longest = (MatchCount.objects.filter(run=run).values("policy").annotate(n=Sum("n")).order_by("-n")
               .values_list("policy", flat=True).first()) if run else None
    if longest:
        urls += [("policies:match_list", f"/policies/matches/{longest}/"),
                 ("policies:match_list", f"/policies/matches/{longest}/?page=10000&after=0.0.1000"),
                 ("policies:match_export", f"/policies/matches/{longest}/export.xlsx"),
                 ("talents:export", "/talents/export.xlsx?name=王")]
    return urls


def _request(client, url: str):
    """(ms to the first byte, ms in all, status, content type, queries)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        first = None
        if response.streaming:
            for chunk in response.streaming_content:
                if first is None and chunk:
                    first = time.perf_counter()
        else:
            _ = response.content
        done = time.perf_counter()
        response.close()
    first = done if first is None else first
    return ((first - started) * 1000, (done - started) * 1000, response.status_code,
            response.get("Content-Type", ""), list(captured.captured_queries))


def _explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--db", help="a PostgreSQL URL to use as it is (default: bench/db.py's database)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--role", action="append", help=f"only these roles (default: {' '.join(ROLES)})")
    parser.add_argument("--only", help="only pages whose view name starts with this")
    parser.add_argument("--budget-ms", type=float, default=300)
    parser.add_argument("--first-byte-ms", type=float, default=1000)
    parser.add_argument("--no-downloads", action="store_true", help="leave out downloads (exports, files)")
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
    from django.test import Client

    from rencai.accounts.models import User
    from rencai.core import crypto
    from rencai.core.pagewalk import urls_for

    crypto._keys()  # the development keys the demo sealed with are read only while DEBUG is on
    settings.DEBUG = False  # as in production: no query log, no debug page
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.AXES_ENABLED = False
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM talents_talent")
        talents = cursor.fetchone()[0]
    print(f"数据库 {connection.settings_dict['NAME']}：人才 {talents:,} 人；"
          f"每页冷启动 1 次、热 {args.repeat} 次取中位数")

    rows, queries, over = [], [], []
    for username in args.role or ROLES:
        user = User.objects.filter(username=username).first()
        if user is None:
            print(f"（无账号 {username}，跳过）")
            continue
        client = Client()
        client.force_login(user)
        for name, url_path in [*urls_for(user, downloads=not args.no_downloads, strict=False),
                               *extra_urls(user)]:
            if args.only and not name.startswith(args.only):
                continue
            _, cold_ms, status, content_type, captured = _request(client, url_path)
            if status == 405:
                continue  # a POST-only action
            warm, warm_first = [], []
            download = "text/html" not in content_type and "json" not in content_type
            if download and args.no_downloads:
                continue  # an export that is not a file URL (e.g. /talents/export/)
            for _ in range(1 if download else args.repeat):  # a download: once warm (it may take long)
                f, t, status, content_type, captured = _request(client, url_path)
                warm.append(t)
                warm_first.append(f)
            median = statistics.median(warm)
            median_first = statistics.median(warm_first)
            budget_ok = (median_first <= args.first_byte_ms) if download else (median <= args.budget_ms)
            rows.append((username, name, url_path, status, cold_ms, median, median_first if download else None,
                         len(captured), budget_ok))
            if not budget_ok:
                over.append(f"{username} {url_path}")
            for q in captured:
                queries.append((float(q["time"]) * 1000, username, url_path, q["sql"]))
            mark = "" if budget_ok else "  ← 超出预算"
            first_text = f"{median_first:8.0f}" if download else " " * 8
            print(f"{username:<13} {status:>3} {cold_ms:8.0f} {median:8.0f} {first_text} {len(captured):>4}  "
                  f"{url_path}{mark}", flush=True)

    print("\n角色          状态  冷(ms)  热中位(ms) 首字节(ms) 查询数  页面")
    for username, _name, url_path, status, cold, median, first, n, ok in sorted(rows, key=lambda r: -r[5]):
        first_text = f"{first:8.0f}" if first is not None else " " * 8
        print(f"{username:<13} {status:>3} {cold:8.0f} {median:8.0f} {first_text} {n:>4}  {url_path}"
              f"{'' if ok else '  ← 超出预算'}")
    if args.explain and connection.vendor == "postgresql":
        seen = set()
        print(f"\n最慢的 {args.explain} 条查询（EXPLAIN ANALYZE）：")
        for ms, username, url_path, sql in sorted(queries, reverse=True):
            if sql in seen or not sql.lstrip().upper().startswith("SELECT"):
                continue
            seen.add(sql)
            print(f"\n--- {ms:.0f} ms  {username} {url_path}\n{sql[:2000]}\n{_explain(sql)}")
            if len(seen) >= args.explain:
                break
    print(f"\n{len(rows)} 页次，超出预算 {len(over)}：" + ("；".join(over) if over else "无"))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
