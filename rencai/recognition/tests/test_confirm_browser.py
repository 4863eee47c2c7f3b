"""In Chromium, at 1366×900 and 390×844: approving a recognition (直接认定: the card is issued at once) is not one
click. The button opens a dialog saying what will happen; 取消 or Esc leaves everything as it was; only 确认认定
approves. Without JavaScript the same words come as a page whose button confirms."""

import pytest

from rencai.browser import login
from rencai.recognition.models import Application
from rencai.recognition.services import application_submit

from .conftest import attach_all, create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def submitted_direct(talent_user) -> Application:
    application = create(talent_user)  # 直接认定, C类, item C03
    attach_all(talent_user, application)
    return application_submit(actor=talent_user, application_id=application.pk)


def status(application) -> str:
    application.refresh_from_db()
    return application.status


@pytest.mark.parametrize("size", SIZES)
def test_approving_asks_first_and_says_what_will_happen(page, talent_user, heping_staff, size):
    application = submitted_direct(talent_user)
    page.set_viewport_size(SIZES[size])
    login(page, "heping")
    page.goto(page.base_url + f"/recognition/applications/{application.pk}/")

    page.click("#accept-btn")
    dialog = page.locator("dialog[data-confirm-dialog]")
    dialog.wait_for(state="visible")
    text = dialog.inner_text()
    assert "确认材料齐全，直接认定张三明？" in text
    assert "认定为C类（领军人才）（符合条目C03）" in text and "立即发放人才卡" in text and "此操作不能撤销" in text
    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= SIZES[size]["width"], box  # fits the screen
    assert page.evaluate("document.activeElement.textContent") == "取消"  # the safe choice has the focus
    page.click("[data-confirm-no]")
    dialog.wait_for(state="detached")
    assert status(application) == "submitted" and page.inner_text("#app-status") == "已提交，待核验材料"

    page.click("#accept-btn")
    dialog.wait_for(state="visible")
    page.keyboard.press("Escape")  # the keyboard closes it too
    dialog.wait_for(state="detached")
    assert status(application) == "submitted"

    page.click("#accept-btn")
    with page.expect_navigation():
        page.click("[data-confirm-yes]")
    assert page.inner_text("#app-status") == "已认定" and status(application) == "approved"


@pytest.mark.parametrize("size", SIZES)
def test_without_javascript_a_confirmation_page_comes_first(page, talent_user, heping_staff, size):
    application = submitted_direct(talent_user)
    context = page.context.browser.new_context(locale="zh-CN", java_script_enabled=False, viewport=SIZES[size])
    plain = context.new_page()
    plain.base_url = page.base_url
    try:
        login(plain, "heping")
        detail = plain.base_url + f"/recognition/applications/{application.pk}/"
        plain.goto(detail)
        plain.click("#accept-btn")
        assert plain.inner_text("h1") == "确认材料齐全，直接认定张三明？"
        assert "立即发放人才卡" in plain.inner_text(".confirm-effects") and status(application) == "submitted"
        overflow = plain.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, overflow
        assert plain.get_attribute("#confirm-no", "href") == f"/recognition/applications/{application.pk}/"
        plain.click("#confirm-yes")
        plain.wait_for_url(detail)
        assert plain.inner_text("#app-status") == "已认定" and status(application) == "approved"
    finally:
        context.close()
