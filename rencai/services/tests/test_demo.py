"""rencai demo's 人才服务: specialists for every A, B, C talent, requests in every state (some escalated), every
role has something to see; the same again changes nothing; deterministic for the seed."""

import pytest
from django.core.management import call_command

from rencai.services.enums import Escalation, PartStatus, RequestStatus
from rencai.services.models import RequestPart, ServiceRequest, SpecialistAssignment
from rencai.talents.models import Talent


def _world(seed):
    from rencai.demo.accounts import demo_accounts_create
    from rencai.demo.generator import demo_load
    from rencai.fulfilment.demo import fulfilment_demo_load
    from rencai.services.demo import services_demo_load

    call_command("load_policies", verbosity=0)
    demo_load(seed=seed, size=600)
    demo_accounts_create()
    fulfilment_demo_load()
    return services_demo_load()


def _summary():
    return sorted((r.talent_id, r.title, r.status, tuple(sorted((p.service_item_id, p.status, p.escalation)
                                                               for p in r.parts.all())))
                  for r in ServiceRequest.objects.prefetch_related("parts"))


@pytest.mark.django_db
def test_demo_services_every_state_and_specialists():
    rows = _world(7)
    assert {"education_staff", "police_staff", "specialist1"} <= {r[0] for r in rows}
    high = Talent.objects.filter(talent_category__in=("A", "B", "C"))
    assert high.exists() and SpecialistAssignment.objects.count() == high.count()
    statuses = set(RequestPart.objects.values_list("status", flat=True))
    assert statuses >= {PartStatus.WAITING, PartStatus.ASSIGNED, PartStatus.DONE, PartStatus.DECLINED,
                        PartStatus.CANCELLED}
    assert set(ServiceRequest.objects.values_list("status", flat=True)) == set(RequestStatus.values)
    assert RequestPart.objects.filter(escalation=Escalation.BREACHED).exists()
    assert ServiceRequest.objects.filter(talent__user__username="talent").exists()
    before = _summary()
    from rencai.services.demo import services_demo_load

    services_demo_load()
    assert _summary() == before
