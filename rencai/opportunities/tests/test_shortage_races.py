"""Real races through the pages (core/tests/races.py), on SQLite and PostgreSQL: staff deciding the same demand
entry at once decide it once; a catalog published while its last demand is decided never publishes with a demand
left waiting."""

import pytest
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.conftest import make_uscc
from rencai.core.tests.races import assert_success_or_conflict, clients_for, race
from rencai.opportunities import shortage
from rencai.opportunities.models import ShortageEntry

pytestmark = pytest.mark.django_db(transaction=True)


def test_deciding_and_publishing_at_once(make_user, city_staff, heping_staff):
    from rencai.organizations.models import Organization

    org = Organization.objects.create(name="沈阳航空动力科技有限公司", uscc=make_uscc(), kind="enterprise",
                                      district_id="210102", industry="aviation")
    hr = make_user("aero_hr", Role.EMPLOYER, organization=org)
    demand = shortage.demand_submit(actor=hr, year=timezone.localdate().year, data=shortage.EntryInput(
        position="航空发动机结构强度工程师", headcount=3))
    shortage.entry_save(actor=city_staff, catalog_id=demand.catalog_id,
                        data=shortage.EntryInput(position="飞机总装工艺工程师"))
    decide = f"/opportunities/shortage/demands/{demand.pk}/decide/"
    clients = clients_for(heping_staff, 4) + clients_for(city_staff, 4)

    def send(client, i):
        if i >= 4 and i % 2:  # city staff publish; 和平区 and city staff decide
            return client.post(f"/opportunities/shortage/{demand.catalog_id}/act/",
                               {"action": "publish", "confirmed": "1"})
        return client.post(decide, {"accept": "0", "reason": "与已有岗位重复", "confirmed": "1"})

    counts = assert_success_or_conflict(race(send, clients))
    entry = ShortageEntry.objects.select_related("catalog").get(pk=demand.pk)
    assert entry.demand_status == "rejected"  # decided once: the other deciders got a 409
    if entry.catalog.status == "published":  # published only after the decision
        assert not entry.catalog.entries.filter(demand_status="submitted").exists()
    assert counts.get(302, 0) >= 1
