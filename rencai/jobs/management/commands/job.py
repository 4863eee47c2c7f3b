"""`rencai job ID [--follow]`: a background job's status and progress on the command line; `rencai job --list`."""

import json
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from rencai.jobs.models import Job, JobStatus


def _line(job: Job) -> str:
    count = f"{job.done}/{job.total}" if job.total else f"{job.done}"
    return f"[{job.pk}] {job.title} · {job.get_status_display()} · {count} ({job.percent}%) {job.message}".rstrip()


class Command(BaseCommand):
    help = "后台任务的状态和进度 / a background job's status and progress"

    def add_arguments(self, parser):
        parser.add_argument("job_id", nargs="?", type=int)
        parser.add_argument("--follow", action="store_true", help="print progress until the job ends")
        parser.add_argument("--list", action="store_true", help="the 20 latest jobs")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--timeout", type=float, default=None, help="stop following after this many seconds")

    def handle(self, *args, job_id, follow, interval, timeout, **options):
        if options["list"] or job_id is None:
            for job in Job.objects.order_by("-id")[:20]:
                self.stdout.write(_line(job))
            return
        job = Job.objects.filter(pk=job_id).first()
        if job is None:
            raise CommandError(f"没有编号为 {job_id} 的后台任务 / no job {job_id}")
        started, last = time.monotonic(), None
        while True:
            line = _line(job)
            if line != last:
                self.stdout.write(line)
                last = line
            if job.finished or not follow:
                break
            if timeout is not None and time.monotonic() - started > timeout:
                raise CommandError("等待超时 / timed out while following")
            time.sleep(interval)
            job.refresh_from_db()
        if job.finished:
            if job.status == JobStatus.FAILED:
                self.stderr.write(f"失败 / failed: {job.error}")
                sys.exit(1)
            if job.result is not None:
                self.stdout.write(json.dumps(job.result, ensure_ascii=False, default=str)[:4000])
