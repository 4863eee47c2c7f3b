"""对接活动 in Chromium at a phone's size, with the page walker's layout checks: a talent registers and is shown the
QR code; the event's district officer opens the check-in URL it holds and records the attendance (a second visit
says 已签到); the talent's follow-up is then on the officer's 我的跟踪."""

import pytest

from rencai.core.tests.test_page_walk import PHONE, _layout_problems, internal_names

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_show_qr_check_in_and_follow_up_on_a_phone(page, make_event, talent_user, heping_staff):
    from rencai.browser import login
    from rencai.events.models import Registration

    event = make_event(title="归国人才专题对接会")
    page.set_viewport_size(PHONE)
    failures = []
    login(page, "zhangsan")
    page.goto(f"{page.base_url}/events/")
    page.click(f'#events a[href="/events/{event.pk}/"]')
    page.wait_for_url(f"**/events/{event.pk}/")
    failures += [f"活动页 手机: {p}" for p in _layout_problems(page, phone=True)]
    page.click("#register")
    page.wait_for_url("**/events/registrations/*/")
    assert page.locator("#qr svg").count() == 1
    failures += [f"二维码页 手机: {p}" for p in _layout_problems(page, phone=True)]
    names = internal_names(page.locator("main").inner_text())
    assert not names, names
    token = Registration.objects.get().token
    login(page, "heping")
    page.goto(f"{page.base_url}/events/checkin/{token}/")
    assert "张三明" in page.locator("#checkin-who").inner_text()
    page.click("#checkin")
    assert "签到成功" in page.locator("#checkin-state").inner_text()
    page.goto(f"{page.base_url}/events/checkin/{token}/")
    assert "已签到" in page.locator("#checkin-state").inner_text()
    failures += [f"签到页 手机: {p}" for p in _layout_problems(page, phone=True)]
    page.goto(f"{page.base_url}/events/followups/")
    assert "张三明" in page.locator("#followups").inner_text()
    failures += [f"我的跟踪 手机: {p}" for p in _layout_problems(page, phone=True)]
    assert not failures, "\n".join(failures)
