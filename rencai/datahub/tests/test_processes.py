"""`rencai datahub_load` as a separate process killed with SIGKILL inside its write transaction: nothing is
half-loaded, and `rencai datahub_load --resume` completes the load to what one uninterrupted run writes. Both
databases (DATABASE_URL=postgres://… pytest for PostgreSQL)."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from rencai.core import crypto
from rencai.datahub.enums import LoadStatus
from rencai.datahub.models import Fact, Load

from .factories import SI_HEADER, csv_bytes, feed, si_rows

pytestmark = pytest.mark.django_db(transaction=True)


def _env(media, **extra) -> dict:
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{s['NAME']}"
    else:
        url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "rencai.config.settings.test",
           "RENCAI_MEDIA_ROOT": str(media)}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def _command(env, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "rencai.cli", "datahub_load", *args, "--format", "json"],  # noqa: S603
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(process) -> list:
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, err
    return json.loads(out)


def _facts():
    return sorted(Fact.objects.values_list("subject_key", "period", "talent_id", "digest"))


def test_killed_inside_the_write_then_resumed_equals_one_run(tmp_path, make_talent, settings):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    f = feed()
    talents = [make_talent(name=f"进程{i}") for i in range(12)]
    path = tmp_path / "社保.csv"
    path.write_bytes(csv_bytes(SI_HEADER, si_rows(talents)))
    mark = tmp_path / "paused"
    process = _command(_env(media, RENCAI_DATAHUB_TEST_PAUSE=60, RENCAI_DATAHUB_TEST_MARK=mark),
                       "--feed", str(f.pk), str(path))
    deadline = time.monotonic() + 120
    while not mark.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert mark.exists(), process.stderr.read() if process.poll() is not None else "never reached the write"
    assert Fact.objects.count() == 0  # the write is not committed while it is in progress
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    load = Load.objects.get()
    assert load.status == LoadStatus.RUNNING and Fact.objects.count() == 0  # nothing half-loaded
    assert (media / "datahub-loads" / load.stored).exists()  # the delivery is kept until its load has committed

    [resumed] = _finish(_command(_env(media), "--resume"))
    assert resumed["load"] == load.pk and resumed["status"] == LoadStatus.DONE and resumed["new"] == 12
    after_kill = _facts()
    assert len(after_kill) == 12 and {t for *_, t, _d in after_kill} == {t.pk for t in talents}
    assert not (media / "datahub-loads" / load.stored).exists()
    assert _finish(_command(_env(media), "--resume")) == []  # nothing left to do
    assert Load.objects.get(pk=load.pk).attempts == 2

    # The same file loaded once, uninterrupted, into a fresh feed's place: the same facts.
    Fact.objects.all().delete()
    Load.objects.all().delete()
    [whole] = _finish(_command(_env(media), "--feed", str(f.pk), str(path)))
    assert whole["new"] == 12 and _facts() == after_kill
    assert crypto.lookup_hash(crypto.decrypt(talents[0].id_number_cipher)) in {k for k, *_ in _facts()}


def test_bad_input_exits_2_and_writes_nothing(tmp_path):
    f = feed()
    path = tmp_path / "错列.csv"
    path.write_bytes(csv_bytes(["姓名", "月份"], [["甲", "2026-10"]]))
    for args in (["--feed", str(f.pk), str(path)], ["--feed", str(f.pk + 99), str(path)],
                 ["--feed", str(f.pk), str(tmp_path / "没有这个文件.csv")]):
        process = _command(_env(tmp_path / "media"), *args)
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 2, (args, err)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in err)
    assert not Load.objects.exists()
