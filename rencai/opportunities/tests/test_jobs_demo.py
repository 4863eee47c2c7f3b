"""The demo's jobs and 见习 load through the services on a small registry, twice safely, and clear."""

import pytest

from rencai.accounts.enums import Role
from rencai.conftest import make_uscc

pytestmark = pytest.mark.django_db


def test_jobs_demo_loads_once_and_clears(make_user, make_talent, talent_user, talent):
    from rencai.opportunities.demo_jobs import jobs_demo_clear, jobs_demo_load
    from rencai.opportunities.models import Application, Opportunity
    from rencai.organizations.models import Organization

    orgs = [Organization.objects.create(name=f"沈阳示例企业{i}", uscc=make_uscc(), kind="enterprise",
                                        district_id=("210102", "210112")[i % 2]) for i in range(4)]
    employer = make_user("employer", Role.EMPLOYER, organization=orgs[0])
    make_user("city_staff", Role.STAFF, "210100")
    make_user("heping_staff", Role.STAFF, "210102")
    talent_user.username = "talent"
    talent_user.save(update_fields=["username"])
    for i in range(3):
        t = make_talent(name=f"归国{i}")
        t.returnee = True
        t.save(update_fields=["returnee"])
    made = jobs_demo_load()
    assert made >= 30 and jobs_demo_load() == 0
    assert Opportunity.objects.filter(status="published", targeted_returnee=True).exists()
    assert Opportunity.objects.filter(status="pending").count() >= 2
    assert sorted(Application.objects.filter(talent=talent).values_list("state", flat=True)) == [
        "interview", "received"], list(Application.objects.values_list("talent__name", "state", "opportunity__title"))
    hired = Application.objects.get(state="hired")
    hired.talent.refresh_from_db()
    assert hired.talent.organization_id == employer.organization_id and hired.retained is True
    jobs_demo_clear()
    assert not Opportunity.objects.exists() and not Application.objects.exists()
