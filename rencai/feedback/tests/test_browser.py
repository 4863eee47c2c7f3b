"""In Chromium, as people would: a talent (on a phone) rates a finished 政策兑现 application 不满意 with a comment;
the supervisor of the department that decided it — not the officer who decided — finds the follow-up in 回访督办,
records the call-back, then resolves it; the talent reads the result and rates again, both ratings kept."""

import pytest

from rencai.browser import confirm, login, menu
from rencai.feedback.enums import CaseStatus, Grade
from rencai.feedback.models import Rating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def test_poor_rating_call_back_resolution_and_rating_again(page, talent_user, talent, rejected, make_supervisor,
                                                           heping_staff):
    lead = make_supervisor("heping_lead")
    application = rejected()
    card = f"#rate-fulfilmentapplication-{application.pk}"

    page.set_viewport_size(PHONE)
    login(page, talent_user.username)
    menu(page, "咨询评价")
    page.check(f"{card} input[value={Grade.DISSATISFIED}]")
    page.fill(f"{card} textarea", "不予通过的原因没有说清楚")
    page.click(f"{card} button[type=submit]")
    confirm(page, expect="差评将转给被评价人所在部门的主管")
    assert "将在1个工作日内回访" in page.inner_text("main")
    case = Rating.objects.get().case
    assert case.assignee == lead and case.about_person == heping_staff

    page.set_viewport_size(DESKTOP)
    login(page, lead.username)
    menu(page, "回访督办")
    page.click(f"#cases >> text={case.number}")
    page.fill("#callback_note", "已电话联系，说明了不予通过的依据")
    page.click("main form button[type=submit]")
    confirm(page, expect="记录回访情况")
    assert "已回访" in page.inner_text("main")
    page.fill("#resolution_text", "已书面告知补正方法，补正后可重新提交")
    page.click("main form button[type=submit]")
    confirm(page, expect="处理结果告知人才；人才可以再次评价")
    assert "已办结" in page.inner_text("#status")
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED

    page.set_viewport_size(PHONE)
    login(page, talent_user.username)
    menu(page, "咨询评价")
    assert "已书面告知补正方法" in page.inner_text("#my-cases")
    page.check(f"{card} input[value={Grade.SATISFIED}]")
    page.click(f"{card} button[type=submit]")
    confirm(page, expect="满意")
    text = page.inner_text(card)
    assert "评价：不满意" in text and "再次评价：满意" in text
    assert list(Rating.objects.order_by("round").values_list("round", "grade")) == [
        (1, Grade.DISSATISFIED), (2, Grade.SATISFIED)]
