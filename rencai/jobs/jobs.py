"""Job kinds of the jobs app itself: a management command run in the background (the schedule's entries)."""

import io

from django.core.management import CommandError, call_command

from rencai.core.errors import AppError

from .registry import job_kind

# Only these commands may be run as jobs (the schedule's and the long ones a page may start).
ALLOWED_COMMANDS = {"recognition_expire", "check_deadlines", "pay", "notifications_email_sweep", "match",
                    "datahub_check", "services_check", "feedback_check", "warnings_check",
                    "opportunities_close_expired"}


@job_kind("command")
def run_command(job, progress):
    name = job.params.get("command")
    if name not in ALLOWED_COMMANDS:
        raise AppError(f"不允许在后台运行该命令：{name}")
    args = [str(a) for a in job.params.get("args", [])]
    progress(message=f"正在运行 rencai {name}", force=True)
    out = io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=out)
    except SystemExit as exc:  # a command that exits with a code (e.g. 2 for bad input) fails the job
        if exc.code not in (0, None):
            raise AppError(f"rencai {name} 退出码 {exc.code}：{out.getvalue()[-300:]}") from None
    except CommandError as exc:
        raise AppError(f"rencai {name}：{exc}") from None
    return {"output": out.getvalue()[-4000:]}
