"""A 定向岗位 from publication to a hire in Chromium at phone size (375×812): the employer posts it, 和平区's staff
approve it (the confirm dialog), the returnee applies, the employer moves the application to interview, offer
and hired (the dialog), and the talent's registry record shows the new employer. The public page at desktop
passes the page walker's checks."""

import datetime as dt

import pytest
from django.utils import timezone

from . import jobs_fixtures as fx

org, hr, returnee, published_job = fx.org, fx.hr, fx.returnee, fx.published_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_targeted_job_from_posting_to_hire_on_a_phone(page, hr, heping_staff, returnee, talent_user):
    from rencai.browser import confirm, login
    from rencai.opportunities.models import Application, Opportunity

    page.set_viewport_size({"width": 375, "height": 812})
    login(page, hr.username)
    page.goto(page.base_url + "/opportunities/jobs/new/")
    page.fill("#title", "机器人算法工程师（定向）")
    page.fill("#description", "负责工业机器人运动控制算法研发")
    page.fill("#majors", "自动化")
    page.check("#targeted_returnee")
    page.fill("#salary_min", "15000")
    page.fill("#salary_max", "25000")
    page.fill("#closes_on", (timezone.localdate() + dt.timedelta(days=30)).isoformat())
    with page.expect_navigation():
        page.click("#save-submit")
    job = Opportunity.objects.get()
    assert job.status == "pending" and job.targeted_returnee

    login(page, heping_staff.username)
    page.goto(page.base_url + f"/opportunities/{job.pk}/")
    page.click("#approve")
    confirm(page, expect="确认发布")
    assert page.locator("#opportunity-status").inner_text() == "已发布"

    login(page, talent_user.username)
    page.goto(page.base_url + f"/opportunities/{job.pk}/")
    page.fill("#cover_note", "在海外从事机器人研究五年")
    with page.expect_navigation():
        page.click("#apply-submit")
    assert "已投递" in page.locator(".application").first.inner_text()
    application = Application.objects.get()

    login(page, hr.username)
    page.goto(page.base_url + f"/opportunities/jobs/{job.pk}/applicants/")
    for target in ("interview", "offer"):
        with page.expect_navigation():
            page.click(f"#move-{application.pk}-{target}")
    page.click(f"#move-{application.pk}-hired")
    confirm(page, expect="人才信息库")
    assert "已录用" in page.locator(f"#applicant-{application.pk} .state").inner_text()

    login(page, talent_user.username)
    page.goto(page.base_url + "/me/")
    assert hr.organization.name in page.content()
    assert not page.js_errors, page.js_errors


def test_the_public_page_passes_the_walkers_checks_at_desktop(page, published_job):
    from axe_playwright_python.sync_playwright import Axe

    from rencai.core.tests.test_page_walk import DESKTOP, DESKTOP_CHECKS, _problems, internal_names

    page.set_viewport_size(DESKTOP)
    page.context.clear_cookies()
    response = page.goto(page.base_url + "/opportunities/open/?targeted=1")
    assert response.status == 200 and published_job.title in page.content()
    checks = page.evaluate(DESKTOP_CHECKS)
    failures = _problems(checks["layout"], phone=False) + internal_names(checks["text"])
    failures += [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    page.click(f"text={published_job.title}")
    assert "登录后申请" in page.content()
    assert not failures, failures
