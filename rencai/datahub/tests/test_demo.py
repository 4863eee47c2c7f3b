"""The demo's data centre: a file for every standard feed drawn from the demo registry, with unmatched rows,
reported rows, late feeds and contradictions (discrepancies); deterministic for the seed; the same again changes
nothing."""

import pytest

from rencai.datahub.demo import datahub_demo_load
from rencai.datahub.enums import FactKind
from rencai.datahub.models import Discrepancy, Fact, Feed, Load, Verification
from rencai.datahub.selectors import feed_freshness
from rencai.demo.accounts import demo_accounts_create
from rencai.demo.generator import demo_load

pytestmark = pytest.mark.django_db


def _state():
    facts = sorted(Fact.objects.values_list("feed__kind", "subject_key", "period", "digest", "talent_id",
                                            "organization_id"))
    found = sorted(Discrepancy.objects.values_list("talent_id", "field", "declared", "verified"))
    return facts, found


def test_every_feed_has_content_unmatched_rows_late_feeds_and_discrepancies():
    demo_load(seed=7, size=600)
    demo_accounts_create()
    loads = datahub_demo_load(limit=None, seed=3)
    kinds = set(Load.objects.values_list("feed__kind", flat=True))
    assert kinds == set(FactKind.values)
    assert all(load.status == "done" for load in loads.values())
    social = Load.objects.filter(feed__kind=FactKind.SOCIAL_INSURANCE).order_by("pk")
    assert social.count() == 3 and all(s.unmatched_rows > 0 and s.rejected_rows == 2 for s in social)
    assert Fact.objects.filter(talent__isnull=True, organization__isnull=True, kind=FactKind.BUSINESS).count() == 2
    fields = set(Discrepancy.objects.values_list("field", flat=True))
    assert {"social_insurance", "housing_status", "organization"} <= fields, fields
    late = {f.kind for f in Feed.objects.all() if feed_freshness(f).late}
    assert FactKind.INCOME_TAX in late and FactKind.SOCIAL_INSURANCE not in late
    # The demo talent's facts agree with their record: never a discrepancy.
    assert not Discrepancy.objects.filter(talent__user__username="talent").exists()
    assert Fact.objects.filter(talent__user__username="talent", kind=FactKind.SOCIAL_INSURANCE).count() == 3
    # …and are verified: 学历, 社保 in the city, 户籍/居住证 (what the demo's 免申即享 offer needs).
    from rencai.datahub.provenance import verified_groups
    from rencai.talents.models import Talent

    own = Talent.objects.get(user__username="talent")
    assert {"degree", "employment", "city"} <= verified_groups([own.pk], on=own.created_at.date())[own.pk]
    assert Verification.objects.filter(insured_in_city=False).exists()  # a few stopped or paid elsewhere

    before = _state()
    datahub_demo_load(limit=None, seed=3)  # again: the same files, nothing changes
    assert _state() == before
    assert Load.objects.filter(facts_new__gt=0).count() == len(loads)
