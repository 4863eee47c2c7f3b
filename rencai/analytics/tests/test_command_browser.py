"""The command display in Chromium: a leader's big display (1920×1080), a laptop (1366×768) and a phone — the
panels in a grid, nothing overflowing sideways — and the page refreshing itself: a recognition made after the
page was opened shows up on it without a reload."""

import pytest

from rencai.core.tests.test_page_walk import PHONE, _layout_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIG, LAPTOP = {"width": 1920, "height": 1080}, {"width": 1366, "height": 768}


def test_display_at_three_sizes_and_refreshing_itself(page, settings, regions, make_talent, leader, heping_staff):
    from rencai.browser import login
    from rencai.talents.models import Talent

    settings.RENCAI_COMMAND_REFRESH_SECONDS = 1
    people = [make_talent(name=f"展示{i}") for i in range(3)] + [make_talent(name="浑南展示", district="浑南区")]
    Talent.objects.filter(pk__in=[p.pk for p in people[:2]]).update(talent_category="A")

    for size in (BIG, LAPTOP, PHONE):
        page.set_viewport_size(size)
        login(page, "leader")
        page.goto(page.base_url + "/analytics/command/")
        assert page.locator("#pool-A").inner_text() == "2"
        assert "数据截至" in page.inner_text("#command")
        problems = _layout_problems(page, phone=size is PHONE)
        assert not problems, (size, problems)
        columns = page.evaluate(
            "() => getComputedStyle(document.querySelector('.command-grid')).gridTemplateColumns.split(' ').length")
        assert (columns == 1) if size is PHONE else (columns >= 2), (size, columns)  # a grid, one column on a phone
        if size is BIG:  # large figures on the big display
            assert float(page.evaluate(
                "() => getComputedStyle(document.querySelector('#pool-recognised')).fontSize")[:-2]) >= 48

    # 大屏模式: the display alone, one screen at 1920×1080
    page.set_viewport_size(BIG)
    page.goto(page.base_url + "/analytics/command/?screen=1")
    assert not page.locator("header.top").is_visible()
    assert page.evaluate("() => document.documentElement.scrollHeight") <= BIG["height"]

    # the page refreshes itself: a new A recognition and the panel shows it, without a reload
    page.set_viewport_size(LAPTOP)
    page.evaluate("() => { window.notReloaded = true; }")
    before = page.locator("#panel-pool .as-of").get_attribute("datetime")
    Talent.objects.filter(pk=people[2].pk).update(talent_category="A")
    page.wait_for_function("() => document.querySelector('#pool-A').textContent === '3'", timeout=10_000)
    assert page.evaluate("() => window.notReloaded") is True
    assert page.locator("#panel-pool .as-of").get_attribute("datetime") != before

    # a district officer: their district only
    login(page, "heping")
    page.goto(page.base_url + "/analytics/command/")
    assert page.locator("#pool-A").inner_text() == "3"
    assert page.locator("#panel-districts li").count() == 1
    assert "和平区" in page.inner_text("h1")


def test_display_draws_the_map_once_boundaries_are_loaded(page, settings, regions, make_talent, leader):
    """With the city's boundaries loaded the districts panel is a choropleth, drawn again after each refresh."""
    from rencai.analytics.boundaries import boundaries_load
    from rencai.browser import login
    from rencai.talents.models import Talent

    from .geo import shenyang_bytes

    settings.RENCAI_COMMAND_REFRESH_SECONDS = 1
    boundaries_load(actor=None, region_code="210100", raw=shenyang_bytes(), provenance="测试")
    person = make_talent(name="地图展示")
    Talent.objects.filter(pk=person.pk).update(talent_category="B")
    page.set_viewport_size(BIG)
    login(page, "leader")
    page.goto(page.base_url + "/analytics/command/?screen=1")
    page.wait_for_selector("#command-map canvas")
    before = page.locator("#panel-districts .as-of").get_attribute("datetime")
    page.wait_for_function(
        f"() => document.querySelector('#panel-districts .as-of').getAttribute('datetime') !== '{before}'",
        timeout=10_000)
    page.wait_for_selector("#command-map[data-drawn] canvas")
    assert page.evaluate("() => document.documentElement.scrollHeight") <= BIG["height"]
