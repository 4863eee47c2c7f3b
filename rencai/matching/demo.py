"""人岗匹配's demo data: about a third of the registry consents to be found by employers (every third talent
with a degree, by id: deterministic), the demo ``talent`` account consents and subscribes, the opportunity index
is brought up to date with whatever the other demo parts opened, and the demo ``employer`` (when it has a
published job) has asked the demo talent for contact."""

from django.db import transaction
from django.utils import timezone

from rencai.talents.models import Talent

from . import index as ix
from .models import Consent, ContactRequest, IndexState, OpportunityDoc, Subscription


def matching_demo_clear() -> None:
    ContactRequest.objects.all().delete()
    Subscription.objects.all().delete()
    Consent.objects.all().delete()
    OpportunityDoc.objects.all().delete()
    IndexState.objects.all().delete()


def matching_demo_load(*, share: int = 3) -> dict:
    from .services import opportunity_index_rebuild

    now = timezone.now()
    with transaction.atomic():
        generation = ix._bump(ix.TalentIndex.NAME)
        have = set(Consent.objects.filter(withdrawn_at__isnull=True).values_list("talent_id", flat=True))
        ids = [pk for pk in Talent.objects.exclude(highest_degree="").order_by("pk").values_list("pk", flat=True)
               if pk % share == 0 and pk not in have]
        demo_talent = Talent.objects.filter(user__username="talent").first()
        if demo_talent is not None and demo_talent.pk not in have and demo_talent.pk not in ids:
            ids.append(demo_talent.pk)
        Consent.objects.bulk_create([Consent(talent_id=pk, given_at=now, generation=generation) for pk in ids],
                                    batch_size=5000)
        if demo_talent is not None:
            Subscription.objects.update_or_create(talent=demo_talent, defaults={"enabled": True})
    opened = opportunity_index_rebuild()
    contacts = _demo_contact(demo_talent)
    return {"consents": len(ids) + len(have), "opportunities": opened, "contacts": contacts}


def _demo_contact(talent) -> int:
    from rencai.accounts.models import User
    from rencai.opportunities.models import Opportunity

    employer = User.objects.filter(username="employer", organization__isnull=False).first()
    if talent is None or employer is None:
        return 0
    job = (Opportunity.objects.filter(organization_id=employer.organization_id, status="published",
                                      kind__in=("job", "internship")).order_by("pk").first())
    if job is None or ContactRequest.objects.filter(opportunity=job, talent=talent).exists():
        return 0
    ContactRequest.objects.create(organization_id=employer.organization_id, talent=talent, opportunity=job,
                                  note="您好，我们正在招聘，想与您进一步沟通。", requested_by=employer)
    return 1
