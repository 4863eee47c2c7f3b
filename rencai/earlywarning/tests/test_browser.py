"""In Chromium: a change in the registry raises a warning a district officer sees, acknowledges and resolves. A
B-class talent of 和平区 moves to 南通's 崇川区 through the service that records the history (talents.services
.talent_update → analytics history → the evaluation for that talent after the commit); 和平区's officer finds the
warning on the home page on a phone and acknowledges it from its page, then on a desktop resolves it with the
reason (closing asks first) and sees the history; 浑南区's officer never sees it."""

import pytest

from rencai.browser import confirm, login
from rencai.earlywarning.enums import State
from rencai.earlywarning.models import EarlyWarning
from rencai.notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def test_a_talent_leaving_the_city_is_warned_acknowledged_and_resolved(page, rules, make_talent, admin_user,
                                                                      heping_staff, hunnan_staff):
    from rencai.talents.models import Talent
    from rencai.talents.services import talent_update

    talent = make_talent(name="林海峰")
    Talent.objects.filter(pk=talent.pk).update(talent_category="B")
    talent_update(actor=admin_user, talent_id=talent.pk, changes={"district": "崇川区"})  # committed: hook runs
    warning = EarlyWarning.objects.get()
    assert warning.talent_id == talent.pk and warning.place_id == "210102"
    assert Notification.objects.filter(recipient=heping_staff, kind="earlywarning").exists()

    page.set_viewport_size(PHONE)
    login(page, heping_staff.username)
    tile = page.locator('[data-task="warnings"]')
    assert "决策预警" in tile.inner_text()
    with page.expect_navigation():
        tile.locator("a").first.click()
    assert "林海峰" in page.inner_text("#warnings")
    with page.expect_navigation():
        page.click("#warnings a")
    assert "崇川区" in page.inner_text("h1") and page.inner_text("#warning-state") == "待处理"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    with page.expect_navigation():
        page.click("#acknowledge")  # nothing to confirm: the warning stays open
    assert page.inner_text("#warning-state") == "处理中"

    page.set_viewport_size(DESKTOP)
    page.fill("#reason", "已联系本人：随配偶调往南通，保留与本市高校的合作")
    page.click("#resolve")
    confirm(page, expect="同一事项不会再次预警")
    assert page.inner_text("#warning-state") == "已解决"
    history = page.inner_text("#warning-history")
    assert "发出预警" in history and "待处理 → 处理中" in history and "随配偶调往南通" in history
    warning.refresh_from_db()
    assert warning.state == State.RESOLVED and warning.version == 3

    login(page, hunnan_staff.username)
    page.goto(page.base_url + "/warnings/")
    assert "没有符合条件的预警" in page.inner_text("#warnings")
