"""The one task of the queue that runs long jobs: it takes the job's id (safe to run twice)."""

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    from .services import job_run

    return job_run(job_id)
