"""台账 and the command display walked in Chromium with the page walker's own checks (core/tests/test_page_walk.py):
at a desktop and a phone, nothing overflows sideways, no internal name is shown, no serious accessibility
violation; an administrator sets a target on the page and the ledger shows its completion."""

import pytest

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


def _check(page, url: str, axe, username: str) -> list[str]:
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
        names = [n for n in internal_names(checks["text"]) if n != username]  # the header names the test user
        if names:
            failures.append(f"{url}: 内部名称 {names}")
        failures += [f"{url}: 无障碍 {v['id']}" for v in axe.run(page).response["violations"]
                     if v["impact"] in ("serious", "critical")]
    return failures


def test_ledger_pages_and_display_pass_the_walkers_checks(page, regions, make_talent, leader, admin_user,
                                                          heping_staff):
    from axe_playwright_python.sync_playwright import Axe
    from django.utils import timezone

    from rencai.browser import login
    from rencai.talents.models import Talent

    year = timezone.localdate().year
    people = [make_talent(name=f"台账页{i}") for i in range(3)]
    Talent.objects.filter(pk__in=[p.pk for p in people]).update(talent_category="D",
                                                                  category_recognized_on=timezone.localdate())
    axe = Axe()
    failures = []
    login(page, "admin")
    failures += _check(page, f"/ledgers/{year}/targets/", axe, "admin")
    page.set_viewport_size(DESKTOP)
    page.fill("#goal_210102_recognised", "6")
    page.fill("#goal_210102_paid", "1000.5")
    page.click("#targets-form button[type=submit]")
    page.wait_for_url(f"**/ledgers/{year}/")
    heping = page.locator('#ledger tr[data-district="210102"]')
    assert heping.locator("td.ratio").first.inner_text() == "50.0%"
    assert heping.locator("td.ratio.late").count() >= 1  # not met
    for user in ("leader", "heping"):
        login(page, user)
        failures += _check(page, f"/ledgers/{year}/", axe, user)
        failures += _check(page, "/analytics/command/", axe, user)
    assert not failures, "\n".join(failures)
