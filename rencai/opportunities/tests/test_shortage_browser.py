"""The 急需紧缺人才需求目录 in Chromium, as people use it: an employer submits a demand on a phone, its district's
staff take it in, city staff publish the catalog on a desktop, and anyone reads it on the public page — every page
on the way checked with the page walker's own checks (core/tests/test_page_walk.py) at both sizes."""

import pytest
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.browser import confirm, login, menu
from rencai.conftest import make_uscc
from rencai.core.tests.test_page_walk import (
    DESKTOP,
    DESKTOP_CHECKS,
    PHONE,
    _layout_problems,
    _problems,
    _unconfirmed,
    internal_names,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, url: str, axe, username: str = "") -> list[str]:
    failures = []
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        response = page.goto(page.base_url + url)
        assert response.status == 200, (url, response.status)
        if size is PHONE:
            failures += [f"{url} 手机: {p}" for p in _layout_problems(page, phone=True)]
            continue
        checks = page.evaluate(DESKTOP_CHECKS)
        failures += [f"{url}: {p}" for p in _problems(checks["layout"], phone=False)]
        failures += [f"{url}: 未确认 {u}" for u in _unconfirmed(checks["forms"])]
        names = [n for n in internal_names(checks["text"]) if n != username]
        if names:
            failures.append(f"{url}: 内部名称 {names}")
        failures += [f"{url}: 无障碍 {v['id']}" for v in axe.run(page).response["violations"]
                     if v["impact"] in ("serious", "critical")]
    return failures


def test_a_demand_from_an_employers_phone_to_the_published_catalog(page, make_user, city_staff, heping_staff):
    from axe_playwright_python.sync_playwright import Axe

    from rencai.opportunities import shortage
    from rencai.opportunities.models import ShortageCatalog
    from rencai.organizations.models import Organization

    year = timezone.localdate().year
    org = Organization.objects.create(name="沈阳新松机器人自动化股份有限公司", uscc=make_uscc(), kind="enterprise",
                                      district_id="210102", industry="robotics")
    make_user("robot_hr", Role.EMPLOYER, organization=org)
    axe, failures = Axe(), []

    # The employer, on a phone, through the menu: its chain is named, it submits a demand for this year.
    login(page, "robot_hr")
    page.set_viewport_size(PHONE)
    menu(page, "急需紧缺目录")
    assert "机器人" in page.inner_text("#chain")
    page.select_option("#year", str(year))
    page.fill("#position", "运动控制算法工程师")
    page.fill("#skills", "伺服控制、轨迹规划；自动化专业")
    page.select_option("#degree_min", "master")
    page.fill("#headcount", "6")
    page.select_option("#urgency", "critical")
    with page.expect_navigation():
        page.click("#demand-submit")
    assert "待采纳" in page.inner_text("#demands")
    failures += _check(page, "/opportunities/shortage/", axe, "robot_hr")
    catalog = ShortageCatalog.objects.get(year=year, industry="robotics")

    # 和平区 staff take it in (the confirmation dialog first).
    login(page, "heping")
    page.set_viewport_size(DESKTOP)
    page.goto(page.base_url + f"/opportunities/shortage/demands/?year={year}")
    failures += _check(page, f"/opportunities/shortage/demands/?year={year}", axe, "heping")
    page.set_viewport_size(DESKTOP)
    page.locator("form.decide button", has_text="采纳").first.click()
    confirm(page, expect="确认采纳")
    assert "已采纳" in page.inner_text("#demand-rows")

    # City staff add a position, see the catalog and publish it.
    shortage.entry_save(actor=city_staff, catalog_id=catalog.pk, data=shortage.EntryInput(
        position="机器人视觉算法工程师", skills="机器视觉；计算机专业", degree_min="master", headcount=4))
    login(page, "city")
    failures += _check(page, f"/opportunities/shortage/?year={year}", axe, "city")
    failures += _check(page, f"/opportunities/shortage/{catalog.pk}/", axe, "city")
    page.set_viewport_size(DESKTOP)
    page.click("#publish")
    confirm(page, expect="确认发布")
    assert page.inner_text("#status") == "已发布"

    # Anyone, without an account: the year's published catalogs by chain.
    page.context.clear_cookies()
    failures += _check(page, f"/opportunities/shortage/published/?year={year}", axe)
    text = page.inner_text("main")
    assert "运动控制算法工程师" in text and "机器人视觉算法工程师" in text and "急需且紧缺" in text
    assert not failures, "\n".join(failures)
