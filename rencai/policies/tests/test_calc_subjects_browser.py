"""In Chromium on a phone and a desktop: the calculator for a team and for an organization (issue 8) —
chosen with 团队 / 单位, questions in Chinese, the result without sideways scrolling."""

import pytest

from rencai.policies.tests.test_calc_browser import SIZES, overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@SIZES
def test_a_team_and_an_organization_use_the_calculator(page, size):
    page.set_viewport_size(size)
    page.goto(page.base_url + "/calc/")
    page.click(".subject-switch a:has-text('团队')")
    page.wait_for_load_state()
    assert overflow(page) <= 1
    page.select_option("#id_city", "shenyang")
    page.fill("#id_as_of", "2019-06-01")
    page.select_option("#id_team_level", "level_300")
    page.fill("#id_team_added_members", "3")
    page.click("#calc-form button[type=submit]")
    page.wait_for_load_state()
    grant = page.inner_text("[data-policy=ln-innovation-team-grant]")
    assert "3,600,000" in grant and "每多增加1人" in grant  # 300万 + 3 × 20万, with 002's words
    assert overflow(page) <= 1

    page.click(".subject-switch a:has-text('单位')")
    page.wait_for_load_state()
    page.select_option("#id_city", "shenyang")
    page.fill("#id_as_of", "2019-06-01")
    page.check("#q-stations_new input[value=postdoc_workstation]")
    page.click("#calc-form button[type=submit]")
    page.wait_for_load_state()
    assert "150,000" in page.inner_text("[data-policy=ln-postdoc-station-grant]")
    assert "postdoc" not in page.inner_text("main")
    assert overflow(page) <= 1
