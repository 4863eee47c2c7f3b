"""Long jobs: start one (job_enqueue), run it (job_run, the task body), report progress, recover the ones a
killed worker left running (jobs_recover_stale).

A job is run by the task ``rencai.jobs.tasks.run_job(job_id)``, enqueued after the commit that created the job.
Running it is claimed by a conditional UPDATE (queued → running, or running with a stale heartbeat → running),
so two deliveries of the same task never run the body twice at once, and a finished job is never run again.
"""

import logging
import os
import socket
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from rencai.core.errors import AppError

from .models import ACTIVE, Job, JobStatus, WorkerHeartbeat
from .registry import job_body

logger = logging.getLogger(__name__)

# Set by `rencai worker` to its id; a job run in a web process (the immediate backend) is named by its pid.
CURRENT_WORKER_ID = f"inline-{socket.gethostname()[:30]}-{os.getpid()}"
_PROGRESS_EVERY = 0.5  # seconds between two progress writes (the last one is always written)


def stale_before():
    return timezone.now() - timedelta(seconds=settings.RENCAI_WORKER_STALE_SECONDS)


def job_enqueue(*, kind: str, title: str, params: dict | None = None, actor=None, link: str = "",
                dedupe_key: str | None = None) -> Job:
    """Create a job and hand it to the queue after the commit. With ``dedupe_key``, a job of that key already
    queued or running is returned instead of starting a second one."""
    if job_body(kind) is None:
        raise ValueError(f"job_enqueue: unknown job kind {kind!r}")
    if dedupe_key:
        existing = Job.objects.filter(dedupe_key=dedupe_key, status__in=ACTIVE).first()
        if existing:
            return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(kind=kind, title=title[:200], params=params or {}, link=link[:300],
                                     dedupe_key=dedupe_key, created_by=actor if getattr(actor, "pk", None) else None)
    except IntegrityError:  # a concurrent request started the same job a moment ago: join it
        existing = Job.objects.filter(dedupe_key=dedupe_key, status__in=ACTIVE).first()
        if existing:
            return existing
        raise
    transaction.on_commit(lambda: _enqueue_task(job.pk), robust=True)
    return job


def _enqueue_task(job_id: int) -> None:
    from . import tasks

    result = tasks.run_job.enqueue(job_id)
    Job.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


class Progress:
    """``progress(done=..., total=..., message=...)`` inside a job body: written at most twice a second (and
    always when ``force``), each write also the job's heartbeat. Written outside the body's own transaction,
    so call it between write transactions: what a transaction writes is seen by the page when it commits."""

    def __init__(self, job: Job):
        self.job = job
        self._last = 0.0

    def __call__(self, *, done: int | None = None, total: int | None = None, message: str | None = None,
                 force: bool = False) -> None:
        fields = {}
        if done is not None:
            self.job.done = fields["done"] = max(0, int(done))
        if total is not None:
            self.job.total = fields["total"] = max(0, int(total))
        if message is not None:
            self.job.message = fields["message"] = str(message)[:300]
        now = time.monotonic()
        if not force and now - self._last < _PROGRESS_EVERY:
            return
        self._last = now
        Job.objects.filter(pk=self.job.pk).update(
            done=self.job.done, total=self.job.total, message=self.job.message, heartbeat_at=timezone.now())

    def step(self, n: int = 1, message: str | None = None) -> None:
        self(done=self.job.done + n, message=message)


def job_run(job_id: int) -> str:
    """The task body: claim the job, run its kind's body, record the result. Safe to run twice."""
    now = timezone.now()
    claimed = Job.objects.filter(
        Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, heartbeat_at__lt=stale_before())
        | Q(status=JobStatus.RUNNING, heartbeat_at__isnull=True),
        pk=job_id,
    ).update(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1,
             worker_id=CURRENT_WORKER_ID[:64], error="")
    if not claimed:
        return "not runnable (finished, or running elsewhere)"
    job = Job.objects.get(pk=job_id)
    body = job_body(job.kind)
    progress = Progress(job)
    try:
        if body is None:
            raise AppError(f"未知的任务类型：{job.kind}")
        result = body(job, progress)
    except AppError as exc:
        _finish(job, JobStatus.FAILED, error=exc.message)
        return "failed"
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, JobStatus.FAILED, error="任务执行出错，已记录；请稍后重试或联系系统管理员")
        return "failed"
    _finish(job, JobStatus.SUCCEEDED, result=result)
    return "succeeded"


def _finish(job: Job, status: str, *, result=None, error: str = "") -> None:
    fields = {"status": status, "finished_at": timezone.now(), "heartbeat_at": timezone.now(), "error": error[:500],
              "done": job.done, "total": job.total, "message": job.message}
    if status == JobStatus.SUCCEEDED:
        fields["result"] = result
        if job.total:
            fields["done"] = job.total
    Job.objects.filter(pk=job.pk).update(**fields)
    if job.created_by_id:
        from rencai.notifications.services import notify

        ok = status == JobStatus.SUCCEEDED
        notify(recipients=[job.created_by_id], kind="job", key=f"job:{job.pk}:finished",
               title=f"{job.title}{'已完成' if ok else '未能完成'}", body="" if ok else error, link=job.link)


def worker_heartbeat(worker_id: str, *, started_at) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={
        "pid": os.getpid(), "host": socket.gethostname()[:200], "started_at": started_at, "seen_at": now})
    Job.objects.filter(worker_id=worker_id, status=JobStatus.RUNNING).update(heartbeat_at=now)


def jobs_recover_stale() -> dict:
    """What a killed worker left behind, run again: its queue entries still marked running are made ready, and
    a job running with a stale heartbeat (or queued whose task was lost) gets a fresh task. Returns counts."""
    from django_tasks_db.models import DBTaskResult

    from . import tasks

    cutoff = stale_before()
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    reset = 0
    for result in DBTaskResult.objects.filter(status="RUNNING").only("id", "worker_ids", "started_at"):
        owner = (result.worker_ids or [None])[-1]
        if owner in alive:
            continue
        reset += DBTaskResult.objects.filter(pk=result.pk, status="RUNNING").update(status="READY", started_at=None)
    requeued = 0
    stale_jobs = Job.objects.filter(
        Q(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff) | Q(status=JobStatus.QUEUED, created_at__lt=cutoff))
    for job in stale_jobs:
        if job.task_id and DBTaskResult.objects.filter(pk=job.task_id, status__in=["READY", "RUNNING"]).exists():
            continue
        result = tasks.run_job.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
        requeued += 1
    WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - timedelta(days=1)).delete()
    return {"tasks_reset": reset, "jobs_requeued": requeued}
