"""`rencai pay` as separate processes on the test database: two runs at once, and a run killed with SIGKILL
part-way then run again, compared with one uninterrupted run (contract promises 2 and 3). Both databases; the
contract asks for PostgreSQL (DATABASE_URL=postgres://… pytest)."""

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from rencai.payments.models import BudgetLine, Payment, PaymentSkip
from rencai.talents.models import Talent

from .factories import POLICY, budget, clone_talents, entitlements_for

pytestmark = pytest.mark.django_db(transaction=True)
N = 120


def _env(**extra) -> dict:
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{s['NAME']}"
    else:
        url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "rencai.config.settings.test"}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def _start(month: str, **extra) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "rencai.cli", "pay", "--month", month, "--format", "json"],  # noqa: S603
                            env=_env(**extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, err
    return json.loads(out)


def _state(month: dt.date) -> tuple:
    payments = sorted(Payment.objects.filter(month=month).values_list("entitlement_id", "amount_fen"))
    skips = sorted(PaymentSkip.objects.filter(month=month).values_list("entitlement_id", "kind", "reason"))
    return payments, skips, BudgetLine.objects.get(policy=POLICY, year=month.year).prepared_fen


def _population(make_talent) -> None:
    talents = clone_talents(make_talent(), N)
    entitlements_for(talents, start=dt.date(2025, 1, 1))
    # Two who no longer qualify (stopped), and a line that holds the last ten (held).
    Talent.objects.filter(pk__in=[talents[3].pk, talents[50].pk]).update(highest_degree="junior_college")
    budget(POLICY, 2025, 2500 * (N - 12))


def test_two_concurrent_runs_create_what_one_would(make_talent):
    _population(make_talent)
    first, second = _start("2025-06", RENCAI_PAY_CHUNK=10), _start("2025-06", RENCAI_PAY_CHUNK=10)
    a, b = _finish(first), _finish(second)
    assert a["created"] + b["created"] == N - 12
    assert a["payments_month"] == b["payments_month"] == N - 12
    assert a["created"] + a["existing"] == b["created"] + b["existing"] == N - 12
    assert a["stopped"] == b["stopped"] == 2
    payments, skips, prepared = _state(dt.date(2025, 6, 1))
    assert len(payments) == len({e for e, _ in payments}) == N - 12
    assert prepared == sum(fen for _, fen in payments) == 250_000 * (N - 12)
    assert sorted(k for _, k, _ in skips) == ["held"] * 10 + ["stopped"] * 2


def test_sigkill_part_way_then_rerun_equals_one_uninterrupted_run(make_talent):
    _population(make_talent)
    month = dt.date(2025, 6, 1)
    process = _start("2025-06", RENCAI_PAY_CHUNK=10, RENCAI_PAY_TEST_PAUSE=0.3)
    deadline = time.monotonic() + 120
    while Payment.objects.filter(month=month).count() < 30 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    partial = Payment.objects.filter(month=month).count()
    assert 0 < partial < N - 12, "the run was to be killed part-way"
    rerun = _finish(_start("2025-06"))
    assert rerun["existing"] == partial and rerun["payments_month"] == N - 12
    after_kill = _state(month)

    # The same month from scratch, uninterrupted.
    Payment.objects.filter(month=month).delete()
    PaymentSkip.objects.filter(month=month).delete()
    BudgetLine.objects.update(prepared_fen=0)
    whole = _finish(_start("2025-06"))
    assert whole["created"] == N - 12
    assert _state(month) == after_kill
