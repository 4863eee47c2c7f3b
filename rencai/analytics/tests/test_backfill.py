"""The backfill gives every talent without history an open spell and the origin the registry tells — the same
origin, by SQL, that the services infer when a talent is registered."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from rencai.analytics.backfill import history_backfill
from rencai.analytics.models import EmploymentSpell, Move, Origin
from rencai.conftest import make_resident_id
from rencai.talents.models import Talent
from rencai.talents.services import employment_reject

pytestmark = pytest.mark.django_db

ORIGIN_FIELDS = ("talent_id", "kind", "province_code", "country", "university", "channel", "inferred")


def _people(make_talent):
    return [
        make_talent(name="海归"),  # 英国, 帝国理工学院
        make_talent(name="本市", returnee="否", school_country="中国", school="东北大学"),
        make_talent(name="外省", id_number=make_resident_id("320102"), returnee="否", school_country="中国",
                    school="南京大学"),
        make_talent(name="护照", id_type="护照", id_number="E12345678", gender="男", birth_date="1988-02-03",
                    returnee="否", school_country="中国", school="复旦大学"),
        make_talent(name="无学历", highest_degree="", school="", school_country="", graduation_date="",
                    returnee="否", employment_start=""),
        make_talent(name="回国无国别", returnee="是", school_country="中国", school="（未填写）"),
    ]


def test_the_backfill_infers_what_registration_recorded(make_talent):
    people = _people(make_talent)
    recorded = sorted(Origin.objects.values_list(*ORIGIN_FIELDS))
    spells = sorted(EmploymentSpell.objects.values_list("talent_id", "district_id", "started_on", "ended_on"))
    assert {o[1] for o in recorded} == {"overseas", "local", "domestic", "unknown"}  # every branch is seen
    Origin.objects.all().delete()
    EmploymentSpell.objects.all().delete()
    Move.objects.all().delete()
    assert history_backfill() == (len(people), len(people))
    assert sorted(Origin.objects.values_list(*ORIGIN_FIELDS)) == recorded
    assert sorted(EmploymentSpell.objects.values_list("talent_id", "district_id", "started_on", "ended_on")) == spells
    assert set(EmploymentSpell.objects.values_list("reason", flat=True)) == {"backfill"}
    assert not Move.objects.exists()  # when a backfilled talent arrived is not known: no move invented
    assert history_backfill() == (0, 0)  # safe to run twice


def test_a_backfilled_spell_starts_at_the_employment_start_or_the_registration_day(make_talent, admin_user):
    from rencai.conftest import make_uscc
    from rencai.organizations.services import organization_create

    org = organization_create(name="补录单位", uscc=make_uscc(), kind="enterprise", district="和平区",
                              industry="aviation")
    with_start = make_talent(name="有入职日期", organization_uscc=org.uscc)
    without = make_talent(name="无入职日期", employment_start="", organization_uscc=org.uscc)
    employment_reject(actor=admin_user, talent_id=without.pk, reason="不在本单位")
    Talent.objects.filter(pk=without.pk).update(created_at=timezone.make_aware(dt.datetime(2024, 3, 5, 23, 30)))
    EmploymentSpell.objects.all().delete()
    Origin.objects.all().delete()
    call_command("analytics_backfill", stdout=open("/dev/null", "w"))
    first = EmploymentSpell.objects.get(talent=with_start)
    second = EmploymentSpell.objects.get(talent=without)
    assert (first.started_on, first.ended_on, first.organization_id, first.industry) == (
        dt.date(2021, 9, 1), None, org.pk, "aviation")
    # the local day of registration (23:30 in 沈阳 is the same day), and a rejected claim names no employer
    assert (second.started_on, second.organization_id, second.industry) == (dt.date(2024, 3, 5), None, "")
