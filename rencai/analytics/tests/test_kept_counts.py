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


@pytest.mark.django_db(transaction=True)
def test_writers_at_once_keep_the_counts_whole(make_talent, city_staff):
    """Officers moving different talents and setting origins at the same moment (each request its own
    transaction, touching the same buckets): every answer a success or the documented 409, no deadlock, and the
    kept counts equal a recount afterwards."""
    from rencai.core.tests.races import assert_success_or_conflict, clients_for, race

    people = [make_talent(name=f"并发{i}") for i in range(6)]
    targets = ["浑南区", "沈河区", "皇姑区", "浑南区", "沈河区", "皇姑区"]

    def send(client, i):
        if i < len(people):
            return client.patch(f"/api/talents/{people[i].pk}", {"district": targets[i]},
                                content_type="application/json")
        return None

    answers = race(send, clients_for(city_staff, len(people)))
    assert_success_or_conflict(answers, success=(200,))
    assert _kept() == _recount()
    assert _kept()[("210102", "country", "英国")] == 0


@pytest.mark.django_db(transaction=True)
def test_an_origin_set_while_its_talent_moves(make_talent, admin_user):
    """The one write that reads the other table: staff set an origin while another transaction moves its talent
    and has not committed yet. origin_set waits for the talent's row (it locks it first), so its buckets land in
    the district the talent ends in; without that lock it would count the origin in the old district from its
    snapshot and the move would carry the old origin's values (on PostgreSQL the counts would drift)."""
    import threading

    from django.db import connection, transaction

    talent = make_talent(name="同时更正")
    moved, origin_done, errors = threading.Event(), threading.Event(), []

    def move():
        try:
            with transaction.atomic():
                talent_update(actor=admin_user, talent_id=talent.pk, changes={"district": "浑南区"})
                moved.set()
                origin_done.wait(timeout=1.5)  # the origin's write goes first if nothing makes it wait
        except Exception as exc:
            errors.append(exc)
        finally:
            moved.set()
            connection.close()

    def origin():
        try:
            moved.wait(timeout=10)
            services.origin_set(actor=admin_user, talent_id=talent.pk, kind="overseas", channel="startup_week",
                                country="德国", university="慕尼黑工业大学")
        except Exception as exc:
            errors.append(exc)
        finally:
            origin_done.set()
            connection.close()

    threads = [threading.Thread(target=move), threading.Thread(target=origin)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _kept() == _recount()
    assert _kept()[("210112", "country", "德国")] == 1
