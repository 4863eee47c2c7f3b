"""`rencai worker` in a real subprocess takes an enqueued job from the database queue and runs it."""

import os
import subprocess
import sys

import pytest
from django.db import connection

from rencai.jobs import tasks
from rencai.jobs.models import Job, JobStatus


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_the_worker_process_runs_an_enqueued_job():
    job = Job.objects.create(kind="command", title="补发未发出的邮件",
                             params={"command": "notifications_email_sweep", "args": []})
    result = tasks.run_job.using(backend="database").enqueue(job.pk)
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "rencai.config.settings.test"}
    proc = subprocess.run(
        [sys.executable, "-m", "rencai.cli", "worker", "--batch", "--no-schedule", "--backend", "database",
         "--interval", "0"], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, (job.error, proc.stdout[-2000:], proc.stderr[-2000:])
    assert "queued 0 e-mail(s)" in job.result["output"]
    assert job.worker_id and not job.worker_id.startswith("inline-")  # run by the worker, not by this process
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"
