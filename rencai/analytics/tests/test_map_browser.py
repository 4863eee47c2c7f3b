"""人才地图 in Chromium, at a phone and a desktop size, on a small world: the choropleth drawn with boundaries
loaded and a click on a district drilling down to its employers; the ranked bars without boundaries (a bar
clicked drills down too); the flows page with its Sankey; a district officer seeing only their district."""

import datetime as dt

import pytest

from rencai.analytics import boundaries
from rencai.analytics.models import Move
from rencai.browser import login
from rencai.conftest import make_uscc
from rencai.organizations.services import organization_create
from rencai.talents.models import Talent

from .geo import shenyang_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
HEPING, HUNNAN = "210102", "210112"

# The page's ECharts instance: where a map coordinate or a bar is on the screen.
PIXEL_OF = """([where, point]) => {
  const chart = echarts.getInstanceByDom(document.getElementById('map-chart'));
  return chart.convertToPixel(where, point);
}"""


@pytest.fixture
def world(make_talent):
    org = organization_create(name="沈阳航空测试有限公司", uscc=make_uscc(), kind="enterprise", district="和平区",
                              industry="aviation")
    people = [make_talent(name=f"和平人才{i}", organization_uscc=org.uscc) for i in range(3)]
    make_talent(name="浑南人才", district="浑南区")
    Talent.objects.filter(pk=people[0].pk).update(talent_category="B")
    Move.objects.create(talent=people[0], from_district_id=HEPING, to_district_id=None, on=dt.date.today(),
                        reason="other")
    Move.objects.create(talent=people[1], from_district_id=HEPING, to_district_id=HUNNAN, on=dt.date.today(),
                        reason="other")
    return people


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _click_at(page, pixel):
    box = page.locator("#map-chart").bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + pixel[0], box["y"] + pixel[1])


def test_the_map_draws_and_a_district_click_drills_down(page, world, city_staff, admin_user):
    boundaries.boundaries_load(actor=admin_user, region_code="210100", raw=shenyang_bytes(), provenance="测试")
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        login(page, city_staff.username)
        page.goto(page.base_url + "/analytics/map/")
        page.wait_for_selector("#map-chart.is-map canvas")
        assert page.locator("#map-fallback-note").count() == 0
        assert page.locator("#map-table tbody tr").count() == 13
        _no_sideways_scroll(page)
    # 和平区 is the tests' first square: 123.0–123.05 E, 41.5–41.55 N (geo.square)
    _click_at(page, page.evaluate(PIXEL_OF, [{"seriesIndex": 0}, [123.025, 41.525]]))
    assert page.url.endswith(f"/analytics/map/districts/{HEPING}/")
    assert page.inner_text("#district-name") == "和平区人才分布"
    assert "沈阳航空测试有限公司" in page.inner_text("#district-organizations")
    page.wait_for_selector("#industry-chart canvas")


def test_without_boundaries_ranked_bars_and_a_bar_click(page, world, leader):
    page.set_viewport_size(PHONE)
    login(page, leader.username)
    page.goto(page.base_url + "/analytics/map/?measure=industry")
    page.wait_for_selector("#map-chart.is-bars canvas")
    assert "尚未载入区县边界" in page.inner_text("#map-fallback-note")
    _no_sideways_scroll(page)
    page.set_viewport_size(DESKTOP)
    page.goto(page.base_url + "/analytics/map/?measure=industry")
    page.wait_for_selector("#map-chart.is-bars canvas")
    # the top bar is the district with the most (和平区: three at an aviation company)
    _click_at(page, page.evaluate(PIXEL_OF, [{"seriesIndex": 0}, [1, "和平区"]]))
    assert page.url.endswith(f"/analytics/map/districts/{HEPING}/")


def test_the_flows_page_draws_its_sankey(page, world, city_staff):
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        login(page, city_staff.username)
        page.goto(page.base_url + "/analytics/flows/")
        page.wait_for_selector("#sankey-chart canvas")
        page.wait_for_selector("#flows-chart canvas")
        assert "和平人才0" in page.inner_text("#flows-leavers")
        _no_sideways_scroll(page)
    page.goto(page.base_url + "/analytics/sources/")
    page.wait_for_selector("#source-country-chart canvas")


def test_a_district_officer_sees_only_their_district(page, world, hunnan_staff, admin_user):
    boundaries.boundaries_load(actor=admin_user, region_code="210100", raw=shenyang_bytes(), provenance="测试")
    page.set_viewport_size(DESKTOP)
    login(page, hunnan_staff.username)
    page.goto(page.base_url + "/analytics/map/")
    page.wait_for_selector("#map-chart.is-map canvas")
    assert page.locator("#map-table tbody tr").count() == 1
    assert "浑南区" in page.inner_text("#map-table tbody")
    response = page.goto(page.base_url + f"/analytics/map/districts/{HEPING}/")
    assert response.status == 404 and "不在您的管辖范围内" in page.inner_text("main")
    page.goto(page.base_url + "/analytics/flows/")
    assert [r.inner_text() for r in page.locator("#flows-districts tbody th").all()] == ["浑南区"]
