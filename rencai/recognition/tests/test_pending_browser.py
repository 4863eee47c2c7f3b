"""In Chromium at 1366×900 and 390×844: a talent whose application is under way is not offered a second one (the
upgrade form was offered and refused only once filled in); the page says why and leads to the one under way."""

import pytest

from .conftest import submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", SIZES)
def test_no_form_while_an_application_is_under_way(page, talent_user, size):
    pending = submitted(talent_user)
    page.set_viewport_size(SIZES[size])
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", "zhangsan")
    page.fill("#id_password", "pw-for-tests-123")
    page.click("button[type=submit]")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + "/recognition/mine/")
    assert page.locator("a:has-text('申请人才认定'), a:has-text('申请认定升级')").count() == 0
    notice = page.inner_text("#pending-application")
    assert pending.number in notice and "正在办理" in notice and "不能再提出新的认定或升级申请" in notice
    page.goto(page.base_url + "/recognition/apply/")  # a bookmark or the browser's history: told, not a form
    assert page.locator("#apply-form").count() == 0 and pending.number in page.inner_text("#pending-application")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, overflow
    page.click("#pending-application a:has-text('查看正在办理的申请')")
    page.wait_for_url(page.base_url + f"/recognition/applications/{pending.pk}/")
    assert pending.number in page.inner_text("h1")
