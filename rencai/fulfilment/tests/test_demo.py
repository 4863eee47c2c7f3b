"""`rencai demo` gives every role of 政策兑现 something to do: applications in every state (some overdue) across
the route's departments, a 公示 with an objection, 免申即享 offers flagged as an example."""

import pytest

from rencai.fulfilment.enums import Status

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_overdue_steps_a_notice_with_an_objection_and_offers(settings, tmp_path):
    from rencai.accounts.models import User
    from rencai.demo.accounts import demo_accounts_create
    from rencai.demo.generator import demo_load
    from rencai.fulfilment import selectors
    from rencai.fulfilment.demo import NO_APPLICATION_EXAMPLE, fulfilment_demo_load
    from rencai.fulfilment.models import Application, Objection, Offer, PolicySetting

    settings.MEDIA_ROOT = tmp_path
    demo_load(seed=5, size=300)
    demo_accounts_create()
    fulfilment_demo_load()
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert Objection.objects.filter(status="open").exists()
    setting = PolicySetting.objects.get(policy=NO_APPLICATION_EXAMPLE)
    assert setting.no_application and setting.example and "演示示例" in setting.note
    assert not Offer.objects.exists()  # 免申即享 waits for the data centre: nothing is verified yet
    from rencai.datahub.tests.factories import verify
    from rencai.fulfilment.demo import fulfilment_demo_offers
    from rencai.talents.models import Talent

    verify(Talent.objects.filter(user__username="talent"))
    fulfilment_demo_offers()
    assert Offer.objects.filter(status="pending", talent__user__username="talent").exists()
    for username in ("heping_staff", "hunnan_staff", "city_staff", "housing_staff", "finance"):
        assert selectors.queue(user=User.objects.get(username=username)).exists(), username
    counts = selectors.overdue_counts(user=User.objects.get(username="leader"))
    assert sum(c["promised"] for c in counts) >= 1 and sum(c["statutory"] for c in counts) >= 1
    before = Application.objects.count()
    fulfilment_demo_load()  # run again: nothing more
    assert Application.objects.count() == before
