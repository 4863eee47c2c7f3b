"""Recognised categories flow into the policy engine on both paths, valid on the evaluation day only."""

import datetime as dt

import polars as pl
import pytest

from rencai.policies.registry import registry_frame, talent_profile
from rencai.talents.models import Talent

pytestmark = pytest.mark.django_db


def test_profile_and_frame_see_the_category_valid_on_the_day(talent_user, heping_staff):
    """A platform recognition counts from its first day to its last; the frame agrees with the profile."""
    from rencai.recognition import services as recognition_services
    from rencai.recognition.models import Recognition
    from rencai.recognition.tests.test_services import submitted

    application = recognition_services.application_accept(actor=heping_staff, application_id=submitted(
        talent_user, category="C", item_code="C03").pk)
    card = Recognition.objects.get(application=application)
    talent = Talent.objects.select_related("district").get(user=talent_user)
    before, first, after = card.valid_from - dt.timedelta(days=1), card.valid_from, card.valid_until + dt.timedelta(1)
    for day, expected in ((before, None), (first, "C"), (after, None)):
        assert talent_profile(talent, as_of=day).get("talent_category") == expected, day
        frame = registry_frame(as_of=day)
        assert frame.filter(pl.col("person_id") == talent.pk)["talent_category"].to_list() == [expected or ""]
