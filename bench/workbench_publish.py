"""Issue 13's speed figure: publishing a changed rule in the policy workbench and re-matching 1,000,000 talents
for that policy (政策找人 for the changed policies only), on the benchmark database (``bench/db.py``):

    .venv/bin/python bench/workbench_publish.py [--db postgres://postgres@127.0.0.1:5432/rencai_bench_1m]
                                                [--runs 4] [--policy sy-living-subsidy-graduate] [--row doctor]
                                                [--accounts]

Each run, in this process, as an officer would through the pages: a draft revision of the policy's rule with
one amount changed (``revision_create``: checked against the catalog in force, quotes verbatim), published
(``revision_publish``: checked again, the policy's test cases run, the catalog swapped), then the re-match job
the publication enqueued is run here (``jobs.services.job_run``: read, evaluate, store the difference,
tell the talents whose results changed). The amount alternates between the shipped one plus 100 and the
shipped one, so every run changes rows. Prints each run's stages and the median, with the load average; the
revisions it published, its jobs and their messages are removed at the end (the rule in force is the shipped
file again, as is the result set's catalog mark) and the rows' table vacuumed.

The messages to the talents whose results changed are written after the re-match's commit, by the second job its
store leaves (``policy_rematch_tell``); it is run here too, timed apart. ``--accounts``: first every talent with a
result for the policy is given an account on the platform (few have one in the benchmark database), so that every
talent whose result changes is told; the accounts and their messages are removed at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/rencai_bench_1m")
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--policy", default="sy-living-subsidy-graduate")
    parser.add_argument("--row", default="doctor", help="the amount table row whose value is changed")
    parser.add_argument("--accounts", action="store_true",
                        help="give every talent with a result for the policy an account first (all are told)")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rencai.config.settings.dev")
    os.environ["RENCAI_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"  # the job is run here
    import django

    django.setup()
    from django.contrib.auth.models import Permission

    from rencai.accounts.enums import Role
    from rencai.accounts.models import Department, User
    from rencai.jobs import services as job_services
    from rencai.jobs.models import Job
    from rencai.jobs.services import job_run
    from rencai.policies.models import MatchRun
    from rencai.policies.published import catalog_changed, shipped_texts
    from rencai.talents.models import Talent
    from rencai.workbench.models import RuleRevision
    from rencai.workbench.services import revision_create, revision_publish

    file = f"{args.policy}.yaml"
    shipped = shipped_texts()[file]
    value = _amount(shipped, args.row)
    department, _ = Department.objects.get_or_create(name="沈阳市人力资源和社会保障局", region_id="210100")
    officer, created = User.objects.get_or_create(username="bench_policy_officer", defaults={
        "role": Role.STAFF, "department": department})
    if created:
        officer.user_permissions.add(Permission.objects.get(codename="edit_rules"))
        officer = User.objects.get(pk=officer.pk)
    talents = Talent.objects.count()
    run = MatchRun.objects.filter(status=MatchRun.Status.FINISHED).get()
    print(f"{talents} talents, {run.matches} rows in the result set (evaluation day {run.as_of}), "
          f"{os.cpu_count()} cores; {args.policy}.{args.row}: {value} ↔ {value + 100}", flush=True)
    if args.accounts:
        print(f"accounts given to {_give_accounts(args.policy)} talents with a result for {args.policy}", flush=True)
    walls, tells, published, jobs = [], [], [], []
    said: list[str] = []  # the job's progress messages (its page shows them one after the other)
    shown = job_services.Progress.__call__

    def heard(self, **kwargs):
        if kwargs.get("message"):
            said.append(kwargs["message"])
        return shown(self, **kwargs)

    job_services.Progress.__call__ = heard
    try:
        # Timed runs alternate; one more, not timed, when needed: the shipped amount is in force at the end.
        for number in range(1, args.runs + 1 + args.runs % 2):
            amount = value + 100 if number % 2 else value
            in_force = RuleRevision.objects.filter(file=file, in_force=True).first()
            text = _with_amount(shipped, args.row, amount)
            load = os.getloadavg()[0]
            started = time.perf_counter()
            _correct_cases(args.policy, value, amount, officer)  # as the officer must: the case of the old amount
            draft = revision_create(actor=officer, file=file, text=text, based_on=in_force,
                                    note=f"基准测试：{amount}元")
            created_at = time.perf_counter()
            revision = revision_publish(actor=officer, revision=draft, reason="基准测试：调整金额后重新匹配")
            publish_at = time.perf_counter()
            published.append(revision.pk)
            job = Job.objects.filter(kind="policy_rematch").latest("pk")
            jobs.append(job.pk)
            said.clear()
            outcome = job_run(job.pk)
            wall = time.perf_counter() - started
            # The messages, written after the re-match's commit by the job its store left (not in the wall time).
            tell, told_in = Job.objects.filter(kind="policy_rematch_tell", pk__gt=job.pk).first(), 0.0
            if tell is not None:
                jobs.append(tell.pk)
                clock = time.perf_counter()
                job_run(tell.pk)
                told_in = time.perf_counter() - clock
            if number > args.runs:
                break
            walls.append(wall)
            tells.append(told_in)
            job.refresh_from_db()
            seconds = MatchRun.objects.get().seconds
            result = job.result or {}
            telling = result.get("tell_seconds", 0)
            print(f"run {number}/{args.runs} ({amount} 元): {wall:.2f} s (load {load:.2f} → {os.getloadavg()[0]:.2f}) "
                  f"— create {created_at - started:.2f}, publish {publish_at - created_at:.2f}, "
                  f"job {wall - (publish_at - started):.2f} [{outcome}]: read {seconds.get('read', 0):.2f}, "
                  f"evaluate {seconds.get('evaluate', 0):.2f}, store {seconds.get('store', 0) - telling:.2f}, "
                  f"tell (who, what) {telling:.2f}; {result.get('talents_changed')} talents changed, "
                  f"{result.get('told')} told, their messages written after the commit in {told_in:.2f} s",
                  flush=True)
            for message in said:
                print(f"    {message}", flush=True)
        print(f"publish + re-match: median {statistics.median(walls):.2f} s of {len(walls)} "
              f"({' / '.join(f'{w:.2f}' for w in walls)}); then the messages: median {statistics.median(tells):.2f} s "
              f"({' / '.join(f'{w:.2f}' for w in tells)})", flush=True)
    finally:
        _restore(file, published, jobs, officer, accounts_given=args.accounts)
        catalog_changed()
    return 0


def _row(text: str, row: str) -> re.Match:
    found = re.search(rf"- id: {re.escape(row)}\n(?:\s+\w+: .*\n)*?\s+value: (\d+)\n", text)
    if found is None:
        raise SystemExit(f"no amount row {row!r} in the rule")
    return found


def _amount(text: str, row: str) -> int:
    return int(_row(text, row).group(1))


def _with_amount(text: str, row: str, amount: int) -> str:
    """The rule with the row's amount set (the reason, which says the amount, follows)."""
    found = _row(text, row)
    old = found.group(1)
    block = found.group(0).replace(f"value: {old}", f"value: {amount}")
    rest = text[found.end():]
    reason = re.match(r"(\s+reason: .*?)" + old + "元", rest)
    if reason:
        rest = reason.group(1) + f"{amount}元" + rest[reason.end():]
    return text[:found.start()] + block + rest


