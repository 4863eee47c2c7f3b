"""What runs on a schedule (local time, Asia/Shanghai), enqueued by `rencai worker` as jobs.

Each entry runs once per period (day or month): the worker records the period in ScheduleSlot (unique), so two
workers never both enqueue it, and a worker started late in the period still runs it (catch-up). An entry whose
command does not exist in this installation is skipped, and so is one named in `rencai worker --skip NAME`
(`make run` skips the monthly payment run: in the demo, staff start this month's run themselves).
The worker also re-queues, every ten minutes, e-mails whose task was lost (notifications_email_sweep).
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scheduled:
    """A management command run as a generic job, or, with ``job``, a job kind of its own (its progress and
    result shown on its page) whose ``params`` and ``dedupe`` key are filled with the period: a run started by
    hand in the same period is joined, not doubled."""

    name: str
    title: str
    command: str
    every: str  # "day" | "month"
    at: dt.time = dt.time(0, 0)
    day: int = 1  # day of the month, for "month"
    args: tuple = field(default_factory=tuple)
    job: str = ""
    params: tuple = field(default_factory=tuple)  # (name, template) pairs
    dedupe: str = ""

    def slot(self, now: dt.datetime) -> str | None:
        """The period ``now`` falls in, once its start time has passed; None before it."""
        if self.every == "day":
            return f"{now:%Y-%m-%d}" if now.time() >= self.at else None
        if self.every == "month":
            due = now.day > self.day or (now.day == self.day and now.time() >= self.at)
            return f"{now:%Y-%m}" if due else None
        raise ValueError(self.every)

    def arguments(self, now: dt.datetime) -> list[str]:
        return [_fill(a, now) for a in self.args]

    def enqueue(self, now: dt.datetime):
        from .services import job_enqueue

        if self.job:
            return job_enqueue(kind=self.job, title=_fill(self.title, now),
                               params={k: _fill(v, now) for k, v in self.params},
                               dedupe_key=_fill(self.dedupe, now) or f"schedule:{self.name}")
        return job_enqueue(kind="command", title=self.title,
                           params={"command": self.command, "args": self.arguments(now)},
                           dedupe_key=f"schedule:{self.name}")


def _fill(template: str, now: dt.datetime) -> str:
    return template.format(month=f"{now:%Y-%m}", day=f"{now:%Y-%m-%d}", month_title=f"{now:%Y年%-m月}")


SCHEDULE = [
    Scheduled("recognition_expire", "人才认定到期处理", "recognition_expire", "day", dt.time(1, 0)),
    Scheduled("deadline_check", "办理时限检查（超期提醒）", "check_deadlines", "day", dt.time(7, 0)),
    Scheduled("services_check", "人才服务时限检查（即将超期、超期上报督办）", "services_check", "day", dt.time(6, 30)),
    Scheduled("datahub_check", "数据源报送时效检查（逾期提醒）", "datahub_check", "day", dt.time(8, 0)),
    Scheduled("opportunities_close", "人才对接截止检查（关闭已过截止日期的岗位和榜单）",
              "opportunities_close_expired", "day", dt.time(0, 30)),
    Scheduled("feedback_check", "回访与咨询时限检查（超期提醒）", "feedback_check", "day", dt.time(7, 30)),
    # after the day's deadline checks and the data centre's: 决策预警 reads what they leave
    Scheduled("warnings_check", "决策预警评估（发出新预警、解除已消除的）", "warnings_check", "day", dt.time(8, 30)),
    # The same job as 资金发放's button (payments.jobs): one run of a month, however it was started.
    Scheduled("monthly_payments", "{month_title}发放运行", "pay", "month", dt.time(3, 0), day=1,
              job="pay_month", params=(("month", "{month}"),), dedupe="payments:run:{month}"),
]


def schedule_tick(now: dt.datetime | None = None, *, entries=None, skip=()) -> list:
    """Enqueue every entry whose period has started and was not enqueued yet. Returns the jobs started."""
    from django.core.management import get_commands

    from .models import ScheduleSlot

    now = timezone.localtime(now or timezone.now())
    commands = get_commands()
    started = []
    for entry in SCHEDULE if entries is None else entries:
        slot = entry.slot(now)
        if slot is None or entry.command not in commands or entry.name in skip:
            continue
        if ScheduleSlot.objects.filter(name=entry.name, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                record = ScheduleSlot.objects.create(name=entry.name, slot=slot)
                job = entry.enqueue(now)
                record.job = job
                record.save(update_fields=["job"])
        except IntegrityError:  # another worker took this period
            continue
        started.append(job)
    return started
