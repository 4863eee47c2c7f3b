"""人才地图's pages: the map with and without boundaries, every measure, a district's drill-down, 来源 and 流动;
each scoped by the viewer's jurisdiction, a bad parameter a 4xx with a Chinese message, query counts pinned."""

import datetime as dt

import pytest
from django.urls import reverse

from rencai.accounts.enums import Role
from rencai.analytics import boundaries, maps
from rencai.analytics.models import Move
from rencai.conftest import make_uscc
from rencai.organizations.services import organization_create
from rencai.talents.models import Talent

from .geo import shenyang_bytes

pytestmark = pytest.mark.django_db
HEPING, HUNNAN = "210102", "210112"


@pytest.fixture
def world(make_talent):
    """和平区: a B-class 博士 returnee at a robotics company, a D-class; 浑南区: a skilled worker, born 1960."""
    org = organization_create(name="沈阳机器人测试有限公司", uscc=make_uscc(), kind="enterprise", district="和平区",
                              industry="robotics")
    b = make_talent(name="乙类人才", organization_uscc=org.uscc)
    d = make_talent(name="丁类人才", organization_uscc=org.uscc, school_country="日本", school="东京大学")
    skilled = make_talent(name="技能人才", district="浑南区", school_country="中国", returnee="否")
    Talent.objects.filter(pk=b.pk).update(talent_category="B", birth_date=dt.date(1990, 5, 1))
    Talent.objects.filter(pk=d.pk).update(talent_category="D")
    Talent.objects.filter(pk=skilled.pk).update(skill_level="technician", birth_date=dt.date(1960, 1, 1))
    return {"org": org, "b": b, "d": d, "skilled": skilled}


def _login(client, user):
    client.force_login(user)
    return client


def test_the_figures_per_measure(world, city_staff, heping_staff):
    today = dt.date(2026, 6, 1)
    recognised = maps.map_figures(user=city_staff, measure="recognised", today=today)
    assert len(recognised.districts) == 13
    heping = next(d for d in recognised.districts if d.code == HEPING)
    assert (heping.values, heping.total) == ([0, 1, 0, 1], 2)
    assert maps.map_figures(user=city_staff, measure="high_level").total == 1
    skilled = maps.map_figures(user=city_staff, measure="skilled")
    assert [d.total for d in skilled.districts if d.code == HUNNAN] == [1]
    industry = maps.map_figures(user=heping_staff, measure="industry")
    assert industry.districts[0].values[[k for k, _ in industry.measure.series].index("robotics")] == 2
    age = maps.map_figures(user=city_staff, measure="age", today=today)
    by_code = {d.code: d.values for d in age.districts}
    # 1990-05-01 is 36 on 2026-06-01, 1985-06-15 (the fixture's) 40, 1960-01-01 66
    assert by_code[HEPING] == [0, 2, 0, 0] and by_code[HUNNAN] == [0, 0, 0, 1]
    on_the_birthday = maps.map_figures(user=city_staff, measure="age", today=dt.date(2025, 5, 1))
    assert {d.code: d.values for d in on_the_birthday.districts}[HEPING] == [0, 2, 0, 0]  # 35 that day
    a_day_before = maps.map_figures(user=city_staff, measure="age", today=dt.date(2025, 4, 30))
    assert {d.code: d.values for d in a_day_before.districts}[HEPING] == [1, 1, 0, 0]


def test_the_map_without_boundaries_shows_ranked_bars(client, world, city_staff, django_assert_max_num_queries):
    _login(client, city_staff)
    with django_assert_max_num_queries(11):
        page = client.get(reverse("analytics:map"))
    html = page.content.decode()
    assert page.status_code == 200 and "map-fallback-note" in html and "map-geojson" not in html
    assert "is-bars" in html and "和平区" in html


def test_the_map_with_boundaries_embeds_the_viewer_s_districts(client, world, heping_staff, admin_user,
                                                               django_assert_max_num_queries):
    boundaries.boundaries_load(actor=admin_user, region_code="210100", raw=shenyang_bytes(), provenance="测试")
    _login(client, heping_staff)
    with django_assert_max_num_queries(11):
        page = client.get(reverse("analytics:map"), {"measure": "high_level"})
    html = page.content.decode()
    assert page.status_code == 200 and "map-geojson" in html and "is-map" in html
    geojson = page.context["geojson"]
    assert [f["properties"]["name"] for f in geojson["features"]] == ["和平区"]  # their district only
    assert [d.code for d in page.context["figures"].districts] == [HEPING]
    assert "浑南区" not in page.content.decode().split('id="map-table"')[1]


@pytest.mark.parametrize("measure", list(maps.MEASURES))
def test_every_measure_answers(client, world, leader, measure):
    _login(client, leader)
    assert client.get(reverse("analytics:map"), {"measure": measure}).status_code == 200


def test_bad_parameters_are_refused_in_chinese(client, world, city_staff, make_user):
    _login(client, city_staff)
    page = client.get(reverse("analytics:map"), {"measure": "salary"})
    assert page.status_code == 422 and "请选择地图的统计指标" in page.content.decode()
    page = client.get(reverse("analytics:flows"), {"start": "2025-13"})
    assert page.status_code == 422 and "开始月份应为年-月" in page.content.decode()
    page = client.get(reverse("analytics:flows"), {"start": "2025-05", "end": "2025-01"})
    assert page.status_code == 422 and "结束日期不能早于开始日期" in page.content.decode()
    page = client.get(reverse("analytics:flows"), {"start": "2000-01", "end": "2025-01"})
    assert page.status_code == 422 and "时间范围不能超过" in page.content.decode()
    page = client.get(reverse("analytics:sources"), {"district": "999999"})
    assert page.status_code == 422 and "所选区县不在您的管辖范围内" in page.content.decode()
    client.force_login(make_user("t_map", Role.TALENT))
    assert client.get(reverse("analytics:map")).status_code == 403


