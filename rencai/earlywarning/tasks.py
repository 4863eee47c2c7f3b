"""Background evaluations (django-tasks, the queue of rencai.jobs): each takes ids or names and is safe to run
twice (a warning is raised once per rule and subject)."""

from django_tasks import task


@task()
def evaluate_talent(talent_id: int) -> dict:
    from .services import warnings_evaluate

    return warnings_evaluate(talent_ids=[talent_id])


@task()
def evaluate_kinds(kinds: list[str]) -> dict:
    from .services import warnings_evaluate

    return warnings_evaluate(kinds=kinds)
