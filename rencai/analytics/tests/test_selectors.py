"""The reads 人才地图 will use: flows per district and month, the moves between districts, headcounts, origins,
and 社保 starting and stopping — each scoped by the viewer's jurisdiction."""

import datetime as dt

import pytest

from rencai.accounts.enums import Role
from rencai.analytics import selectors
from rencai.analytics.models import EmploymentSpell, Move
from rencai.core.errors import PermissionDenied, ValidationFailed
from rencai.talents.services import talent_update

pytestmark = pytest.mark.django_db
HEPING, HUNNAN, SHENHE = "210102", "210112", "210103"


def _move(talent, source, target, on):
    Move.objects.create(talent=talent, from_district_id=source, to_district_id=target, on=on, reason="other")


@pytest.fixture
def history(make_talent):
    """Moves in 2025: into 和平区 from outside (Jan ×2), 和平区 → 浑南区 (Mar ×3), 浑南区 → out (Mar ×1),
    沈河区 → 和平区 (Apr ×1). The registration moves of the fixture's talents are in 2021."""
    people = [make_talent(name=f"流动{i}") for i in range(4)]
    _move(people[0], None, HEPING, dt.date(2025, 1, 5))
    _move(people[1], None, HEPING, dt.date(2025, 1, 31))
    for person in people[:3]:
        _move(person, HEPING, HUNNAN, dt.date(2025, 3, 10))
    _move(people[2], HUNNAN, None, dt.date(2025, 3, 31))
    _move(people[3], SHENHE, HEPING, dt.date(2025, 4, 1))
    return people


def _by(rows, month, district):
    return next(r for r in rows if r.month == month and r.district_id == district)


def test_monthly_flows_per_district(history, city_staff):
    rows = selectors.flows_monthly(user=city_staff, start=dt.date(2025, 1, 15), end=dt.date(2025, 4, 30))
    assert len(rows) == 4 * 13  # every month and district of the city, zeros included
    jan, mar, apr = dt.date(2025, 1, 1), dt.date(2025, 3, 1), dt.date(2025, 4, 1)
    heping_jan = _by(rows, jan, HEPING)
    assert (heping_jan.in_from_outside, heping_jan.inflow, heping_jan.net) == (2, 2, 2)  # the 5th counts: whole month
    heping_mar, hunnan_mar = _by(rows, mar, HEPING), _by(rows, mar, HUNNAN)
    assert (heping_mar.out_to_district, heping_mar.outflow, heping_mar.net) == (3, 3, -3)
    assert (hunnan_mar.in_from_district, hunnan_mar.out_to_outside, hunnan_mar.net) == (3, 1, 2)
    assert (_by(rows, apr, HEPING).in_from_district, _by(rows, apr, SHENHE).net) == (1, -1)
    assert sum(r.net for r in rows) == 2 - 1  # two came from outside, one left: the rest moved within