def test_the_drill_down_lists_the_district_s_employers(client, world, city_staff, heping_staff,
                                                        django_assert_max_num_queries):
    _login(client, heping_staff)
    with django_assert_max_num_queries(17):
        page = client.get(reverse("analytics:district", kwargs={"district_code": HEPING}))
    html = page.content.decode()
    assert page.status_code == 200 and "沈阳机器人测试有限公司" in html and "机器人" in html
    detail = page.context["detail"]
    assert (detail.talents, detail.organizations_total, detail.organizations[0].n) == (2, 1, 2)
    assert client.get(reverse("analytics:district", kwargs={"district_code": HUNNAN})).status_code == 404
    _login(client, city_staff)
    assert client.get(reverse("analytics:district", kwargs={"district_code": HUNNAN})).status_code == 200


def test_the_sources_page(client, world, city_staff, hunnan_staff, django_assert_max_num_queries):
    _login(client, city_staff)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("analytics:sources"))
    tables = {t.key: dict(t.rows) for t in page.context["tables"]}
    assert tables["country"] == {"英国": 1, "日本": 1} and tables["university"]["东京大学"] == 1
    assert "海外留学回国" in page.content.decode()
    _login(client, hunnan_staff)
    page = client.get(reverse("analytics:sources"))
    assert {t.key: dict(t.rows) for t in page.context["tables"]}["country"] == {}


def test_the_flows_page(client, world, city_staff, heping_staff, django_assert_max_num_queries):
    today = dt.date.today()
    Move.objects.create(talent=world["b"], from_district_id=HEPING, to_district_id=None, on=today, reason="other")
    Move.objects.create(talent=world["d"], from_district_id=HEPING, to_district_id=HUNNAN, on=today, reason="other")
    _login(client, city_staff)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("analytics:flows"))
    html = page.content.decode()
    assert page.status_code == 200 and "sankey-data" in html
    assert [m.talent.name for m in page.context["leavers"]] == ["乙类人才"]  # a D-class is not high-level
    heping = next(d for d in page.context["per_district"] if d["code"] == HEPING)
    assert (heping["outflow"], heping["to_outside"]) == (2, 1)
    assert ("和平区", "浑南区", 1) in page.context["links"] and ("和平区", "离开本市", 1) in page.context["links"]
    _login(client, heping_staff)
    page = client.get(reverse("analytics:flows"), {"start": f"{today:%Y-%m}", "end": f"{today:%Y-%m}"})
    assert [d["code"] for d in page.context["per_district"]] == [HEPING]
    assert [m.talent.name for m in page.context["leavers"]] == ["乙类人才"]


def test_the_boundaries_page(client, admin_user, heping_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _login(client, heping_staff)
    assert client.get(reverse("analytics:boundaries")).status_code == 403
    _login(client, admin_user)
    assert "尚未载入" in client.get(reverse("analytics:boundaries")).content.decode()
    bad = client.post(reverse("analytics:boundaries"), {
        "region": "210100", "file": SimpleUploadedFile("sy.geojson", shenyang_bytes(drop=0))})
    assert bad.status_code == 422 and "缺少以下区县的边界：和平区" in bad.content.decode()
    good = client.post(reverse("analytics:boundaries"), {
        "region": "210100", "provenance": "测试", "file": SimpleUploadedFile("sy.geojson", shenyang_bytes())})
    assert good.status_code == 302
    assert "测试" in client.get(reverse("analytics:boundaries")).content.decode()


def test_the_map_can_be_coloured_by_one_series(client, world, city_staff):
    _login(client, city_staff)
    page = client.get(reverse("analytics:map"), {"measure": "recognised", "series": "B"})
    chart = page.context["chart"]
    assert page.status_code == 200 and chart["measure"] == "认定人才（按类别）：B类"
    assert {d["code"]: d["total"] for d in chart["districts"]}[HEPING] == 1 and chart["most"] == 1
    assert "地图按B类着色" in page.content.decode()
    refused = client.get(reverse("analytics:map"), {"measure": "recognised", "series": "Z"})
    assert refused.status_code == 422 and "请选择该指标下的分项" in refused.content.decode()


def test_the_flows_of_one_district_month_by_month(client, world, city_staff):
    today = dt.date.today()
    Move.objects.create(talent=world["b"], from_district_id=HEPING, to_district_id=HUNNAN, on=today, reason="other")
    _login(client, city_staff)
    page = client.get(reverse("analytics:flows"), {"district": HUNNAN})
    assert page.status_code == 200 and page.context["monthly"][-1]["inflow"] == 1
    assert "浑南区逐月流入" in page.content.decode()
    assert len(page.context["per_district"]) == 13  # the districts' table stays whole
    refused = client.get(reverse("analytics:flows"), {"district": "110101"})
    assert refused.status_code == 422 and "所选区县不在您的管辖范围内" in refused.content.decode()
