"""Small fixtures of matching's tests: an employer, a few talents, opportunities made open through their save (so
the index follows them as it follows the jobs part's services)."""

import datetime as dt

import pytest
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.conftest import make_uscc


@pytest.fixture(autouse=True)
def fresh_indexes():
    from rencai.matching import index

    index.forget()
    yield
    index.forget()


@pytest.fixture
def org(db):
    from rencai.organizations.models import Organization

    return Organization.objects.create(name="沈阳示例新材料有限公司", uscc=make_uscc("210112"), kind="enterprise",
                                       district_id="210112", industry="new_materials")


@pytest.fixture
def hr(make_user, org):
    return make_user("hr-match", Role.EMPLOYER, organization=org)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the index sync, the notice job), as a real request's commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def make_opportunity(db, admin_user, org, committed):
    from rencai.opportunities.models import Opportunity

    def factory(title, *, publish=True, **fields):
        data = {"kind": "job", "description": title, "organization": org, "district_id": "210112",
                "closes_on": timezone.localdate() + dt.timedelta(days=30), "created_by": admin_user}
        data.update(fields)
        opportunity = Opportunity.objects.create(title=title, **data)
        if publish:
            opportunity.status, opportunity.published_at = "published", timezone.now()
            with committed():
                opportunity.save(update_fields=["status", "published_at"])
        return opportunity

    return factory


@pytest.fixture
def jobs(make_opportunity):
    """The 新材料 定向 job a returnee 材料 博士 should see first, and others around it."""
    return {
        "targeted": make_opportunity("碳纤维复合材料研发工程师（定向）", industry="new_materials",
                                     majors="材料科学与工程、复合材料", degree_min="doctor", targeted_returnee=True,
                                     overseas_wanted=True,
                                     description="负责碳纤维复合材料的研发与中试，面向留学回国博士"),
        "materials": make_opportunity("金属材料工艺工程师", industry="new_materials", majors="冶金工程",
                                      degree_min="bachelor", district_id="210102",
                                      description="高温合金熔炼工艺"),
        "software": make_opportunity("软件开发工程师", industry="digital", majors="计算机科学与技术、软件工程",
                                     degree_min="bachelor", description="工业互联网平台软件开发"),
        "bachelor_targeted": make_opportunity("半导体封装测试工程师（定向）", industry="ic", majors="微电子科学与工程",
                                              degree_min="bachelor", targeted_returnee=True,
                                              description="芯片封装测试"),
    }


@pytest.fixture
def returnee_doctor(make_user, make_talent):
    """A returnee 材料科学与工程 博士 in 浑南区, with an account."""
    from rencai.talents.models import Talent

    user = make_user("cailiao", Role.TALENT)
    talent = make_talent(name="王材博", district="浑南区", major="材料科学与工程", school="帝国理工学院",
                         school_country="英国")
    Talent.objects.filter(pk=talent.pk).update(user=user)
    talent.refresh_from_db()
    assert talent.returnee and talent.highest_degree == "doctor"
    return talent


@pytest.fixture
def local_bachelor(make_user, make_talent):
    """A 软件工程 本科 who studied at home (not a returnee), with an account."""
    from rencai.talents.models import Talent

    user = make_user("ruanjian", Role.TALENT)
    talent = make_talent(name="赵软本", major="软件工程", highest_degree="本科", school="东北大学",
                         school_country="中国")
    Talent.objects.filter(pk=talent.pk).update(user=user)
    talent.refresh_from_db()
    assert not talent.returnee
    return talent
