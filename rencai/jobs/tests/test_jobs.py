"""Long jobs: run twice is harmless, a killed worker's job is picked up again, the progress partial, the
schedule runs each period once, and `rencai job --follow`."""

import datetime as dt
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rencai.accounts.enums import Role
from rencai.jobs import services
from rencai.jobs.models import Job, JobStatus, ScheduleSlot, WorkerHeartbeat
from rencai.jobs.registry import job_kind
from rencai.jobs.schedule import Scheduled, schedule_tick

pytestmark = pytest.mark.django_db
RUNS: list[int] = []


@job_kind("test_count")
def _count(job, progress):
    RUNS.append(job.pk)
    progress(total=3, done=0, message="开始", force=True)
    for i in range(3):
        progress(done=i + 1)
    return {"counted": 3}


@pytest.fixture(autouse=True)
def _clear_runs():
    RUNS.clear()


def test_a_job_run_twice_runs_its_body_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # nothing enqueued: we are the worker
        job = services.job_enqueue(kind="test_count", title="计数")
    assert services.job_run(job.pk) == "succeeded"
    assert services.job_run(job.pk).startswith("not runnable")
    job.refresh_from_db()
    assert RUNS == [job.pk]
    assert (job.status, job.done, job.total, job.result, job.attempts) == (JobStatus.SUCCEEDED, 3, 3, {"counted": 3}, 1)


def test_a_running_job_with_a_live_heartbeat_is_not_run_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = services.job_enqueue(kind="test_count", title="计数")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=timezone.now(), worker_id="w1")
    assert services.job_run(job.pk).startswith("not runnable")
    assert RUNS == []


def test_a_job_left_running_by_a_killed_worker_is_picked_up_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = services.job_enqueue(kind="test_count", title="计数")
    long_ago = timezone.now() - timedelta(minutes=30)
    # The dead worker had claimed the queue entry and the job, then stopped writing its heartbeat.
    task = DBTaskResult.objects.create(args_kwargs={"args": [job.pk], "kwargs": {}},
                                       task_path="rencai.jobs.tasks.run_job", backend_name="default",
                                       run_after=long_ago, status="RUNNING",
                                       worker_ids=["dead-worker"], started_at=long_ago)
    WorkerHeartbeat.objects.create(worker_id="dead-worker", pid=1, host="h", started_at=long_ago, seen_at=long_ago)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=long_ago, worker_id="dead-worker",
                                         task_id=str(task.pk), attempts=1)
    assert services.jobs_recover_stale() == {"tasks_reset": 1, "jobs_requeued": 0}
    task.refresh_from_db()
    assert task.status == "READY"  # the queue hands it to the next worker ...
    assert services.job_run(job.pk) == "succeeded"  # ... which runs the job again from the start
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2 and RUNS == [job.pk]


def test_a_stale_job_whose_task_is_gone_gets_a_new_task(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = services.job_enqueue(kind="test_count", title="计数")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=timezone.now() - timedelta(hours=1),
                                         worker_id="gone")
    # The tests' task backend runs a task as soon as it is enqueued.
    assert services.jobs_recover_stale()["jobs_requeued"] == 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and RUNS == [job.pk]
    assert services.jobs_recover_stale()["jobs_requeued"] == 0


def test_a_failing_job_says_why_and_tells_its_creator(make_user, django_capture_on_commit_callbacks):
    from rencai.core.errors import AppError

    @job_kind("test_fail")
    def _fail(job, progress):
        raise AppError("第3行：身份证号码校验位不正确")

    user = make_user("starter", Role.STAFF, "210102")
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_enqueue(kind="test_fail", title="导入人才", actor=user, link="/talents/import/")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "第3行" in job.error
    assert user.notifications.get().title == "导入人才未能完成"


