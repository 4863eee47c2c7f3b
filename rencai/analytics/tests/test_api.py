"""人才地图's open data at /api/analytics: public city-level figures without login, scoped figures for government
users, every count below 5 published as "<5", and every answer in the OpenAPI document."""

import datetime as dt

import pytest

from rencai.analytics.models import Move, Origin

pytestmark = pytest.mark.django_db
HEPING, HUNNAN = "210102", "210112"


@pytest.fixture
def built(make_talent):
    """和平区: six D recognised in 2024, one A in 2023; 浑南区: two C in 2024. Seven moves into 和平区 in March 2025
    from outside, one out."""
    from rencai.talents.models import Talent

    heping = [make_talent(name=f"开放{i}") for i in range(7)]
    hunnan = [make_talent(name=f"浑南{i}", district="浑南区") for i in range(2)]
    Talent.objects.update(returnee=False)
    Talent.objects.filter(pk__in=[t.pk for t in heping[:6]]).update(talent_category="D",
                                                                      category_recognized_on=dt.date(2024, 5, 1))
    Talent.objects.filter(pk=heping[6].pk).update(talent_category="A", category_recognized_on=dt.date(2023, 5, 1))
    Talent.objects.filter(pk__in=[t.pk for t in hunnan]).update(talent_category="C",
                                                                category_recognized_on=dt.date(2024, 6, 1))
    for t in heping:
        Move.objects.create(talent=t, from_district=None, to_district_id=HEPING, on=dt.date(2025, 3, 3),
                            reason="other")
    Move.objects.create(talent=heping[0], from_district_id=HEPING, to_district=None, on=dt.date(2025, 3, 20),
                        reason="other")
    return heping


def _categories(row):
    return {c["category"]: c["n"] for c in row["categories"]}


def test_public_pool_is_city_level_and_suppressed(client, built):
    response = client.get("/api/analytics/public/pool")
    assert response.status_code == 200
    [city] = response.json()
    assert city["city"] == "沈阳市"
    assert _categories(city) == {"A": "<5", "B": "<5", "C": "<5", "D": 6}
    assert city["recognised"] == 9
    years = client.get("/api/analytics/public/recognitions").json()[0]["years"]
    assert [y["year"] for y in years] == [2024, 2023]
    assert _categories(years[0]) == {"A": "<5", "B": "<5", "C": "<5", "D": 6} and years[0]["total"] == 8
    assert years[1]["total"] == "<5"


def test_scoped_answers_need_a_government_login(client, built, talent_user):
    for url in ("/api/analytics/pool", "/api/analytics/recognitions", "/api/analytics/origins",
                "/api/analytics/flows?start=2025-01-01&end=2025-03-31", "/api/analytics/ledgers/2024"):
        assert client.get(url).status_code == 401, url
    client.force_login(talent_user)
    response = client.get("/api/analytics/pool")
    assert response.status_code == 403 and response.json()["message"]


def test_pool_and_recognitions_per_district_scoped(client, built, city_staff, heping_staff):
    client.force_login(city_staff)
    rows = {r["district"]: r for r in client.get("/api/analytics/pool").json()}
    assert len(rows) == 13
    assert _categories(rows[HEPING]) == {"A": "<5", "B": "<5", "C": "<5", "D": 6}
    assert rows[HEPING]["recognised"] == 7 and rows[HUNNAN]["recognised"] == "<5"
    client.force_login(heping_staff)
    assert [r["district"] for r in client.get("/api/analytics/pool").json()] == [HEPING]
    years = client.get("/api/analytics/recognitions").json()
    assert {(r["district"], r["year"]) for r in years} == {(HEPING, 2024), (HEPING, 2023)}


def test_flows_suppressed_and_net_withheld(client, built, city_staff, heping_staff):
    client.force_login(heping_staff)
    response = client.get("/api/analytics/flows", {"start": "2025-03-01", "end": "2025-03-31"})
    assert response.status_code == 200
    [march] = response.json()
    assert (march["district"], march["inflow"], march["outflow"], march["net"]) == (HEPING, 7, "<5", None)
    bad = client.get("/api/analytics/flows", {"start": "2025-03-01", "end": "2024-03-31"})
    assert bad.status_code == 422 and "结束日期" in bad.json()["message"]


def test_origins(client, built, city_staff):
    from rencai.talents.models import Talent

    Origin.objects.filter(talent__in=Talent.objects.all()).delete()
    Origin.objects.bulk_create([Origin(talent=t, kind="overseas", country="英国") for t in built[:6]])
    client.force_login(city_staff)
    rows = client.get("/api/analytics/origins", {"by": "country"}).json()
    assert rows == [{"district": HEPING, "value": "英国", "label": "英国", "n": 6}]
    assert client.get("/api/analytics/origins", {"by": "name"}).status_code == 422


def test_ledger(client, built, city_staff):
    client.force_login(city_staff)
    body = client.get("/api/analytics/ledgers/2024").json()
    heping = next(r for r in body["rows"] if r["district"] == HEPING)
    cells = {c["measure"]: c for c in heping["cells"]}
    assert cells["recognised"]["actual"] == 6 and cells["paid"]["actual"] == "0.00"
    assert next(r for r in body["rows"] if r["district"] == HUNNAN)["cells"][0]["actual"] == "<5"
    assert body["rows"][-1]["district_name"] == "合计"
    assert client.get("/api/analytics/ledgers/2099").status_code == 404


def test_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/analytics/public/pool", "/api/analytics/public/recognitions", "/api/analytics/pool",
                 "/api/analytics/recognitions", "/api/analytics/flows", "/api/analytics/origins",
                 "/api/analytics/ledgers/{year}"):
        assert path in paths, path
    assert "security" not in paths["/api/analytics/public/pool"]["get"]
