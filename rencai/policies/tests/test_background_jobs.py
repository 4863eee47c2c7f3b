"""政策找人's 重新计算 and a large what-if run as background jobs with progress on their pages."""

import pytest
from django.test import override_settings

from rencai.audit.models import AuditEvent
from rencai.jobs.models import Job, JobStatus
from rencai.policies.models import MatchRun

pytestmark = pytest.mark.django_db


def test_staff_recompute_runs_in_the_background_and_the_page_follows_it(client, heping_staff, leader, make_talent,
                                                                        django_capture_on_commit_callbacks):
    make_talent(name="和平博士")
    client.force_login(heping_staff)
    assert "重新计算" in client.get("/policies/matches/").content.decode()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert client.post("/policies/matches/recompute/").status_code == 302
        client.post("/policies/matches/recompute/")  # a second click joins the first run
    job = Job.objects.get(kind="match")
    assert job.status == JobStatus.QUEUED and not MatchRun.objects.exists()
    assert AuditEvent.objects.filter(object_id=str(job.pk), summary__contains="政策找人重新计算").count() == 2
    page = client.get("/policies/matches/").content.decode()
    assert f"/jobs/{job.pk}/progress/?refresh=1" in page and 'id="match-recompute"' not in page
    client.force_login(leader)  # leaders see the progress of the office's run, and cannot start one
    assert client.get(f"/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true").status_code == 200
    assert client.post("/policies/matches/recompute/").status_code == 403
    assert AuditEvent.objects.filter(action="denied", actor=leader, summary__contains="政策找人").exists()
    for callback in queued:
        callback()
    job.refresh_from_db()
    run = MatchRun.objects.get()
    assert job.status == JobStatus.SUCCEEDED and job.result["run_id"] == run.pk and run.talents == 1
    assert "已保存" in job.message or "计算完成" in job.message
    client.force_login(heping_staff)
    page = client.get("/policies/matches/").content.decode()
    assert 'id="match-as-of"' in page and "数据截至" in page and 'data-policy="sy-rent-subsidy"' in page
    assert heping_staff.notifications.filter(kind="job").exists()


@override_settings(RENCAI_WHATIF_INLINE_TALENTS=0)
def test_a_large_what_if_runs_in_the_background_then_answers(client, heping_staff, make_talent,
                                                             django_capture_on_commit_callbacks):
    make_talent(name="和平博士")
    make_talent(name="浑南博士", district="浑南区")
    query = "/policies/whatif/?key=sy-living-subsidy-graduate.doctor&amount=3000&as_of=2024-06-01"
    client.force_login(heping_staff)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = client.get(query).content.decode()
    job = Job.objects.get(kind="whatif")
    assert f"/jobs/{job.pk}/progress/?refresh=1" in first and 'id="whatif-result"' not in first
    for callback in queued:
        callback()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    html = client.get(query).content.decode()  # the page reloads when the job ends: answered from its result
    assert '<td class="people-changed">1</td>' in html and '<td class="this-year-change">3500.00</td>' in html
    assert Job.objects.filter(kind="whatif").count() == 1