def test_one_active_job_per_key(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = services.job_enqueue(kind="test_count", title="计数", dedupe_key="count")
        second = services.job_enqueue(kind="test_count", title="计数", dedupe_key="count")
    assert first.pk == second.pk
    services.job_run(first.pk)
    with django_capture_on_commit_callbacks(execute=False):
        third = services.job_enqueue(kind="test_count", title="计数", dedupe_key="count")
    assert third.pk != first.pk


def test_the_progress_partial_polls_while_running_and_stops_when_done(client, make_user,
                                                                      django_capture_on_commit_callbacks):
    user = make_user("watcher", Role.STAFF, "210102")
    other = make_user("stranger", Role.TALENT)
    with django_capture_on_commit_callbacks(execute=False):
        job = services.job_enqueue(kind="test_count", title="政策找人重新计算", actor=user)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=40, total=160, message="正在计算第2批")
    client.force_login(user)
    html = client.get(f"/jobs/{job.pk}/progress/?refresh=1", HTTP_HX_REQUEST="true")
    text = html.content.decode()
    assert html.status_code == 200 and "HX-Refresh" not in html
    assert f'hx-get="/jobs/{job.pk}/progress/?refresh=1"' in text and 'value="25"' in text
    assert "40 / 160" in text and "正在计算第2批" in text and "进行中" in text
    services.job_run(job.pk)  # stale-free: status running without heartbeat counts as claimable
    done = client.get(f"/jobs/{job.pk}/progress/?refresh=1", HTTP_HX_REQUEST="true")
    assert "hx-get" not in done.content.decode() and done["HX-Refresh"] == "true"
    assert "已完成" in client.get(f"/jobs/{job.pk}/").content.decode()
    assert client.get(f"/jobs/{job.pk}/progress/")["Location"] == f"/jobs/{job.pk}/"  # not htmx: the page
    client.force_login(other)
    assert client.get(f"/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true").status_code == 404
    assert client.get(f"/jobs/{job.pk}/").status_code == 404


def test_the_schedule_enqueues_each_period_once(django_capture_on_commit_callbacks):
    entries = [Scheduled("sweep", "补发邮件", "notifications_email_sweep", "day", dt.time(2, 0)),
               Scheduled("monthly", "本月发放", "notifications_email_sweep", "month", dt.time(3, 0), day=1),
               Scheduled("absent", "不存在的命令", "no_such_command", "day")]
    tz = timezone.get_current_timezone()
    early = dt.datetime(2026, 12, 1, 1, 0, tzinfo=tz)
    late = dt.datetime(2026, 12, 1, 9, 0, tzinfo=tz)
    with django_capture_on_commit_callbacks(execute=True):
        assert schedule_tick(early, entries=entries) == []  # neither period has started
        started = schedule_tick(late, entries=entries)
        assert sorted(j.title for j in started) == ["本月发放", "补发邮件"]
        assert schedule_tick(late + timedelta(hours=3), entries=entries) == []  # same day, same month
        again = schedule_tick(late + timedelta(days=1), entries=entries)
        assert schedule_tick(late + timedelta(days=2), entries=entries, skip={"sweep"}) == []  # rencai worker --skip
    assert [j.title for j in again] == ["补发邮件"]
    assert set(ScheduleSlot.objects.values_list("name", "slot")) == {
        ("sweep", "2026-12-01"), ("monthly", "2026-12"), ("sweep", "2026-12-02")}
    assert all(j.status == JobStatus.SUCCEEDED for j in Job.objects.all())
    assert Scheduled("pay", "发放", "pay", "month", args=("--month", "{month}")).arguments(late) == [
        "--month", "2026-12"]


def test_job_command_follows_to_the_end(capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_enqueue(kind="test_count", title="计数")
    call_command("job", str(job.pk), "--follow")
    out = capsys.readouterr().out
    assert f"[{job.pk}] 计数 · 已完成 · 3/3 (100%)" in out and '"counted": 3' in out


def test_every_scheduled_command_may_run_as_a_job():
    """A scheduled entry whose command the job runner refuses would fail every day (feedback_check did)."""
    from rencai.jobs.jobs import ALLOWED_COMMANDS
    from rencai.jobs.schedule import SCHEDULE

    commands = {entry.command for entry in SCHEDULE if not entry.job}
    assert commands - ALLOWED_COMMANDS == set()
