"""Matching's background job: telling subscribed talent of a newly opened opportunity (safe to run twice: each
notice is once per talent and opportunity)."""

from rencai.jobs.registry import job_kind

from .services import NOTIFY_JOB, subscribers_notify


@job_kind(NOTIFY_JOB)
def match_notify(job, progress):
    return {"notified": subscribers_notify(opportunity_id=int(job.params["opportunity_id"]))}
