"""政策找人 and what-if as background jobs (progress on their pages, `rencai job ID --follow`)."""

import datetime as dt
import hashlib
from decimal import Decimal

from rencai.accounts.models import User
from rencai.jobs.registry import job_kind

MATCH_KEY = "policies:match"  # one 政策找人 run at a time


def match_enqueue(*, actor=None, as_of: dt.date | None = None):
    from rencai.jobs.services import job_enqueue

    day = as_of or dt.date.today()
    return job_enqueue(kind="match", title=f"政策找人重新计算（评估日 {day:%Y-%m-%d}）", actor=actor,
                       params={"as_of": day.isoformat()}, link="/policies/matches/", dedupe_key=MATCH_KEY)


@job_kind("match")
def match_job(job, progress):
    """A fresh 政策找人 run. Run twice, it is simply computed twice (the latest finished run is shown)."""
    from .matching import match_run

    actor = User.objects.filter(pk=job.created_by_id).first()
    run = match_run(as_of=dt.date.fromisoformat(job.params["as_of"]), actor=actor,
                    progress=lambda message: progress(message=message, force=True))
    return {"run_id": run.pk, "talents": run.talents, "matches": run.matches}


@job_kind("whatif")
def whatif_job(job, progress):
    """预算测算 over the registry within the requesting user's jurisdiction, kept as the job's result."""
    from rencai.accounts.permissions import talent_scope_q
    from rencai.talents.models import Talent

    from .budget import registry_simulate
    from .whatif import parse_overrides

    actor = User.objects.filter(pk=job.created_by_id).first()
    if actor is None:
        return {"changes": []}
    progress(message="正在读取人才信息库并计算", force=True)
    changes = registry_simulate(as_of=dt.date.fromisoformat(job.params["as_of"]),
                                overrides=parse_overrides(job.params["overrides"]),
                                queryset=Talent.objects.filter(talent_scope_q(actor)))
    return {"changes": [whatif_change_json(c) for c in changes]}


def whatif_change_json(change) -> dict:
    from dataclasses import asdict

    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in asdict(change).items()}


def whatif_changes_from(result: dict) -> list:
    """The job's stored result back as PolicyChange rows (exact Decimal yuan)."""
    from .budget import PolicyChange

    money = {"monthly_before", "monthly_after", "this_year_before", "this_year_after", "duration_before",
             "duration_after"}
    return [PolicyChange(**{k: (Decimal(v) if k in money and v is not None else v) for k, v in row.items()})
            for row in (result or {}).get("changes", [])]


def whatif_key(*, user, as_of: dt.date, chosen: list[str]) -> str:
    digest = hashlib.sha256("|".join([str(user.pk), as_of.isoformat(), *chosen]).encode()).hexdigest()[:32]
    return f"whatif:{digest}"


def whatif_background(*, user, as_of: dt.date, chosen: list[str], fresh_minutes: int = 10):
    """A what-if over a large registry: (the job, its changes once finished). The same request within
    ``fresh_minutes`` of a finished job is answered from it; otherwise a job is started (or joined)."""
    from django.utils import timezone

    from rencai.jobs.models import Job, JobStatus
    from rencai.jobs.services import job_enqueue

    key = whatif_key(user=user, as_of=as_of, chosen=chosen)
    recent = (Job.objects.filter(kind="whatif", dedupe_key=key, created_by=user,
                                 finished_at__gte=timezone.now() - dt.timedelta(minutes=fresh_minutes))
              .order_by("-id").first())
    if recent is not None and recent.status == JobStatus.SUCCEEDED:
        return recent, whatif_changes_from(recent.result)
    if recent is not None and recent.status == JobStatus.FAILED:
        return recent, None
    job = job_enqueue(kind="whatif", title="预算测算", actor=user, dedupe_key=key,
                      params={"as_of": as_of.isoformat(), "overrides": chosen})
    return job, None
