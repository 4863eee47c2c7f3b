"""The command display (指挥调度展示平台): its panels' figures on built data, scope, query counts, the page and
its fragments; and 004's headline figures on the demo's data."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from rencai.accounts.enums import Role
from rencai.analytics import panels
from rencai.analytics.models import Move

pytestmark = pytest.mark.django_db
HEPING, HUNNAN = "210102", "210112"
TODAY = dt.date(2025, 6, 15)


@pytest.fixture
def built(make_talent):
    """和平区: two A-recognised (2025 and 2024), one C in 2025, one unrecognised returnee; 浑南区: one D in 2025."""
    from rencai.talents.models import Talent

    people = {
        "a1": make_talent(name="甲一"), "a2": make_talent(name="甲二"), "c1": make_talent(name="丙一"),
        "r1": make_talent(name="归一"), "d1": make_talent(name="丁一", district="浑南区"),
    }
    for key, category, on in (("a1", "A", dt.date(2025, 3, 1)), ("a2", "A", dt.date(2024, 5, 1)),
                              ("c1", "C", dt.date(2025, 2, 1)), ("d1", "D", dt.date(2025, 1, 9))):
        Talent.objects.filter(pk=people[key].pk).update(talent_category=category, category_recognized_on=on)
    Talent.objects.update(returnee=False)
    Talent.objects.filter(pk=people["r1"].pk).update(returnee=True)
    return people


def test_pool_and_new_recognitions_by_category(built, city_staff, heping_staff):
    pool = panels.pool(user=city_staff, today=TODAY)
    assert {c["code"]: c["n"] for c in pool["categories"]} == {"A": 2, "B": 0, "C": 1, "D": 1}
    assert (pool["recognised"], pool["total"], pool["returnees"]) == (4, 5, 1)
    new = panels.new_recognitions(user=city_staff, today=TODAY)
    assert {c["code"]: c["n"] for c in new["categories"]} == {"A": 1, "B": 0, "C": 1, "D": 1}
    assert (new["year"], new["total"], new["before"]) == (2025, 3, 1)
    # a district officer: their district only
    heping = panels.pool(user=heping_staff, today=TODAY)
    assert {c["code"]: c["n"] for c in heping["categories"]} == {"A": 2, "B": 0, "C": 1, "D": 0}
    assert panels.new_recognitions(user=heping_staff, today=TODAY)["total"] == 2
    ranked = panels.districts(user=city_staff, today=TODAY)["districts"]
    assert [(r["code"], r["n"]) for r in ranked[:2]] == [(HEPING, 3), (HUNNAN, 1)]
    assert len(ranked) == 13 and ranked[0]["percent"] == 100
    assert [r["code"] for r in panels.districts(user=heping_staff, today=TODAY)["districts"]] == [HEPING]


def test_flows_last_twelve_months(built, city_staff, heping_staff):
    a1, d1 = built["a1"], built["d1"]
    for talent, source, target, on in ((a1, HEPING, HUNNAN, dt.date(2025, 5, 2)),
                                       (d1, HUNNAN, None, dt.date(2024, 7, 1)),
                                       (d1, HUNNAN, None, dt.date(2024, 6, 30))):
        Move.objects.create(talent=talent, from_district_id=source, to_district_id=target, on=on, reason="other")
    flows = panels.flows(user=city_staff, today=TODAY)
    assert flows["start"] == dt.date(2024, 7, 1) and len(flows["months"]) == 12
    by = {r["code"]: r for r in flows["districts"]}
    assert (by[HEPING]["outflow"], by[HUNNAN]["inflow"], by[HUNNAN]["outflow"]) == (1, 1, 1)  # June 2024 left out
    heping = panels.flows(user=heping_staff, today=TODAY)
    assert [r["code"] for r in heping["districts"]] == [HEPING]


def test_money_against_budget(city_staff, heping_staff):
    from rencai.payments.models import BudgetLine

    BudgetLine.objects.create(policy="sy-living-subsidy-graduate", year=2025, amount_fen=100_000_000,
                              committed_fen=40_000_000, paid_fen=25_000_000)
    BudgetLine.objects.create(policy="sy-living-subsidy-graduate", year=2024, amount_fen=5, paid_fen=5)
    money = panels.money(user=city_staff, today=TODAY)
    assert len(money["lines"]) == 1
    line = money["lines"][0]
    assert (line["budget"], line["committed"], line["paid"], line["paid_percent"]) == (
        Decimal("1000000.00"), Decimal("400000.00"), Decimal("250000.00"), 25.0)
    assert money["totals"]["paid_percent"] == 25.0 and not money["city_wide_note"]
    assert panels.money(user=heping_staff, today=TODAY)["city_wide_note"]


def test_satisfaction_is_for_leaders(city_staff, leader):
    assert panels.satisfaction(user=city_staff, today=TODAY) == {"allowed": False}
    assert panels.satisfaction(user=leader, today=TODAY)["allowed"] is True


def test_panels_refuse_who_is_not_government(talent_user):
    from rencai.core.errors import PermissionDenied

    for spec in panels.PANELS:
        with pytest.raises(PermissionDenied):
            spec.read(user=talent_user, today=TODAY)


# Each panel's queries, fixed whatever the data: the viewer's department and jurisdiction are read once.
PANEL_QUERIES = {"pool": 3, "new": 3, "districts": 5, "money": 1, "applications": 4, "requests": 4,
                 "satisfaction": 5, "flows": 5, "warnings": 4}


@pytest.mark.parametrize("key", [p.key for p in panels.PANELS])
def test_panel_query_counts(key, built, make_user, django_assert_max_num_queries):
    viewer = make_user("leader2", Role.LEADER, "210100")
    with django_assert_max_num_queries(PANEL_QUERIES[key]):
        panels.panel_read(key=key, user=viewer, today=TODAY)


def test_page_and_fragments(client, built, leader, heping_staff, django_assert_max_num_queries, settings):
    settings.RENCAI_COMMAND_REFRESH_SECONDS = 7
    client.force_login(leader)
    url = reverse("command:display")
    with django_assert_max_num_queries(23):  # 22 seen: the page, its header and every panel
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "数据截至" in html and 'hx-trigger="every 7s"' in html
    for spec in panels.PANELS:
        assert f'id="panel-{spec.key}"' in html and spec.title in html
    assert '<span class="num" id="pool-A">2</span>' in html
    with django_assert_max_num_queries(8):
        fragment = client.get(url, {"panel": "pool"})
    assert fragment.status_code == 200 and fragment.content.decode().lstrip().startswith("<section")
    assert client.get(url, {"panel": "nope"}).status_code == 404
    client.force_login(heping_staff)
    html = client.get(url).content.decode()
    assert '<span class="num" id="pool-D">0</span>' in html and "和平区" in html


def test_page_refuses_talents(client, talent_user):
    client.force_login(talent_user)
    assert client.get(reverse("command:display")).status_code == 403


