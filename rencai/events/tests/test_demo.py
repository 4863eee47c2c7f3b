"""The demo's events: a dozen over the past year and the coming weeks, attendance at the past ones, follow-ups in
several states, the demo talent registered for the next one; a second run makes nothing; clear removes them."""

import pytest
from django.utils import timezone

from rencai.events.demo import EVENTS, events_demo_clear, events_demo_load
from rencai.events.models import Event, FollowUp, Registration

pytestmark = pytest.mark.django_db


def test_demo_events_registrations_and_follow_ups(make_user, make_talent, talent_user):
    for username, region in (("heping_staff", "210102"), ("hunnan_staff", "210112"), ("city_staff", "210100")):
        make_user(username, "staff", region)
    for i in range(6):
        make_talent(name=f"演示和平{i}")
        make_talent(name=f"演示浑南{i}", district="浑南区")
    talent_user.username = "talent"
    talent_user.save(update_fields=["username"])
    assert events_demo_load() == len(EVENTS)
    now = timezone.now()
    assert (Event.objects.filter(starts_at__lt=now).count(), Event.objects.filter(starts_at__gt=now).count()) == (9, 3)
    assert Registration.objects.filter(checked_in_at__isnull=False).exists()
    states = set(FollowUp.objects.values_list("status", flat=True))
    assert states == {"open", "closed"}
    assert FollowUp.objects.filter(status="open", due_on__lt=timezone.localdate()).exists()  # overdue
    assert FollowUp.objects.filter(owner__username="city_staff").exists()  # reassigned
    assert Registration.objects.filter(talent__user=talent_user, event__starts_at__gt=now).count() == 1
    assert events_demo_load() == 0
    events_demo_clear()
    assert not Event.objects.exists() and not FollowUp.objects.exists()
