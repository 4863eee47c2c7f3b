"""Small fixtures of the challenges and projects tests: two 和平区 enterprises with their HR, a published
challenge and a published project (services.py's create / submit / approve), and a talent with an account."""

import datetime as dt

import pytest
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.conftest import make_uscc


def in_days(n: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=n)).isoformat()


def _org(name: str, industry: str = "new_materials", district: str = "210102"):
    from rencai.organizations.models import Organization

    return Organization.objects.create(name=name, uscc=make_uscc(district), kind="enterprise", district_id=district,
                                       industry=industry)


@pytest.fixture
def sponsor_org(db):
    return _org("沈阳新材示范有限公司")


@pytest.fixture
def other_org(db):
    return _org("沈阳精工装备有限公司", "machinery")


@pytest.fixture
def sponsor(make_user, sponsor_org):
    return make_user("sponsor_hr", Role.EMPLOYER, organization=sponsor_org)


@pytest.fixture
def other_hr(make_user, other_org):
    return make_user("other_hr", Role.EMPLOYER, organization=other_org)


def publish(actor, reviewer, **data):
    from rencai.opportunities import services

    made = services.opportunity_create(actor, data)
    services.opportunity_transition(actor, made.pk, "pending")
    return services.opportunity_transition(reviewer, made.pk, "published")


@pytest.fixture
def challenge(sponsor, heping_staff):
    return publish(sponsor, heping_staff, kind="challenge", title="高纯碳化硅粉体制备工艺攻关",
                   description="攻克6N级碳化硅粉体合成与提纯工艺", challenge_field="semiconductor",
                   funding="500000", closes_on=in_days(30))


@pytest.fixture
def project(sponsor, heping_staff):
    return publish(sponsor, heping_staff, kind="project", title="石墨烯导热膜中试线建设",
                   description="建设年产十万平方米石墨烯导热膜中试线，寻求产业资本", industry="new_materials",
                   seeking="funding", funding="8000000", closes_on=in_days(60))
