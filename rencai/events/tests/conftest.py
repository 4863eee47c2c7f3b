import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture
def make_event(heping_staff):
    from rencai.events.services import event_create

    def factory(actor=None, **overrides):
        now = timezone.localtime()
        data = {"kind": "returnee", "title": "归国人才专题对接会", "district": "210102", "venue": "和平区人才市场",
                "starts_at": now + dt.timedelta(days=7), "ends_at": now + dt.timedelta(days=7, hours=3),
                "registration_deadline": now + dt.timedelta(days=6), "capacity": 10, **overrides}
        return event_create(actor=actor or heping_staff, data=data)

    return factory


@pytest.fixture
def employer(make_user):
    from rencai.conftest import make_uscc
    from rencai.organizations.services import organization_create

    organization = organization_create(name="沈阳活动科技有限公司", uscc=make_uscc(), kind="enterprise",
                                       district="和平区")
    return make_user("hr", "employer", organization=organization)


@pytest.fixture
def make_talent_user(make_user, make_talent):
    from rencai.talents.models import Talent

    def factory(username: str, **overrides):
        user = make_user(username, "talent")
        Talent.objects.filter(pk=make_talent(name=overrides.pop("name", f"报名{username}"), **overrides).pk
                              ).update(user=user)
        return user

    return factory
