"""A load as a background job (数据装载): the job takes the load's id; running it twice, or again after the worker
died, finishes the load once (services.load_run)."""

from rencai.jobs.registry import job_kind

from .services import JOB_KIND, load_run


@job_kind(JOB_KIND)
def datahub_load_job(job, progress):
    load = load_run(load_id=int(job.params["load_id"]), progress=progress)
    return {"load_id": load.pk, "total_rows": load.total_rows, "new": load.facts_new, "changed": load.facts_changed,
            "unchanged": load.facts_unchanged, "unmatched": load.unmatched_rows, "rejected": load.rejected_rows}
