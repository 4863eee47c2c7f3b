"""A talent lists their own technology result (科技成果) through the same create / review flow: by their name,
in their district, submitted by them; any other kind stays the employers' and staff's."""

import pytest

from rencai.accounts.enums import Role
from rencai.core.errors import PermissionDenied
from rencai.opportunities import services

from .challenges_fixtures import in_days

pytestmark = pytest.mark.django_db


def _result(**extra) -> dict:
    return {"kind": "result", "title": "低功耗MEMS温度传感器", "description": "已获发明专利，寻求产业化合作伙伴",
            "industry": "sensors", "seeking": "partner", "closes_on": in_days(90), **extra}


def test_a_talent_lists_their_own_result(talent_user, talent, heping_staff, hunnan_staff):
    made = services.opportunity_create(talent_user, _result(sponsor_name="别人的名字", district="210112"))
    assert (made.kind, made.organization_id, made.sponsor_name, made.district_id, made.created_by_id) == (
        "result", None, talent.name, talent.district_id, talent_user.pk)
    assert services.opportunity_transition(talent_user, made.pk, "pending").status == "pending"
    with pytest.raises(PermissionDenied):
        services.opportunity_transition(talent_user, made.pk, "published")
    assert services.opportunity_transition(heping_staff, made.pk, "published").status == "published"


def test_a_talent_publishes_nothing_else(talent_user, make_user):
    for kind in ("project", "challenge", "job"):
        with pytest.raises(PermissionDenied):
            services.opportunity_create(talent_user, _result(kind=kind))
    unregistered = make_user("no_record", Role.TALENT)
    with pytest.raises(PermissionDenied, match="登记"):
        services.opportunity_create(unregistered, _result())
    assert not services.Opportunity.objects.exists()
