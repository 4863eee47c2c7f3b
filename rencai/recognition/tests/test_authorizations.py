"""自主认定授权 through the administrators' page: checked by the service, quotas usable by the employer."""

import pytest

from rencai.recognition.models import EmployerAuthorization, EmployerQuota

pytestmark = pytest.mark.django_db


def test_admin_authorises_an_employer_with_quotas(client, admin_user, org):
    client.force_login(admin_user)
    response = client.post("/recognition/authorizations/", {
        "organization_uscc": org.uscc, "valid_from": "2026-01-01", "valid_until": "2026-12-31",
        "criteria": "年薪50万元以上且年缴个税10万元以上", "quota_C": "3", "salary_C": "500000", "tax_C": "100000",
        "quota_D": "10"})
    assert response.status_code == 302
    authorization = EmployerAuthorization.objects.get(organization=org)
    quotas = {q.category: q for q in EmployerQuota.objects.filter(authorization=authorization)}
    assert set(quotas) == {"C", "D"} and quotas["C"].quota == 3 and quotas["C"].min_annual_salary == 500000
    assert authorization.granted_by == admin_user
    html = client.get("/recognition/authorizations/").content.decode()
    assert org.name in html and "C类 0/3" in html


def test_bad_input_lists_every_problem_and_writes_nothing(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/recognition/authorizations/", {
        "organization_uscc": "91210102XXXXXXXXXX", "valid_from": "2026-13-01", "valid_until": "",
        "quota_A": "-1", "criteria": ""})
    html = response.content.decode()
    assert response.status_code == 422
    for words in ("未登记的用人单位", "授权起始日", "请填写授权截止日", "A类名额应为非负整数"):
        assert words in html
    assert EmployerAuthorization.objects.count() == 0


def test_period_and_criteria_are_checked_by_the_service(client, admin_user, org):
    client.force_login(admin_user)
    response = client.post("/recognition/authorizations/", {
        "organization_uscc": org.uscc, "valid_from": "2026-12-31", "valid_until": "2026-01-01", "criteria": ""})
    html = response.content.decode()
    assert response.status_code == 422 and "截止日不能早于起始日" in html and "至少设置一个类别的名额" in html
    assert EmployerAuthorization.objects.count() == 0


def test_only_administrators(client, city_staff, employer_user):
    for user in (city_staff, employer_user):
        client.force_login(user)
        assert client.get("/recognition/authorizations/").status_code == 403
        assert client.post("/recognition/authorizations/", {"quota_A": "1"}).status_code == 403
    assert EmployerAuthorization.objects.count() == 0
