"""Who may watch a job's progress: whoever started it, administrators, and government users for the jobs shared
by the office (政策找人, scheduled runs, the monthly payment run)."""

from rencai.core.errors import NotFound

from .models import Job

SHARED_KINDS = {"match", "policy_rematch", "command", "pay_month", "datahub_load"}


def job_visible(user, job: Job) -> bool:
    if not user.is_authenticated:
        return False
    if job.created_by_id == user.pk or getattr(user, "is_administrator", False):
        return True
    return bool(getattr(user, "is_government", False)) and job.kind in SHARED_KINDS


def job_get(*, user, job_id: int) -> Job:
    job = Job.objects.filter(pk=job_id).first()
    if job is None or not job_visible(user, job):
        raise NotFound("未找到该后台任务")
    return job


def latest_job(*, kind: str, dedupe_key: str | None = None) -> Job | None:
    qs = Job.objects.filter(kind=kind)
    if dedupe_key is not None:
        qs = qs.filter(dedupe_key=dedupe_key)
    return qs.order_by("-id").first()
