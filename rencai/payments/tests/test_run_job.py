"""The monthly run started from 资金发放 as a background job: who may start it (403 and logged otherwise), bad
months refused naming the field, one run per month at a time, progress in words, the figures on the page, and
`rencai job ID` on the command line."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from rencai.audit.models import AuditEvent
from rencai.jobs.models import Job, JobStatus
from rencai.jobs.registry import job_body
from rencai.payments.jobs import RUN_KIND, run_month_parse
from rencai.payments.models import Payment
from rencai.payments.run import pay_month

from .factories import POLICY, budget, clone_talents, entitlements_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def this_month():
    return timezone.localdate().replace(day=1)


@pytest.fixture
def three_entitled(make_talent, this_month):
    talents = [make_talent(name="发放甲"), *clone_talents(make_talent(name="发放乙"), 2)]
    entitlements_for(talents, start=this_month)
    budget(POLICY, this_month.year, 1_000_000)
    return talents


def test_finance_starts_the_month_in_the_background_and_the_page_shows_the_figures(
        client, finance, leader, three_entitled, this_month, django_capture_on_commit_callbacks):
    client.force_login(finance)
    page = client.get("/payments/").content.decode()
    assert 'id="run-form"' in page and f'value="{this_month:%Y-%m}"' in page
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = client.post("/payments/runs/new/", {"confirmed": "1", "month": f"{this_month:%Y-%m}"})
        # a second click joins the first
        client.post("/payments/runs/new/", {"confirmed": "1", "month": f"{this_month:%Y-%m}"})
    assert first.status_code == 302 and first["Location"] == "/payments/#runs"
    job = Job.objects.get(kind=RUN_KIND)
    assert job.status == JobStatus.QUEUED and not Payment.objects.exists()
    assert AuditEvent.objects.filter(actor=finance, object_id=str(job.pk), summary__contains="发放运行").count() == 2
    page = client.get("/payments/").content.decode()
    assert f"/jobs/{job.pk}/progress/?refresh=1" in page and 'id="run-results"' not in page
    client.force_login(leader)  # leaders follow the office's run
    assert client.get(f"/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true").status_code == 200
    for callback in queued:
        callback()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result == {"month": f"{this_month:%Y-%m}", "created": 3, "existing": 0, "stopped": 0, "held": 0,
                          "amount_created": "7500.00", "amount_month": "7500.00", "payments_month": 3}
    assert Payment.objects.filter(month=this_month).count() == 3
    client.force_login(finance)
    page = client.get("/payments/").content.decode()
    assert f'<tr data-job="{job.pk}"><td>{this_month.year}年{this_month.month}月</td>' in page
    assert '<td class="run-created">3</td>' in page and '<td class="run-amount-created">7500.00</td>' in page
    assert '<td class="run-month-total">3 笔，7500.00 元</td>' in page
    assert f"/jobs/{job.pk}/progress/" not in page  # nothing left to follow
    assert finance.notifications.filter(kind="job", title__contains="发放运行已完成").exists()
    # Run again: nothing new, what was there counted as existing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/payments/runs/new/", {"confirmed": "1", "month": f"{this_month:%Y-%m}"})
    again = Job.objects.filter(kind=RUN_KIND).latest("id")
    assert again.pk != job.pk and (again.result["created"], again.result["existing"]) == (0, 3)


@pytest.mark.parametrize("who", ["leader", "heping_staff", "talent_user"])
def test_only_city_staff_finance_and_administrators_may_start_a_run(client, request, who, this_month):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.post("/payments/runs/new/", {"confirmed": "1", "month": f"{this_month:%Y-%m}"})
    assert response.status_code == 403 and "发放运行" in response.content.decode()
    assert not Job.objects.filter(kind=RUN_KIND).exists()
    assert AuditEvent.objects.filter(action="denied", actor=user, summary__contains="发放运行").exists()
    if who != "talent_user":
        assert 'id="run-form"' not in client.get("/payments/").content.decode()


@pytest.mark.parametrize("month", ["", "2025-13", "2025-4", "abc", "1999-12", "2999-01"])
def test_a_bad_month_is_refused_naming_the_field_and_starts_nothing(client, city_staff, month):
    client.force_login(city_staff)
    response = client.post("/payments/runs/new/", {"confirmed": "1", "month": month})
    assert response.status_code == 422 and "所属月份" in response.content.decode()
    assert not Job.objects.filter(kind=RUN_KIND).exists()


def test_run_month_parse_takes_this_month_and_refuses_the_next():
    today = dt.date(2025, 12, 31)
    assert run_month_parse("2025-12", today=today) == dt.date(2025, 12, 1)
    assert run_month_parse(" 2024-01 ", today=today) == dt.date(2024, 1, 1)
    with pytest.raises(Exception, match="未来月份"):
        run_month_parse("2026-01", today=today)


def test_progress_is_counted_and_worded_with_policy_titles(three_entitled, this_month, finance):
    job = Job.objects.create(kind=RUN_KIND, title="发放运行", params={"month": f"{this_month:%Y-%m}"},
                             created_by=finance)
    calls = []

    def progress(*, done=None, total=None, message=None, force=False):
        calls.append((done, total, message))

    result = job_body(RUN_KIND)(job, progress)
    assert result["created"] == 3
    counted = [c for c in calls if c[1] is not None]
    assert counted and counted[-1][:2] == (3, 3)
    assert all(POLICY not in (message or "") for _d, _t, message in calls)
    assert any("高校毕业生生活补贴" in (message or "") for _d, _t, message in counted)


def test_a_run_started_from_the_page_can_be_followed_on_the_command_line(client, city_staff, three_entitled,
                                                                         this_month,
                                                                         django_capture_on_commit_callbacks):
    client.force_login(city_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/payments/runs/new/", {"confirmed": "1", "month": f"{this_month:%Y-%m}"})
    job = Job.objects.get(kind=RUN_KIND)
    out = io.StringIO()
    call_command("job", str(job.pk), "--follow", "--interval", "0", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert "已完成" in lines[0] and json.loads(lines[-1])["created"] == 3


def test_the_scheduled_run_is_the_same_job_and_a_click_joins_it(client, city_staff, this_month,
                                                                django_capture_on_commit_callbacks):
    """The worker's schedule enqueues the month's run as this job kind, under the key the page uses: a click on
    资金发放 the same month joins it, and its progress and figures show on the page."""
    from rencai.jobs.schedule import SCHEDULE, schedule_tick

    monthly = [entry for entry in SCHEDULE if entry.name == "monthly_payments"]
    now = timezone.make_aware(dt.datetime.combine(this_month.replace(day=1), dt.time(4, 0)))
    with django_capture_on_commit_callbacks(execute=False):
        [scheduled] = schedule_tick(now, entries=monthly)
        client.force_login(city_staff)
        assert client.post("/payments/runs/new/", {"confirmed": "1", "month": f"{this_month:%Y-%m}"}).status_code == 302
    assert scheduled.kind == RUN_KIND and scheduled.params == {"month": f"{this_month:%Y-%m}"}
    assert list(Job.objects.filter(kind=RUN_KIND)) == [scheduled]
    assert f"/jobs/{scheduled.pk}/progress/?refresh=1" in client.get("/payments/").content.decode()


def test_the_run_job_is_the_same_run_as_the_command(three_entitled, this_month, finance,
                                                    django_capture_on_commit_callbacks):
    """Run from the page after `rencai pay` made the month: nothing new, the same totals."""
    from rencai.payments.jobs import payment_run_start

    before = pay_month(month=this_month).as_dict()
    with django_capture_on_commit_callbacks(execute=True):
        job = payment_run_start(actor=finance, month=f"{this_month:%Y-%m}")
    job.refresh_from_db()
    assert job.result == {**before, "created": 0, "existing": 3, "amount_created": "0.00"}
