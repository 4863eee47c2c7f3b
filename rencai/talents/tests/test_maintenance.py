"""信息维护: who may change what, checked with the rest of the record, logged, all or nothing."""

import pytest

from rencai.core.errors import NotFound, PermissionDenied, ValidationFailed
from rencai.core.openapi_check import assert_matches_openapi
from rencai.talents import services
from rencai.talents.models import Education, Talent, TalentChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(make_user, make_talent):
    user = make_user("self", "talent")
    talent = make_talent(name="本人", phone="13900000001")
    Talent.objects.filter(pk=talent.pk).update(user=user)
    return user, Talent.objects.get(pk=talent.pk)


def test_a_talent_updates_contact_and_housing_and_it_is_logged(own):
    user, talent = own
    services.talent_update(actor=user, talent_id=talent.pk,
                           changes={"phone": "13700001111", "housing_status": "本市自有住房", "monthly_rent": ""})
    talent.refresh_from_db()
    assert talent.phone_masked == "137****1111" and talent.housing_status == "owns" and talent.monthly_rent is None
    change = TalentChange.objects.get()
    assert change.actor == user
    assert change.changes["phone"] == {"label": "手机号码", "from": "139****0001", "to": "137****1111"}
    assert "13700001111" not in str(change.changes)  # numbers are logged masked


def test_a_talent_cannot_change_identity_category_or_employer(own):
    user, talent = own
    for changes in ({"id_number": "210102199001011237"}, {"talent_category": "A"}, {"district": "浑南区"},
                    {"birth_date": "1990-01-01"}):
        with pytest.raises(ValidationFailed):
            services.talent_update(actor=user, talent_id=talent.pk, changes=changes)
    talent.refresh_from_db()
    assert (talent.talent_category, talent.district_id) == ("", "210102")
    assert TalentChange.objects.count() == 0


def test_a_bad_value_changes_nothing(own):
    user, talent = own
    with pytest.raises(ValidationFailed) as info:
        services.talent_update(actor=user, talent_id=talent.pk, changes={"phone": "12", "monthly_rent": "-1"})
    assert {e.field for e in info.value.errors} == {"phone", "monthly_rent"}
    talent.refresh_from_db()
    assert talent.phone_masked == "139****0001" and TalentChange.objects.count() == 0


def test_staff_update_education_employer_and_stay_in_their_jurisdiction(heping_staff, make_talent):
    from rencai.conftest import make_uscc
    from rencai.organizations.services import organization_create

    talent = make_talent()
    org = organization_create(name="沈阳新单位有限公司", uscc=make_uscc(), kind="enterprise", district="和平区")
    services.talent_update(actor=heping_staff, talent_id=talent.pk, changes={
        "organization_uscc": org.uscc, "highest_degree": "博士", "graduation_date": "2024-07-01",
        "school": "东北大学", "school_country": "中国"})
    talent.refresh_from_db()
    assert talent.organization == org and talent.employer_type == "enterprise"
    assert talent.graduation_date.isoformat() == "2024-07-01"
    assert Education.objects.filter(talent=talent).count() == 2  # history kept, a new row added
    with pytest.raises(Exception) as info:  # moving the record out of the officer's district
        services.talent_update(actor=heping_staff, talent_id=talent.pk, changes={"district": "浑南区"})
    assert isinstance(info.value, PermissionDenied)
    talent.refresh_from_db()
    assert talent.district_id == "210102"


def test_graduation_before_birth_is_refused_against_the_stored_birth_date(heping_staff, make_talent):
    talent = make_talent()
    with pytest.raises(ValidationFailed) as info:
        services.talent_update(actor=heping_staff, talent_id=talent.pk, changes={"graduation_date": "1950-07-01"})
    assert info.value.errors[0].field == "graduation_date"


def test_others_cannot_update(hunnan_staff, leader, make_user, make_talent):
    talent = make_talent()
    with pytest.raises(NotFound):
        services.talent_update(actor=hunnan_staff, talent_id=talent.pk, changes={"email": "a@b.cn"})
    with pytest.raises(PermissionDenied):
        services.talent_update(actor=leader, talent_id=talent.pk, changes={"email": "a@b.cn"})
    stranger = make_user("stranger", "talent")
    with pytest.raises(NotFound):
        services.talent_update(actor=stranger, talent_id=talent.pk, changes={"email": "a@b.cn"})


def test_api_patch_and_page(client, own, heping_staff):
    user, talent = own
    client.force_login(user)
    response = client.patch(f"/api/talents/{talent.pk}", {"email": "me@example.cn"}, content_type="application/json")
    assert response.status_code == 200
    assert_matches_openapi(response, "patch", "/api/talents/{talent_id}")
    refused = client.patch(f"/api/talents/{talent.pk}", {"name": "改名"}, content_type="application/json")
    assert refused.status_code == 422 and "不能由您修改" in refused.json()["message"]
    page = client.post("/me/edit/", {"phone": "", "email": "me@example.cn", "housing_status": "owns"})
    assert page.status_code == 302
    talent.refresh_from_db()
    assert talent.housing_status == "owns" and talent.phone_masked == "139****0001"  # blank phone: unchanged
    client.force_login(heping_staff)
    html = client.get(f"/talents/{talent.pk}/").content.decode()
    assert "信息变更记录" in html and "住房情况：租房 → 本市自有住房" in html
    bad = client.post(f"/talents/{talent.pk}/edit/", {"monthly_rent": "abc"})
    assert bad.status_code == 422 and "不是有效数字" in bad.content.decode()
