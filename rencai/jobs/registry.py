"""The kinds of long job: each app registers its job bodies in its own ``jobs.py``::

    from rencai.jobs.registry import job_kind

    @job_kind("talent_import")
    def talent_import(job, progress):       # job: the Job row; progress(done=, total=, message=)
        ...
        return {"created": 12}              # JSON, kept as job.result

A body takes everything it needs from ``job.params`` (ids, paths, numbers — never objects) and must be safe to
run twice: a job whose worker was killed is run again from the start.
"""

from collections.abc import Callable

from django.utils.module_loading import autodiscover_modules

_KINDS: dict[str, Callable] = {}
_discovered = False


def job_kind(name: str):
    def register(fn: Callable) -> Callable:
        _KINDS[name] = fn
        return fn

    return register


def job_body(name: str) -> Callable | None:
    global _discovered
    if name not in _KINDS and not _discovered:
        autodiscover_modules("jobs")
        _discovered = True
    return _KINDS.get(name)
