"""Small fixtures of the jobs part's tests: an employer in 和平区 with its HR, a returnee talent, and a job."""

import datetime as dt

import pytest
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.conftest import make_uscc


@pytest.fixture
def org(db):
    from rencai.organizations.models import Organization

    return Organization.objects.create(name="沈阳示例智能装备有限公司", uscc=make_uscc(), kind="enterprise",
                                       district_id="210102", industry="robotics")


@pytest.fixture
def hr(make_user, org):
    return make_user("hr1", Role.EMPLOYER, organization=org)


@pytest.fixture
def returnee(talent):
    """The talent fixture (和平区 博士) made a returnee with no employer yet."""
    talent.returnee = True
    talent.save(update_fields=["returnee"])
    return talent


def job_data(**overrides) -> dict:
    data = {"kind": "job", "title": "机器人算法工程师", "description": "负责工业机器人运动控制算法研发",
            "industry": "robotics", "majors": "自动化、控制工程", "degree_min": "master", "overseas_wanted": "1",
            "targeted_returnee": "1", "salary_min": "15000", "salary_max": "25000", "positions": "2",
            "closes_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat()}
    data.update(overrides)
    return data


@pytest.fixture
def published_job(hr, heping_staff):
    from rencai.opportunities import services

    job = services.opportunity_create(hr, job_data())
    services.opportunity_transition(hr, job.pk, "pending")
    return services.opportunity_transition(heping_staff, job.pk, "published")
