"""Issue 14, item 11: a talent's claim to work for an employer counts only once the employer (or staff)
confirms it — before that the employer does not see the person and no policy relies on the employment."""

import datetime as dt

import pytest

from rencai.accounts.enums import Role
from rencai.audit.models import AuditEvent
from rencai.conftest import make_uscc, talent_data
from rencai.core.errors import Conflict, NotFound, PermissionDenied
from rencai.organizations.services import organization_create
from rencai.policies.registry import registry_frame, talent_profile
from rencai.talents import selectors
from rencai.talents.models import Talent
from rencai.talents.services import employment_confirm, employment_reject, talent_self_register
from rencai.talents.validation import talent_input_validate

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2024, 6, 1)


@pytest.fixture
def org(db):
    return organization_create(name="沈阳确认测试有限公司", uscc=make_uscc(), kind="enterprise", district="和平区")


@pytest.fixture
def employer(make_user, org):
    return make_user("hr_confirm", Role.EMPLOYER, organization=org)


@pytest.fixture
def claimant(org):
    data = talent_input_validate(talent_data(name="冒认者", organization_uscc=org.uscc, employer_type=""))
    return talent_self_register(username="claimant", password="A-long-pass-phrase-9", data=data)


def _employment_in_frame(talent):
    frame = registry_frame(as_of=AS_OF, queryset=Talent.objects.filter(pk=talent.pk))
    return frame["employment.employer_type"][0], frame["employment.start_date"][0]


def test_a_self_registered_claim_shows_the_employer_nothing(claimant, employer, client):
    assert claimant.employment_status == "claimed" and claimant.organization is not None
    assert not selectors.talent_list(user=employer).filter(pk=claimant.pk).exists()
    with pytest.raises(NotFound):
        selectors.talent_get(user=employer, talent_id=claimant.pk)
    client.force_login(employer)
    assert "冒认者" not in client.get("/talents/").content.decode()
    assert client.get(f"/talents/{claimant.pk}/").status_code == 404
    assert client.get("/api/talents").json()["count"] == 0


def test_no_policy_relies_on_an_unconfirmed_employment(claimant, employer):
    assert "employment" not in talent_profile(claimant, as_of=AS_OF)
    assert _employment_in_frame(claimant) == (None, None)
    employment_confirm(actor=employer, talent_id=claimant.pk)
    claimant.refresh_from_db()
    assert talent_profile(claimant, as_of=AS_OF)["employment"]["employer_type"] == "enterprise"
    assert _employment_in_frame(claimant) == ("enterprise", dt.date(2021, 9, 1))


def test_the_employer_confirms_on_its_claims_page(claimant, employer, client):
    client.force_login(employer)
    page = client.get("/talents/claims/").content.decode()
    assert "冒认者" in page and "确认任职" in page
    confirm = client.get(f"/talents/claims/{claimant.pk}/confirm/")
    assert confirm.status_code == 200 and "请确认此人确在该单位工作" in confirm.content.decode()
    assert client.post(f"/talents/claims/{claimant.pk}/confirm/", {"confirmed": "1"}).status_code == 302
    claimant.refresh_from_db()
    assert (claimant.employment_status, claimant.employment_confirmed_by) == ("confirmed", employer)
    assert claimant.employment_confirmed_at is not None
    assert "冒认者" in client.get("/talents/").content.decode()
    assert "冒认者" not in client.get("/talents/claims/").content.decode()
    event = AuditEvent.objects.get(action="employment", object_id=str(claimant.pk))
    assert event.actor == employer and "已确认" in event.summary


def test_a_rejected_claim_stays_hidden_and_only_staff_may_reverse_it(claimant, employer, heping_staff, client):
    employment_reject(actor=employer, talent_id=claimant.pk, reason="查无此人")
    assert not selectors.talent_list(user=employer).filter(pk=claimant.pk).exists()
    with pytest.raises(Conflict):
        employment_confirm(actor=employer, talent_id=claimant.pk)
    employment_reject(actor=employer, talent_id=claimant.pk)  # the same decision again changes nothing
    client.force_login(heping_staff)
    detail = client.get(f"/talents/{claimant.pk}/").content.decode()
    assert "单位不予确认" in detail and "确认任职" in detail
    assert client.post(f"/talents/claims/{claimant.pk}/confirm/", {"confirmed": "1"}).status_code == 302
    assert selectors.talent_list(user=employer).filter(pk=claimant.pk).exists()


def test_other_employers_and_other_roles_cannot_decide(claimant, make_user, hunnan_staff, client):
    other_org = organization_create(name="别家单位", uscc=make_uscc(), kind="enterprise", district="和平区")
    other = make_user("hr_other", Role.EMPLOYER, organization=other_org)
    with pytest.raises(NotFound):
        employment_confirm(actor=other, talent_id=claimant.pk)
    with pytest.raises(NotFound):  # 浑南区 staff: the claimant lives in 和平区
        employment_confirm(actor=hunnan_staff, talent_id=claimant.pk)
    with pytest.raises(PermissionDenied):
        employment_confirm(actor=make_user("lead", Role.LEADER, region="210100"), talent_id=claimant.pk)
    client.force_login(other)
    assert client.get(f"/talents/claims/{claimant.pk}/confirm/").status_code == 404
    assert "冒认者" not in client.get("/talents/claims/").content.decode()
    assert Talent.objects.get(pk=claimant.pk).employment_status == "claimed"


def test_staff_created_records_are_confirmed_by_staff(make_talent, org, admin_user, employer):
    talent = make_talent(name="登记者", organization_uscc=org.uscc)
    assert (talent.employment_status, talent.employment_confirmed_by) == ("confirmed", admin_user)
    assert selectors.talent_list(user=employer).filter(pk=talent.pk).exists()


def test_staff_writing_the_employment_confirms_it(claimant, heping_staff, employer):
    from rencai.talents.services import talent_update

    talent_update(actor=heping_staff, talent_id=claimant.pk, changes={"email": "x@example.com"})
    assert Talent.objects.get(pk=claimant.pk).employment_status == "claimed"  # an unrelated edit confirms nothing
    talent_update(actor=heping_staff, talent_id=claimant.pk, changes={"employment_start": "2022-03-01"})
    claimant.refresh_from_db()
    assert (claimant.employment_status, claimant.employment_confirmed_by) == ("confirmed", heping_staff)
    assert selectors.talent_list(user=employer).filter(pk=claimant.pk).exists()


def test_the_talent_sees_that_the_claim_waits(claimant, client):
    client.force_login(claimant.user)
    assert "待单位确认" in client.get("/me/").content.decode()
