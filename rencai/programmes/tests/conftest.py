"""Fixtures for 项目申报: an enterprise in 和平区 (a key enterprise of a leading industry) with an HR account, talents
with accounts employed there, experts, and calls for the three kinds of applicant."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from rencai.accounts.enums import Role

_seq = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PERSON = "sy-urgent-talent-reward"  # 产业急需紧缺人才奖励 (a person at an enterprise; up to 30万)
TEAM = "ln-xingliao-innovation-team-grant"  # “兴辽英才计划”引进创新团队支持 (an introduced innovation team)
ORGANIZATION = "sy-urgent-talent-employer"  # 产业急需紧缺人才奖励（企业申报）: tiers 6/9/15/30万


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def company(db):
    from rencai.conftest import make_uscc
    from rencai.organizations.models import Organization
    from rencai.organizations.services import organization_create

    org = organization_create(name="沈阳新松智造有限公司", uscc=make_uscc(), kind="enterprise", district="和平区")
    Organization.objects.filter(pk=org.pk).update(key_enterprise=True, industry_field="leading", industry="robotics")
    org.refresh_from_db()
    return org


@pytest.fixture
def urgent_position(city_staff):
    """A position of this year's published 急需紧缺人才需求目录 of the company's chain (机器人): what an employer's
    急需紧缺 declaration names."""
    from rencai.opportunities import shortage

    catalog = shortage.catalog_create(actor=city_staff, year=timezone.localdate().year, industry="robotics")
    entry = shortage.entry_save(actor=city_staff, catalog_id=catalog.pk, data=shortage.EntryInput(
        position="机器人视觉算法工程师", skills="机器视觉；计算机、自动化专业", degree_min="master", urgency="high"))
    shortage.catalog_transition(actor=city_staff, catalog_id=catalog.pk, action="publish")
    return entry


@pytest.fixture
def other_company(db):
    from rencai.conftest import make_uscc
    from rencai.organizations.services import organization_create

    return organization_create(name="浑南研究院", uscc=make_uscc("210112"), kind="institute", district="浑南区")


@pytest.fixture
def other_city_staff(make_user):
    return make_user("city2", Role.STAFF, "210100")


@pytest.fixture
def hr(make_user, company):
    return make_user("hr1", Role.EMPLOYER, organization=company)


@pytest.fixture
def person(make_user, make_talent, company):
    """A talent with an account, employed (confirmed) at the company: the applicant or team lead."""
    return _talent_with_account(make_user, make_talent, company, "王立新")


def _talent_with_account(make_user, make_talent, company, name, district="和平区"):
    from rencai.talents.models import Talent

    talent = make_talent(name=name, organization_uscc=company.uscc, district=district)
    user = make_user(f"t{next(_seq)}", Role.TALENT)
    Talent.objects.filter(pk=talent.pk).update(user=user, employment_status="confirmed", employer_type="enterprise")
    return Talent.objects.select_related("user").get(pk=talent.pk)


@pytest.fixture
def make_member(make_user, make_talent, company):
    def factory(name: str, district: str = "和平区"):
        return _talent_with_account(make_user, make_talent, company, name, district)

    return factory


@pytest.fixture
def experts(make_user, company, other_company):
    """Five experts: 甲 works at the company (stands aside from its people), the others elsewhere."""
    from rencai.reviews.models import Expert

    rows = [("甲", company), ("乙", other_company), ("丙", None), ("丁", None), ("戊", None)]
    return {name: Expert.objects.create(user=make_user(f"px{next(_seq)}", Role.EXPERT), name=f"{name}专家",
                                        organization=org) for name, org in rows}


def window(days_before=5, days_after=20):
    today = timezone.localdate()
    return today - dt.timedelta(days=days_before), today + dt.timedelta(days=days_after)


def make_call(actor, policy, *, tiers=None, money="3000000", stages=None, materials=(), endorsement=False,
              payee="talent", **overrides):
    from rencai.programmes.services import CallInput, TierInput, call_create

    opens, closes = window()
    data = CallInput(policy=policy, year=timezone.localdate().year, opens_on=opens, closes_on=closes,
                     money=money, tiers=tiers or [TierInput(label="一档", places=2, places_max=3, amount="300000")],
                     materials=list(materials), endorsement_required=endorsement,
                     stages=stages or [{"trigger": "award", "percent": 50}, {"trigger": "final", "percent": 50}],
                     payee=payee, panel_size=3, **overrides)
    return call_create(actor=actor, data=data, publish=True)


@pytest.fixture
def budget(db):
    from rencai.payments.budgets import budget_line_set

    def factory(policy, amount="10000000"):
        return budget_line_set(policy_id=policy, year=timezone.localdate().year, amount=Decimal(amount))

    return factory


def upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    n = next(_seq)
    return SimpleUploadedFile(f"材料{n}.pdf", PDF + f"\n% {n}\n".encode())
