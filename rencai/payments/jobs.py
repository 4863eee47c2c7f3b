"""The monthly payment run (发放运行) as a background job: started from 资金发放 by finance or city staff, one run
per month at a time, its progress on the page (htmx polling) and on the command line (`rencai job ID --follow`),
its figures (created / existing / stopped / held / amounts, as ``RunResult.as_dict()``) kept as the job's result.

The job body calls ``run.pay_month`` as `rencai pay --month` does; the run itself is safe to run twice, at once
or after a kill (../shared/contracts/payments.md), so a job run again by a recovering worker changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.errors import FieldError, PermissionDenied, ValidationFailed
from rencai.jobs.registry import job_kind

RUN_KIND = "pay_month"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def run_key(month: dt.date) -> str:
    return f"payments:run:{month:%Y-%m}"


def can_run(user: User) -> bool:
    """Who may start a month's run: administrators, and staff of a city- or province-level department (市人社局,
    市财政局 …). The run prepares the payments of every entitlement of the installation, so a district office's
    staff may not start it (they follow it and batch their district's payments)."""
    from rencai.regions.models import RegionLevel, level_of

    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_administrator:
        return True
    department = getattr(user, "department", None)
    return user.role == Role.STAFF and department is not None and level_of(department.region_id) != \
        RegionLevel.DISTRICT


def run_month_parse(text: str | None, *, today: dt.date | None = None) -> dt.date:
    """The month a page asks to run: `rencai pay --month`'s rules (YYYY-MM, not before 2000, never a future
    month), refused as a field error."""
    from .run import PayInputError, parse_month

    try:
        return parse_month((text or "").strip(), today=today)
    except PayInputError as exc:
        raise ValidationFailed([FieldError("month", f"所属月份：{exc.chinese}")]) from None


def run_title(month: dt.date) -> str:
    return f"{month:%Y年%-m月}发放运行"


def payment_run_start(*, actor: User, month: str | None):
    """Start (or join) the run of ``month`` in the background; returns its job. A run of that month already
    queued or running — started from the page or by the worker's schedule — is joined, not started twice.
    Refused with 403 and logged for anyone who may not run payments."""
    from rencai.jobs.services import job_enqueue

    if not can_run(actor):
        audit_record(actor=actor, action=AuditAction.DENIED, object_type="jobs.job",
                     summary="无权发起月度发放运行，已拒绝")
        raise PermissionDenied("只有市级人社、财政部门的工作人员和系统管理员可以发起月度发放运行")
    day = run_month_parse(month)
    job = job_enqueue(
        kind=RUN_KIND, title=run_title(day), actor=actor, params={"month": f"{day:%Y-%m}"},
        link="/payments/#runs", dedupe_key=run_key(day))
    audit_record(actor=actor, action=AuditAction.FULFILMENT, obj=job,
                 summary=f"发起{run_title(day)}（后台任务{job.pk}）")
    return job


@dataclass
class RunRow:
    job: object
    month: dt.date | None
    result: dict | None


def payment_runs(*, user: User, limit: int = 5) -> tuple[list, list[RunRow]]:
    """The runs a government page shows: (the active ones, to follow; the latest finished ones, with figures).
    The figures are the installation's month totals, shown to government users and administrators only."""
    from rencai.jobs.models import ACTIVE, Job

    if not (user.is_authenticated and (user.is_government or user.is_administrator)):
        return [], []
    active = list(Job.objects.filter(kind=RUN_KIND, status__in=ACTIVE).order_by("id"))
    recent = []
    for job in Job.objects.filter(kind=RUN_KIND).exclude(status__in=ACTIVE).order_by("-id")[:limit]:
        match = _MONTH.match(str((job.params or {}).get("month", "")))
        month = dt.date(int(match.group(1)), int(match.group(2)), 1) if match else None
        recent.append(RunRow(job=job, month=month, result=job.result if isinstance(job.result, dict) else None))
    return active, recent


@job_kind(RUN_KIND)
def pay_month_job(job, progress):
    """The month's run, as `rencai pay --month`; its progress lines become the job's progress (count and total
    where the line has them, policies named by their titles) and its figures the job's result."""
    from .run import pay_month

    month = dt.date.fromisoformat(f"{job.params['month']}-01")
    progress(message="正在读取本月应发放的享受资格", force=True)

    def report(message: str, done: int | None = None, total: int | None = None) -> None:
        progress(done=done, total=total, message=message)

    result = pay_month(month=month, progress=report)
    progress(message="发放记录已生成", force=True)
    return result.as_dict()
