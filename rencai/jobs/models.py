"""Long jobs with progress (Job), the workers' heartbeats, and the schedule's slots already enqueued."""

from django.conf import settings
from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(models.Model):
    """One run of a long job (an Excel import, 政策找人, a what-if, the monthly payment run ...). The task that runs
    it takes the job's id; progress (done/total/message) is written here and polled by the page."""

    kind = models.CharField("类型", max_length=50)
    title = models.CharField("名称", max_length=200)
    params = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.BigIntegerField("已完成", default=0)
    total = models.BigIntegerField("总数", default=0)
    message = models.CharField("进度说明", max_length=300, blank=True)
    result = models.JSONField("结果", null=True, blank=True)
    error = models.CharField("失败原因", max_length=500, blank=True)
    link = models.CharField("查看页面", max_length=300, blank=True)
    # Only one active job per key (e.g. one 政策找人 run at a time): the second request joins the first.
    dedupe_key = models.CharField("去重键", max_length=200, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="发起人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    attempts = models.PositiveIntegerField("执行次数", default=0)
    worker_id = models.CharField("执行进程", max_length=64, blank=True)
    task_id = models.CharField("任务编号", max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], condition=models.Q(status__in=["queued", "running"]),
                                    name="job_one_active_per_key"),
            models.CheckConstraint(condition=models.Q(done__gte=0) & models.Q(total__gte=0), name="job_counts"),
        ]
        indexes = [models.Index(fields=["kind", "status"], name="job_kind_status_idx")]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        return min(100, int(self.done * 100 / self.total)) if self.total else 0


class WorkerHeartbeat(models.Model):
    """A running `rencai worker` writes here every few seconds; one that stopped writing is dead."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    pid = models.IntegerField()
    host = models.CharField(max_length=200)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "后台进程"

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"


class ScheduleSlot(models.Model):
    """A scheduled job enqueued for one period (the day, the month): unique, so two workers never both run it."""

    name = models.CharField(max_length=100)
    slot = models.CharField(max_length=20)
    job = models.ForeignKey(Job, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "定时任务记录"
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="schedule_once_per_slot")]

    def __str__(self) -> str:
        return f"{self.name} {self.slot}"
