"""人岗匹配 at scale: 100,000 open opportunities and 1,000,000 talents who consent to be found, in a PostgreSQL
benchmark database of its own (synthetic rows written by SQL and COPY in about a minute, not the demo pool:
matching reads only the opportunity, talent, education, organization and consent tables), reused while its
sizes match:

    .venv/bin/python bench/opportunity_match.py [--db postgres://postgres@127.0.0.1:5432/rencai_bench_match]
                                                [--opportunities 100000] [--talents 1000000] [--runs 7] [--rebuild]

Prints, with the load average: how long jieba took to tokenise the 100,000 opportunities (done once, when each
opens, and stored); the opportunity index build from the stored words (median of 3); the talent index build;
top 20 for a talent (the page's selector: profile from the registry, index, the 20 opportunities read back),
median of ``--runs`` runs for each of 10 talents, and the median over them; top 50 talent for a job (the
employer page's selector: index, consent re-checked in the database, masked rows), the same way for 10 jobs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/rencai_bench_match"
DISTRICTS = ["210102", "210103", "210104", "210105", "210106", "210111", "210112", "210113", "210114", "210115",
             "210123", "210124", "210181"]
ROLES = ["研发工程师", "工艺工程师", "技术员", "项目经理", "算法工程师", "测试工程师", "博士后", "质量工程师",
         "产品经理", "技术总监"]
TASKS = ["关键技术攻关", "新产品开发", "工艺改进与中试", "生产线优化", "检测与质量控制", "成果转化和产业化",
         "技术方案设计", "客户技术支持"]
DEGREES = ["", "junior_college", "bachelor", "master", "doctor"]


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rencai.config.settings.dev")
    import django

    django.setup()


def _built(url: str, n_opp: int, n_talent: int) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            row = conn.execute("SELECT opportunities, talents FROM bench_match_sizes").fetchone()
            return row == (n_opp, n_talent)
    except psycopg.Error:
        return False


def build(url: str, n_opp: int, n_talent: int, seed: int = 2023) -> dict:
    """A fresh database: migrated, then the synthetic rows."""
    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    timings = {}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "rencai.cli", "migrate", "--noinput", "-v0"], check=True,
                   cwd=ROOT, env={**os.environ, "DATABASE_URL": url})
    timings["migrate"] = time.perf_counter() - started
    _setup(url)
    from rencai.matching.tokenizer import tokens
    from rencai.matching.vocab import INDUSTRY_WORDS
    from rencai.organizations.enums import Industry

    rng = random.Random(seed)
    industries = list(Industry.values)
    labels = dict(Industry.choices)
    majors_of = {i: [w for w in INDUSTRY_WORDS[i] if len(w) >= 4 or w.endswith("学")][:3] or [labels[i]]
                 for i in industries}
    now = dt.datetime.now(dt.UTC)
    with psycopg.connect(url, autocommit=True) as conn:
        user_id = conn.execute(
            "INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff, "
            "is_active, date_joined, role, display_name) VALUES ('!', false, 'bench-admin', '', '', '', false, "
            "true, now(), 'admin', '') RETURNING id").fetchone()[0]
        started = time.perf_counter()
        # 100 organizations per industry chain
        conn.execute(
            "INSERT INTO organizations_organization (name, uscc, kind, industry, created_at, district_id, "
            "chain_leader, industry_field, key_enterprise) SELECT '基准单位' || g, '91' || lpad(g::text, 16, '0'), "
            "'enterprise', (%s::text[])[1 + (g - 1) / 100], now(), (%s::text[])[1 + g %% 13], false, 'other', false "
            "FROM generate_series(1, %s) g", [industries, DISTRICTS, 100 * len(industries)])
        org_base = conn.execute("SELECT min(id) FROM organizations_organization").fetchone()[0]
        # talents: industry i %% 14, degree by i, a returnee in six, one education each, all consenting
        conn.execute(
            "INSERT INTO talents_talent (name, id_type, id_number_cipher, id_number_hash, id_number_masked, gender, "
            "birth_date, nationality, phone_cipher, phone_hash, phone_masked, email, highest_degree, "
            "graduation_date, returnee, employer_type, social_insurance, professional_title, skill_level, honors, "
            "talent_category, housing_status, source, created_at, updated_at, district_id, employment_status, "
            "organization_id) SELECT (array['王','李','张','刘','陈','杨','赵','黄'])[1 + g %% 8] || '基准', "
            "'resident_id', 'x', md5('bench' || g), '2101*************' || (g %% 10), "
            "CASE WHEN g %% 2 = 0 THEN 'male' ELSE 'female' END, DATE '1975-01-01' + (g %% 9000), '中国', '', '', '',"
            " '', (%s::text[])[2 + g %% 4], DATE '2000-07-01' + (g %% 9000), g %% 6 = 0, '', 'unknown', '', '', "
            "'[]', '', '', 'demo', now(), now(), (%s::text[])[1 + (g / 7) %% 13], 'confirmed', "
            "%s + (g %% 14) * 100 + (g / 14) %% 100 FROM generate_series(1, %s) g",
            [DEGREES, DISTRICTS, org_base, n_talent])
        conn.execute(
            "INSERT INTO talents_education (degree, school, country, overseas, graduation_date, major, talent_id) "
            "SELECT t.highest_degree, CASE WHEN t.returnee THEN '帝国理工学院' ELSE '东北大学' END, "
            "CASE WHEN t.returnee THEN '英国' ELSE '中国' END, t.returnee, t.graduation_date, "
            "(%s::text[])[1 + (t.id %% 14) * 2 + (t.id / 14) %% 2], t.id FROM talents_talent t",
            [[m for i in industries for m in (majors_of[i] * 2)[:2]]])
        conn.execute("INSERT INTO matching_consent (talent_id, given_at, withdrawn_at, generation) "
                     "SELECT id, now(), NULL, 1 FROM talents_talent")
        conn.execute("INSERT INTO matching_indexstate (name, generation, updated_at) VALUES "
                     "('talents', 1, now()), ('opportunities', 1, now())")
        timings["talents_sql"] = time.perf_counter() - started
        # opportunities, generated here and tokenised by jieba as the sync does when each opens
        rows, docs, tokenise = [], [], 0.0
        kinds = ["job"] * 14 + ["internship"] * 3 + ["challenge"] * 2 + ["project"]
        for n in range(n_opp):
            industry = rng.choice(industries)
            word = rng.choice(INDUSTRY_WORDS[industry])
            majors = "、".join(rng.sample(majors_of[industry], k=min(2, len(majors_of[industry]))))
            kind = rng.choice(kinds)
            title = f"{word}{rng.choice(ROLES)}" + ("（定向）" if n % 10 == 0 else "")
            description = (f"负责{word}方向的{rng.choice(TASKS)}和{rng.choice(TASKS)}，"
                           f"要求{majors}等专业背景，熟悉{rng.choice(INDUSTRY_WORDS[industry])}。")
            degree = rng.choice(DEGREES[:5])
            rows.append((kind, title, description, "", industry, majors, degree, n % 5 == 0, n % 10 == 0,
                         dt.date.today() + dt.timedelta(days=30 + n % 300), now, now,
                         org_base + industries.index(industry) * 100 + n % 100, rng.choice(DISTRICTS), user_id))
            t = time.perf_counter()
            text = " ".join([title, title, description, majors, labels[industry]])
            docs.append((" ".join(tokens(text)), " ".join(w for w in tokens(majors))))
            tokenise += time.perf_counter() - t
        timings["jieba_tokenise_opportunities"] = tokenise
        started = time.perf_counter()
        with conn.cursor().copy(
                "COPY opportunities_opportunity (kind, title, description, sponsor_name, industry, majors, "
                "degree_min, overseas_wanted, targeted_returnee, closes_on, created_at, updated_at, "
                "organization_id, district_id, created_by_id, positions, challenge_field, seeking, status, "
                "review_reason, published_at) FROM STDIN") as copy:
            for r in rows:
                copy.write_row((*r, 1, "", "", "published", "", now))
        first = conn.execute("SELECT min(id) FROM opportunities_opportunity").fetchone()[0]
        with conn.cursor().copy("COPY matching_opportunitydoc (opportunity_id, tokens, major_tokens, open, "
                                "generation, updated_at) FROM STDIN") as copy:
            for n, (doc, major) in enumerate(docs):
                copy.write_row((first + n, doc, major, True, 1, now))
        timings["opportunities_copy"] = time.perf_counter() - started
        conn.execute("VACUUM ANALYZE")
        conn.execute("CREATE TABLE bench_match_sizes (opportunities integer, talents integer)")
        conn.execute("INSERT INTO bench_match_sizes VALUES (%s, %s)", [n_opp, n_talent])
    return timings


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--talents", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)
    print(f"负载（1 分钟平均）：{os.getloadavg()[0]:.2f}", flush=True)
    if args.rebuild or not _built(args.db, args.opportunities, args.talents):
        for label, seconds in build(args.db, args.opportunities, args.talents).items():
            print(f"建库 {label}: {seconds:.1f} s", flush=True)
    else:
        print(f"复用基准数据库 {args.db.rsplit('/', 1)[1]}", flush=True)
        _setup(args.db)
    from rencai.accounts.enums import Role
    from rencai.accounts.models import User
    from rencai.matching import index as ix
    from rencai.matching import selectors
    from rencai.opportunities.models import Opportunity
    from rencai.talents.models import Talent

    builds = []
    for _ in range(3):
        ix.forget()
        started = time.perf_counter()
        opp_index = ix.current(ix.OpportunityIndex)
        builds.append(time.perf_counter() - started)
    print(f"机会索引（{len(opp_index.a.ids):,} 个开放机会，由已存分词建立）：中位 {statistics.median(builds):.2f} s "
          f"（{', '.join(f'{b:.2f}' for b in builds)}）", flush=True)
    started = time.perf_counter()
    talent_index = ix.current(ix.TalentIndex)
    print(f"人才索引（{len(talent_index.a.ids):,} 名同意被查找的人才）：{time.perf_counter() - started:.1f} s",
          flush=True)

    # 10 talents: one per industry chain of the first ten, degrees and returnee status as generated
    people = list(Talent.objects.filter(pk__in=Talent.objects.order_by("pk").values("pk")[:10])
                  .select_related("district", "organization").prefetch_related("educations"))
    medians = []
    for person in people:
        selectors.matches_for_talent(person)  # warm (the caches of words)
        medians.append(median_ms(lambda p=person: selectors.matches_for_talent(p), args.runs))
        found = selectors.matches_for_talent(person)
        print(f"  人才 {person.pk}（{person.get_highest_degree_display()}，{person.educations.all()[0].major}）："
              f"{medians[-1]:.1f} ms，第一条：{found[0].opportunity.title if found else '—'}", flush=True)
    profiles = [selectors.profile_of(person) for person in people]
    engine = [median_ms(lambda p=p: opp_index.top(p, k=20), args.runs) for p in profiles]
    print(f"为人才推荐前20（{len(opp_index.a.ids):,} 个开放机会）：页面查询中位 {statistics.median(medians):.1f} ms，"
          f"其中索引计算中位 {statistics.median(engine):.1f} ms，负载 {os.getloadavg()[0]:.2f}", flush=True)

    jobs = list(Opportunity.objects.filter(kind="job").order_by("pk")[:10])
    medians = []
    for job in jobs:
        user = User.objects.filter(username=f"bench-hr-{job.organization_id}").first() or User.objects.create(
            username=f"bench-hr-{job.organization_id}", role=Role.EMPLOYER, organization_id=job.organization_id)
        selectors.talents_for_job(user, job.pk)
        medians.append(median_ms(lambda u=user, j=job: selectors.talents_for_job(u, j.pk), args.runs))
        _, rows = selectors.talents_for_job(user, job.pk)
        print(f"  岗位 {job.pk}（{job.title}）：{medians[-1]:.1f} ms，{len(rows)} 人", flush=True)
    print(f"为岗位推荐前50（{len(talent_index.a.ids):,} 名同意被查找的人才）：页面查询中位 "
          f"{statistics.median(medians):.1f} ms，负载 {os.getloadavg()[0]:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
