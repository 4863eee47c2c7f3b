"""政策找人 is never stale without saying so: its summary and its lists show 截至 <the last run>, a run under
way with its progress, and 重新计算 (back to the page it was asked from) for staff who may start one."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from rencai.jobs.models import Job, JobStatus
from rencai.policies.matching import match_run
from rencai.policies.models import MatchRun

pytestmark = pytest.mark.django_db
LIST = "/policies/matches/sy-living-subsidy-graduate/"


@pytest.fixture
def run(make_talent):
    make_talent(name="和平博士")
    return match_run(as_of=dt.date.today())


def test_both_pages_say_as_of_when_and_offer_a_refresh_to_staff(client, run, heping_staff, leader):
    finished = timezone.localtime(MatchRun.objects.get(pk=run.pk).finished_at)
    for user, may in ((heping_staff, True), (leader, False)):
        client.force_login(user)
        for url in ("/policies/matches/", LIST):
            html = client.get(url).content.decode()
            assert f"数据截至 {finished:%Y-%m-%d %H:%M}" in html, url
            assert ('id="match-recompute"' in html) == may, (user, url)
            if may:
                assert f'name="next" value="{url}"' in html


def test_a_refresh_from_a_list_returns_to_it_and_shows_its_progress(client, run, heping_staff, leader,
                                                                    django_capture_on_commit_callbacks):
    client.force_login(heping_staff)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post("/policies/matches/recompute/", {"next": LIST})
    assert response.status_code == 302 and response["Location"] == LIST
    job = Job.objects.get(kind="match")
    html = client.get(LIST).content.decode()
    assert f"/jobs/{job.pk}/progress/?refresh=1" in html and 'id="match-recompute"' not in html
    client.force_login(leader)  # the office's run: a leader follows it too
    assert f"/jobs/{job.pk}/progress/?refresh=1" in client.get(LIST).content.decode()
    client.force_login(heping_staff)  # a link off the pages is not followed
    with django_capture_on_commit_callbacks(execute=False):
        away = client.post("/policies/matches/recompute/", {"next": "https://example.com/policies/matches/"})
    assert away["Location"] == "/policies/matches/"


def test_a_failed_run_after_the_figures_is_shown_and_may_be_started_again(client, run, heping_staff):
    job = Job.objects.create(kind="match", title="政策找人重新计算", status=JobStatus.FAILED,
                             dedupe_key="policies:match", finished_at=timezone.now() + dt.timedelta(seconds=1),
                             error="数据库连接中断")
    client.force_login(heping_staff)
    html = client.get(LIST).content.decode()
    assert "数据库连接中断" in html and 'id="match-recompute"' in html
    Job.objects.filter(pk=job.pk).update(finished_at=run.finished_at - dt.timedelta(minutes=1))
    assert "数据库连接中断" not in client.get(LIST).content.decode()  # older than the figures: not news


def test_the_home_page_says_as_of_when_too(client, run, heping_staff):
    client.force_login(heping_staff)
    html = client.get("/").content.decode()
    line = re.sub(r"<[^>]+>", "", html.split('id="home-matches">')[1].split("</p>")[0])
    assert line.startswith(f"截至 {timezone.localtime(MatchRun.objects.get(pk=run.pk).finished_at):%Y-%m-%d %H:%M}")