def test_a_district_officer_sees_their_district_only(history, heping_staff, hunnan_staff, make_user):
    rows = selectors.flows_monthly(user=heping_staff, start=dt.date(2025, 1, 1), end=dt.date(2025, 4, 30))
    assert {r.district_id for r in rows} == {HEPING}
    assert [r.net for r in rows] == [2, 0, -3, 1]
    links = selectors.moves_between(user=hunnan_staff, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    assert links == [(HEPING, HUNNAN, 3), (HUNNAN, None, 1)]
    talent_user = make_user("t_flows", Role.TALENT)
    with pytest.raises(PermissionDenied):
        selectors.flows_monthly(user=talent_user, start=dt.date(2025, 1, 1), end=dt.date(2025, 2, 1))


def test_a_moved_talent_stays_the_old_district_s_outflow(make_talent, admin_user, heping_staff):
    """Flows count by the district of the day, not the talent's current one."""
    talent = make_talent(name="历史流出")
    talent_update(actor=admin_user, talent_id=talent.pk, changes={"district": "浑南区"})
    today = dt.date.today()
    rows = selectors.flows_monthly(user=heping_staff, start=today, end=today)
    assert [(r.district_id, r.out_to_district) for r in rows] == [(HEPING, 1)]


def test_a_range_is_checked(city_staff):
    with pytest.raises(ValidationFailed) as refused:
        selectors.flows_monthly(user=city_staff, start=dt.date(2025, 5, 1), end=dt.date(2025, 4, 1))
    assert refused.value.errors[0].field == "end"
    with pytest.raises(ValidationFailed):
        selectors.flows_monthly(user=city_staff, start=dt.date(2000, 1, 1), end=dt.date(2025, 4, 1))


def test_headcount_from_the_spells(make_talent, admin_user, city_staff, heping_staff):
    first = make_talent(name="在岗甲")
    make_talent(name="在岗乙", district="浑南区")
    talent_update(actor=admin_user, talent_id=first.pk, changes={"district": "浑南区"})
    today = dt.date.today()
    EmploymentSpell.objects.filter(talent=first, ended_on=today).update(ended_on=dt.date(2024, 6, 30))
    EmploymentSpell.objects.filter(talent=first, ended_on=None).update(started_on=dt.date(2024, 6, 30))
    assert selectors.headcount(user=city_staff, on=dt.date(2024, 6, 29))[HEPING] == 1
    on_the_day = selectors.headcount(user=city_staff, on=dt.date(2024, 6, 30))
    assert (on_the_day[HEPING], on_the_day[HUNNAN]) == (0, 2)
    assert selectors.headcount(user=heping_staff, on=dt.date(2021, 8, 31)) == {HEPING: 0}


def test_origins_per_district_follow_the_current_record(make_talent, city_staff, heping_staff, hunnan_staff):
    from rencai.conftest import make_resident_id

    make_talent(name="英国归")
    make_talent(name="日本归", school_country="日本", school="东京大学")
    make_talent(name="江苏来", id_number=make_resident_id("320102"), returnee="否", school_country="中国",
                district="浑南区")
    countries = selectors.origins_by_district(user=city_staff, by="country")
    assert sorted((r.district_id, r.label, r.n) for r in countries) == [(HEPING, "日本", 1), (HEPING, "英国", 1)]
    kinds = selectors.origins_by_district(user=hunnan_staff, by="kind")
    assert [(r.district_id, r.label, r.n) for r in kinds] == [(HUNNAN, "国内其他地区", 1)]
    provinces = selectors.origins_by_district(user=hunnan_staff, by="province_code")
    assert [(r.label, r.n) for r in provinces] == [("江苏省", 1)]
    channels = selectors.origins_by_district(user=heping_staff, by="channel")
    assert [(r.district_id, r.label, r.n) for r in channels] == [(HEPING, "未知", 2)]
    with pytest.raises(ValidationFailed):
        selectors.origins_by_district(user=city_staff, by="salary")


def _load_insurance(rows):
    from rencai.datahub import services
    from rencai.datahub.models import Feed
    from rencai.datahub.tests.factories import SI_HEADER, csv_bytes, feed

    source = Feed.objects.filter(kind="social_insurance").first() or feed()
    load = services.load_from_bytes(feed_id=source.pk, raw=csv_bytes(SI_HEADER, rows), file_name="社保.csv")
    services.load_run(load_id=load.pk)


def test_insurance_starts_and_stops_from_the_data_centre(make_talent, city_staff, hunnan_staff, settings, tmp_path):
    from rencai.core import crypto

    settings.MEDIA_ROOT = tmp_path
    stays, stops, starts, elsewhere = (make_talent(name=n) for n in ("一直缴", "停缴者", "新参保", "外地缴"))
    number = {t.pk: crypto.decrypt(t.id_number_cipher) for t in (stays, stops, starts, elsewhere)}

    def row(talent, month, district="和平区", status="正常缴费"):
        return [talent.name, number[talent.pk], month, status, district, "6000"]

    _load_insurance([row(stays, "2026-08"), row(stops, "2026-08"), row(elsewhere, "2026-08"),
                     row(stays, "2026-09"), row(starts, "2026-09"), row(elsewhere, "2026-09", district="320102")])
    _load_insurance([row(stays, "2026-11"), row(starts, "2026-11", status="欠费")])  # a load of November only
    changes = selectors.insurance_changes(user=city_staff, start=dt.date(2026, 8, 1), end=dt.date(2026, 11, 30))
    names = {t.pk: t.name for t in (stays, stops, starts, elsewhere)}
    # August: the month before is not delivered; October: not delivered, so November is not compared either
    assert [(c.month, names[c.talent_id], c.label) for c in changes] == [
        (dt.date(2026, 9, 1), "停缴者", "停止在本市缴纳社保"),
        (dt.date(2026, 9, 1), "新参保", "开始在本市缴纳社保"),
        (dt.date(2026, 9, 1), "外地缴", "停止在本市缴纳社保")]
    assert selectors.insurance_changes(user=hunnan_staff, start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30)) == []
