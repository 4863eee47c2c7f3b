"""The kept district counts (DistrictCount) stay equal to a recount after every kind of write of the talents and
their origins: registration, a change of district, employer, skill level or birth date, an origin set by staff,
a talent deleted."""

from collections import Counter

import pytest

from rencai.analytics import services
from rencai.analytics.models import DistrictCount, Origin
from rencai.talents.models import Talent
from rencai.talents.services import talent_update

pytestmark = pytest.mark.django_db


def _recount() -> Counter:
    expected = Counter()
    for t in Talent.objects.all():
        org = "" if t.organization_id is None or t.employment_status == "rejected" else str(t.organization_id)
        for dim, value in (("org", org), ("skill", t.skill_level), ("birth", t.birth_date.isoformat())):
            expected[(t.district_id, dim, value)] += 1
    for o in Origin.objects.select_related("talent"):
        overseas = o.kind == "overseas"
        for dim, value in (("kind", o.kind), ("channel", o.channel),
                           ("province", None if overseas else o.province_code),
                           ("country", o.country if overseas else None),
                           ("university", o.university if overseas else None)):
            if value is not None:
                expected[(o.talent.district_id, dim, value)] += 1
    return expected


def _kept() -> Counter:
    return Counter({(r.district_id, r.dimension, r.value): r.n for r in DistrictCount.objects.filter(n__gt=0)})


def test_the_kept_counts_follow_every_write(make_talent, admin_user, city_staff):
    first = make_talent(name="计数甲")
    second = make_talent(name="计数乙", district="浑南区", school_country="中国", returnee="否")
    assert _kept() == _recount()
    assert _kept()[("210102", "country", "英国")] == 1
    talent_update(actor=admin_user, talent_id=first.pk, changes={"district": "浑南区"})
    assert _kept()[("210112", "country", "英国")] == 1 and _kept()[("210102", "country", "英国")] == 0
    assert _kept() == _recount()
    Talent.objects.filter(pk=second.pk).update(skill_level="technician", birth_date="1990-02-03")
    assert _kept()[("210112", "skill", "technician")] == 1
    services.origin_set(actor=city_staff, talent_id=second.pk, kind="overseas", channel="startup_week",
                        country="日本", university="东京大学")
    assert _kept()[("210112", "university", "东京大学")] == 1
    assert _kept() == _recount()
    Talent.objects.filter(pk=first.pk).delete()
    assert _kept() == _recount()
    assert not DistrictCount.objects.filter(n__lt=0).exists()


def test_a_recount_gives_the_same_rows(make_talent):
    from django.db import connection

    from rencai.analytics import triggers

    make_talent(name="重算")
    before = _kept()
    triggers.rebuild(connection)
    assert _kept() == before == _recount()
