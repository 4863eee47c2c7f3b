"""Issue 13 as a policy officer uses it, in Chromium on a phone: the graduate living subsidy's open graduation
window decided with its basis, the cost seen before publishing, published (confirmed), and then the calculator
and 政策找人 follow; every page on the way passes the page walker's checks at both sizes."""

import datetime as dt

import pytest

from rencai.browser import confirm, login
from rencai.core.tests.test_page_walk import DESKTOP, PHONE
from rencai.opportunities.tests.test_shortage_browser import _check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
POLICY = "sy-living-subsidy-graduate"


def test_an_officer_decides_the_graduation_window_sees_its_cost_and_publishes(page, officer, make_talent):
    from axe_playwright_python.sync_playwright import Axe

    from rencai.policies.calculator import calculate, default_catalog
    from rencai.policies.matching import match_run
    from rencai.policies.models import PolicyMatch

    point = next(p for p in default_catalog().policies[POLICY].open_points if "毕业" in p.question)
    recent = make_talent(name="新毕业", graduation_date="2023-07-01")
    old = make_talent(name="老毕业", graduation_date="2012-07-01")
    today = dt.date.today()
    match_run(as_of=today)
    assert set(PolicyMatch.objects.filter(policy=POLICY).values_list("talent_id", flat=True)) == {recent.pk, old.pk}
    axe, failures = Axe(), []

    login(page, "policy_officer")
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + f"/workbench/rules/{POLICY}/")
    assert point.question in page.inner_text("#open-points")
    page.goto(page.base_url + f"/workbench/rules/{POLICY}/points/{point.id}/decide/")
    page.check("input[name=kind][value=condition]")
    page.fill("#id_basis", "沈阳市高校毕业生生活补贴实施细则（试行）")
    page.fill("#id_basis_date", (today - dt.timedelta(days=10)).isoformat())
    page.fill("#id_effective_from", (today - dt.timedelta(days=1)).isoformat())
    page.fill("#id_condition_id", "graduated-within-5-years")
    page.fill("#id_condition_test", "as_of <= add_years(graduation_date, 5)")
    page.fill("#id_condition_fail", "毕业时间{graduation_date}，已超过毕业五年")
    with page.expect_navigation():
        page.click("#decide")
    assert "新增" in page.inner_text("#rule-diff") and "已超过毕业五年" in page.inner_text("#rule-diff")
    revision_url = page.url.removeprefix(page.base_url)

    # The cost before publishing: one person (the 2012 graduate) would lose it, none gained.
    page.click("#cost-run")
    page.wait_for_selector(f"#cost-{POLICY}")
    section = page.inner_text(f"#cost-{POLICY}")
    assert "失去 1 人" in section.replace("\n", " ") or "失去 1人" in section, section
    failures += _check(page, revision_url, axe, "policy_officer")

    page.set_viewport_size(PHONE)
    page.goto(page.base_url + revision_url)
    page.fill("#id_reason", "依据实施细则明确毕业年限为五年内")
    page.click("#publish")
    confirm(page, expect="确认发布")
    assert "已发布" in page.inner_text("main")
    failures += _check(page, f"/workbench/rules/{POLICY}/", axe, "policy_officer")
    assert not failures, failures

    # The calculator and 政策找人 now follow the published rule, and say what it rests on.
    answer = calculate({"city": "210100", "birth_date": "1985-03-01", "degree": "doctor",
                        "graduation_date": "2012-07-01"}, as_of=today)
    result = next(r for r in answer["results"] if r["policy"] == POLICY)
    assert result["eligible"] is False and result["decisions"][0]["point"] == point.id
    assert set(PolicyMatch.objects.filter(policy=POLICY).values_list("talent_id", flat=True)) == {recent.pk}
    page.set_viewport_size(DESKTOP)
    page.goto(page.base_url + f"/policies/matches/{POLICY}/")
    listing = page.inner_text("main")
    assert "新毕业" in listing and "老毕业" not in listing and "实施细则（试行）" in listing
    assert not page.js_errors, page.js_errors
