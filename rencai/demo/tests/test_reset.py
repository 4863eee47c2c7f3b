"""`rencai demo --reset` leaves no 政策找人 counts behind: the next run's counts equal its rows."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Sum

from rencai.policies.matching import match_run
from rencai.policies.models import MatchCount, PolicyMatch


@pytest.mark.django_db(transaction=True)
def test_reset_clears_the_result_set_with_its_counts():
    import datetime as dt

    call_command("load_policies", stdout=io.StringIO())
    call_command("demo", "--size", "200", "--seed", "7", stdout=io.StringIO())
    match_run(as_of=dt.date(2025, 6, 1))
    assert MatchCount.objects.exists()
    call_command("demo", "--reset", "--size", "150", "--seed", "8", stdout=io.StringIO())
    assert not MatchCount.objects.exists() and not PolicyMatch.objects.exists()
    match_run(as_of=dt.date(2025, 6, 1))
    assert MatchCount.objects.aggregate(n=Sum("n"))["n"] == PolicyMatch.objects.count() > 0
