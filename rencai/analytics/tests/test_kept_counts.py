"""The kept district counts (DistrictCount) stay equal to a recount after every kind of write of the talents and
their origins: registration, a change of district, employer, skill level, birth date, graduation date or 留学回国,
an origin set by staff, a move added, changed or removed, a talent deleted."""

from collections import Counter

import pytest

from rencai.analytics import services
from rencai.analytics.models import DistrictCount, Move, Origin
from rencai.talents.models import Talent
from rencai.talents.services import talent_update

pytestmark = pytest.mark.django_db


def _recount() -> Counter:
    expected = Counter()
    for t in Talent.objects.all():
        org = "" if t.organization_id is None or t.employment_status == "rejected" else str(t.organization_id)
        for dim, value in (("org", org), ("skill", t.skill_level), ("birth", t.birth_date.isoformat()),
                           ("graduated", t.graduation_date and str(t.graduation_date.year))):
            if value is not None:
                expected[(t.district_id, dim, value)] += 1
    # 台账's returnees: a returnee's move from outside the registry, in the district moved into, by its year
    for m in Move.objects.filter(from_district__isnull=True, to_district__isnull=False, talent__returnee=True):
        expected[(m.to_district_id, "returned", str(m.on.year))] += 1
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
    # 台账's buckets: a graduation date changed, a talent no longer (then again) a returnee, a move from outside
    # added, changed and removed
    Talent.objects.filter(pk=second.pk).update(graduation_date="2019-07-01")
    assert _kept()[("210112", "graduated", "2019")] == 1
    returned = Move.objects.filter(talent=first, from_district__isnull=True).first()
    assert returned is not None and _kept()[(returned.to_district_id, "returned", str(returned.on.year))] == 1
    Talent.objects.filter(pk=first.pk).update(returnee=False)
    assert _kept() == _recount() and not _kept()[(returned.to_district_id, "returned", str(returned.on.year))]
    Talent.objects.filter(pk=first.pk).update(returnee=True)
    Move.objects.create(talent=first, to_district_id="210112", on="2020-05-06", reason=returned.reason)
    assert _kept()[("210112", "returned", "2020")] == 1
    Move.objects.filter(talent=first, on="2020-05-06").update(on="2018-05-06", to_district_id="210102")
    assert _kept()[("210102", "returned", "2018")] == 1 and not _kept()[("210112", "returned", "2020")]
    assert _kept() == _recount()
    Move.objects.filter(talent=first, on="2018-05-06").delete()
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
