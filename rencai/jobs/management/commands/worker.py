"""`rencai worker`: runs the background tasks (the django-tasks database queue), the schedule, and the recovery of
what a killed worker left running. One process; run more than one for more throughput (they share the queue)."""

import logging
import signal
import sys
import threading
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.db.utils import OperationalError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from rencai.jobs import services
from rencai.jobs.schedule import SCHEDULE, schedule_tick
from rencai.notifications.services import notifications_email_sweep

logger = logging.getLogger("rencai.jobs")
HEARTBEAT_SECONDS = 10
HOUSEKEEPING_SECONDS = 30
EMAIL_SWEEP_SECONDS = 600


class RencaiWorker(Worker):
    def __init__(self, *, schedule: bool, skip=(), **kwargs):
        super().__init__(**kwargs)
        self.schedule = schedule
        self.skip = set(skip)
        self._last_sweep = 0.0
        self.started_at = timezone.now()
        self._last_housekeeping = 0.0
        self._stop = threading.Event()

    def _heartbeat_loop(self) -> None:
        while not self._stop.wait(HEARTBEAT_SECONDS):
            try:
                services.worker_heartbeat(self.worker_id, started_at=self.started_at)
            except OperationalError:  # SQLite busy with a long write: try again next time
                pass
            finally:
                connection.close()

    def housekeeping(self) -> None:
        now = time.monotonic()
        if now - self._last_housekeeping < HOUSEKEEPING_SECONDS:
            return
        self._last_housekeeping = now
        try:
            services.worker_heartbeat(self.worker_id, started_at=self.started_at)
            recovered = services.jobs_recover_stale()
            if any(recovered.values()):
                logger.warning("recovered from a dead worker: %s", recovered)
            if self.schedule:
                for job in schedule_tick(skip=self.skip):
                    logger.info("scheduled: %s (job %s)", job.title, job.pk)
            if now - self._last_sweep >= EMAIL_SWEEP_SECONDS:
                self._last_sweep = now
                notifications_email_sweep()
        except OperationalError as exc:
            if not is_locked_database_exception(exc):
                raise

    def run(self) -> None:
        services.CURRENT_WORKER_ID = self.worker_id
        services.worker_heartbeat(self.worker_id, started_at=self.started_at)
        threading.Thread(target=self._heartbeat_loop, daemon=True, name="heartbeat").start()
        logger.info("worker %s started", self.worker_id)
        try:
            while self.running:
                close_old_connections()
                self.housekeeping()
                tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
                if not self.process_all_queues:
                    tasks = tasks.filter(queue_name__in=self.queue_names)
                task_result, retrieved = None, True
                with exclusive_transaction(tasks.db):
                    try:
                        task_result = tasks.get_locked()
                        if task_result is not None:
                            task_result.claim(self.worker_id)
                    except OperationalError as exc:
                        retrieved = False
                        if not is_locked_database_exception(exc):
                            raise
                if task_result is not None:
                    self.run_task(task_result)
                elif self.batch and retrieved:
                    return
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
                close_old_connections()
                if self.running and task_result is None:
                    time.sleep(self.interval)
        finally:
            self._stop.set()


class Command(BaseCommand):
    help = "运行后台任务和定时任务 / run the background tasks and the schedule"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls of an empty queue")
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--no-schedule", action="store_true", help="do not enqueue the scheduled jobs")
        parser.add_argument("--skip", action="append", default=[], choices=[e.name for e in SCHEDULE],
                            help="a scheduled job not to run (repeatable)")
        parser.add_argument("--backend", default="default", help="the task backend (a database backend)")
        parser.add_argument("--max-tasks", type=int, default=None)

    def handle(self, *args, interval, batch, no_schedule, skip, backend, max_tasks, verbosity, **options):
        for name in ("rencai.jobs", "django_tasks_db", "django_tasks"):
            log = logging.getLogger(name)
            log.setLevel(logging.INFO if verbosity >= 1 else logging.WARNING)
            if not log.handlers:
                log.addHandler(logging.StreamHandler(self.stdout))
                log.propagate = False
        worker = RencaiWorker(queue_names=["*"], interval=interval, batch=batch, backend_name=backend,
                              startup_delay=False, max_tasks=max_tasks,
                              worker_id=get_random_string(32), excluded_queue_names=[],
                              schedule=not no_schedule, skip=skip)
        worker.configure_signals()
        try:
            worker.run()
        except SystemExit:
            raise
        finally:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
        sys.stdout.flush()
