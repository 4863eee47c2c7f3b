"""揭榜 on a phone, in Chromium: the talent opens a published challenge, fills the 揭榜 form on its page and sends
it; the page fits the phone's width (the page walker's layout check), the proposal is recorded and the page then
shows it as the talent's own."""

import pytest

from rencai.core.tests.test_page_walk import PHONE, _layout_problems

from . import challenges_fixtures as fx

challenge, sponsor, sponsor_org = fx.challenge, fx.sponsor, fx.sponsor_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_talent_takes_a_challenge_on_a_phone(page, challenge, talent_user, talent):
    from rencai.browser import login
    from rencai.opportunities.models import Application

    page.set_viewport_size(PHONE)
    login(page, talent_user.username)
    page.goto(page.base_url + "/opportunities/challenges/")
    page.click(f"text={challenge.title}")
    page.wait_for_selector("#take-form")
    assert _layout_problems(page, phone=True) == []
    page.fill("#err-cover_note", "改良Acheson法合成，高温真空提纯至6N")
    page.fill("#err-team", "王工（工艺）")
    page.click("#take-submit")
    page.wait_for_selector("#take-mine")
    assert "已投递" in page.inner_text("#take-mine")
    assert _layout_problems(page, phone=True) == []
    assert Application.objects.get().cover_note == "改良Acheson法合成，高温真空提纯至6N"