def _correct_cases(policy: str, shipped: int, amount: int, officer) -> None:
    """The shipped test cases that expect the shipped amount, replaced by the office's expecting ``amount``
    (publication runs the policy's cases: a changed amount with its old case is refused)."""
    from rencai.workbench.cases import shipped_cases
    from rencai.workbench.models import RuleCase

    for case in shipped_cases().get(policy, ()):
        if case.monthly == shipped:
            RuleCase.objects.update_or_create(policy=policy, name=case.name, defaults={
                "profile": case.profile, "as_of": case.as_of, "expected_status": "true", "expected_monthly": amount,
                "created_by": officer})


ACCOUNT_PREFIX = "bench-account-"


def _give_accounts(policy: str) -> int:
    """An account (no password: it cannot log in) for every talent with a row for ``policy`` and none yet."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                                       is_active, date_joined, role, display_name)
            SELECT '!', false, %s || t.id, '', '', '', false, true, now(), 'talent', ''
            FROM talents_talent t
            WHERE t.user_id IS NULL AND EXISTS (SELECT 1 FROM policies_policymatch m
                                                WHERE m.talent_id = t.id AND m.policy = %s)""",
                       [ACCOUNT_PREFIX, policy])
        given = cursor.rowcount
        cursor.execute("""UPDATE talents_talent t SET user_id = u.id FROM accounts_user u
                          WHERE u.username = %s || t.id AND t.user_id IS NULL""", [ACCOUNT_PREFIX])
    # The registry rewritten as if these talents had had their accounts from the start: the UPDATE left every
    # talent's old version behind, and VACUUM alone keeps the space (the table grew from 0.5 to 1.6 GB over two
    # runs, and the registry's read with it).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (FULL, ANALYZE) talents_talent")
        cursor.execute("VACUUM (ANALYZE) accounts_user")
    return given


def _restore(file: str, published: list[int], jobs: list[int], officer, *, accounts_given: bool) -> None:
    """The rule in force is the shipped file again; the set's rows are those of the shipped rule (the last run
    published the shipped amount) and its catalog mark the shipped catalog's."""
    from rencai.jobs.models import Job
    from rencai.notifications.models import Notification
    from rencai.policies.models import MatchRun
    from rencai.policies.published import _shipped
    from rencai.workbench.models import RuleCase, RuleRevision

    mine = RuleRevision.objects.filter(created_by=officer)
    mine.update(based_on=None)
    mine.delete()
    RuleCase.objects.filter(created_by=officer).delete()
    Notification.objects.filter(key__in=[f"policy-rematch-{pk}" for pk in jobs]).delete()
    Job.objects.filter(pk__in=jobs).delete()
    if not RuleRevision.objects.filter(in_force=True).exists():
        MatchRun.objects.filter(status=MatchRun.Status.FINISHED).update(catalog_version=_shipped().version)
    # The updated rows' old versions cleared, as bench/db.py leaves the database (autovacuum may be off).
    from django.db import connection

    with connection.cursor() as cursor:
        accounts = "SELECT id FROM accounts_user WHERE username LIKE %s"
        cursor.execute(f"UPDATE talents_talent SET user_id = NULL WHERE user_id IN ({accounts})",
                       [ACCOUNT_PREFIX + "%"])
        cursor.execute(f"DELETE FROM notifications_notification WHERE recipient_id IN ({accounts})",
                       [ACCOUNT_PREFIX + "%"])
        # Nothing refers to these accounts any more; without the 82 foreign keys' checks (one query per table
        # and account: 15 minutes for 780,000 accounts) the delete takes a second. The benchmark connects as the
        # server's superuser, which may set this.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("DELETE FROM accounts_user WHERE username LIKE %s", [ACCOUNT_PREFIX + "%"])
        cursor.execute("SET session_replication_role = DEFAULT")
        for table in ("policies_policymatch", "accounts_user", "notifications_notification"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        if accounts_given:  # the registry as bench/db.py left it (see _give_accounts)
            cursor.execute("VACUUM (FULL, ANALYZE) talents_talent")


if __name__ == "__main__":
    sys.exit(main())
