"""A district officer of 和平区 cannot read a talent of 浑南区 through any page or API call."""

import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_talents(make_talent):
    return make_talent(district="和平区", name="和平甲"), make_talent(district="浑南区", name="浑南乙")


def test_pages_show_only_the_officers_district(client, heping_staff, two_talents):
    heping, hunnan = two_talents
    client.force_login(heping_staff)
    listing = client.get("/talents/").content.decode()
    assert "和平甲" in listing and "浑南乙" not in listing
    assert client.get(f"/talents/{heping.pk}/").status_code == 200
    assert client.get(f"/talents/{hunnan.pk}/").status_code == 404
    assert client.get("/talents/?district=210112").content.decode().count("浑南乙") == 0
    response = client.post(f"/talents/{hunnan.pk}/reveal/",
                           {"confirmed": "1", "field": "id_number", "reason": "核验材料"})
    assert response.status_code == 404


def test_export_contains_only_the_officers_district(client, heping_staff, two_talents):
    client.force_login(heping_staff)
    response = client.get("/talents/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["和平甲"]


def test_api_shows_only_the_officers_district(client, heping_staff, two_talents):
    heping, hunnan = two_talents
    client.force_login(heping_staff)
    body = client.get("/api/talents").json()
    assert [t["name"] for t in body["results"]] == ["和平甲"] and body["count"] == 1
    assert client.get(f"/api/talents/{heping.pk}").status_code == 200
    denied = client.get(f"/api/talents/{hunnan.pk}")
    assert denied.status_code == 404 and "管辖范围" in denied.json()["message"]
    reveal = client.post(f"/api/talents/{hunnan.pk}/reveal", {"field": "id_number", "reason": "核验材料"},
                         content_type="application/json")
    assert reveal.status_code == 404


def test_city_staff_and_leader_see_the_whole_city(client, city_staff, leader, two_talents):
    for user in (city_staff, leader):
        client.force_login(user)
        assert client.get("/api/talents").json()["count"] == 2


def test_a_talent_sees_only_themselves(client, make_user, make_talent, two_talents):
    from rencai.talents.models import Talent

    person = make_user("person", "talent")
    Talent.objects.filter(pk=two_talents[0].pk).update(user=person)
    client.force_login(person)
    assert client.get(f"/api/talents/{two_talents[0].pk}").status_code == 200
    assert client.get(f"/api/talents/{two_talents[1].pk}").status_code == 404
    assert client.get("/api/talents").status_code == 403
    assert "和平甲" in client.get("/me/").content.decode()


def test_employer_sees_only_own_employees(client, make_user, make_talent):
    from rencai.conftest import make_uscc
    from rencai.organizations.services import organization_create

    org = organization_create(name="沈阳某某科技有限公司", uscc=make_uscc(), kind="enterprise", district="和平区")
    mine = make_talent(organization_uscc=org.uscc, name="本单位")
    make_talent(name="别人家")
    employer = make_user("hr", "employer", organization=org)
    client.force_login(employer)
    body = client.get("/api/talents").json()
    assert [t["name"] for t in body["results"]] == ["本单位"]
    assert mine.employer_type == "enterprise"


def test_screens_show_masked_numbers_only(client, heping_staff, two_talents):
    from rencai.core import crypto

    heping = two_talents[0]
    client.force_login(heping_staff)
    full = crypto.decrypt(heping.id_number_cipher)
    page = client.get(f"/talents/{heping.pk}/").content.decode() + client.get("/talents/").content.decode()
    api = client.get(f"/api/talents/{heping.pk}").content.decode()
    assert full not in page and full not in api
    assert heping.id_number_masked in page and heping.id_number_masked in api


def test_anonymous_gets_login_or_401(client, two_talents):
    assert client.get("/talents/").status_code == 302
    response = client.get("/api/talents")
    assert response.status_code == 401 and response.json()["message"] == "请先登录"
