"""A 揭榜挂帅 award as the platform reads it (opportunities/awards.py): on the talent's registry record (staff's
talent page and 我的档案), to programme reviewers (a block beside the applicant and members), and to the policy
engine as the person field ``challenge_awarded`` — the same in the single profile and the batch frame."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone

from rencai.opportunities.awards import awarded_talent_ids, awards_for
from rencai.opportunities.models import Application, ApplicationStep, Opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def awarded(talent, talent_user, heping_staff):
    """An award as services.application_transition leaves it (the state, the amount, the step)."""
    challenge = Opportunity.objects.create(
        kind="challenge", title="高纯碳化硅粉体制备工艺攻关", description="攻克6N级碳化硅粉体合成与提纯",
        sponsor_name="和平区科技局", district_id="210102", challenge_field="semiconductor",
        funding=Decimal("500000"), closes_on=timezone.localdate() + dt.timedelta(days=9), status="published",
        published_at=timezone.now(), created_by=heping_staff)
    application = Application.objects.create(opportunity=challenge, talent=talent, cover_note="方案",
                                             created_by=talent_user, state="awarded",
                                             award_amount=Decimal("200000"))
    ApplicationStep.objects.create(application=application, from_state="shortlisted", to_state="awarded",
                                   actor=heping_staff)
    return application


def test_an_award_is_on_the_registry_record(client, awarded, talent, talent_user, heping_staff, make_talent):
    withdrawn = make_talent(name="撤回者")
    Application.objects.create(opportunity=awarded.opportunity, talent=withdrawn, state="withdrawn",
                               created_by=heping_staff)
    assert awarded_talent_ids() == {talent.pk}
    assert [(a.title, a.field, a.amount, a.awarded_on) for a in awards_for(talent)] == [
        ("高纯碳化硅粉体制备工艺攻关", "半导体芯片制造", Decimal("200000.00"), timezone.localdate())]
    client.force_login(heping_staff)
    page = client.get(f"/talents/{talent.pk}/").content.decode()
    assert 'id="challenge-awards"' in page and "高纯碳化硅粉体制备工艺攻关" in page and "200,000" in page
    assert 'id="challenge-awards"' not in client.get(f"/talents/{withdrawn.pk}/").content.decode()
    client.force_login(talent_user)
    assert "揭榜成功：高纯碳化硅粉体制备工艺攻关" in client.get("/me/").content.decode()


def test_an_award_reaches_the_engine(awarded, talent, make_talent):
    from rencai.policies.calculator import calculate
    from rencai.policies.profile import ProfileError, normalize
    from rencai.policies.registry import registry_frame, talent_profile
    from rencai.talents.models import Talent

    as_of = timezone.localdate()
    plain = make_talent(name="未揭榜")
    assert talent_profile(talent, as_of=as_of)["challenge_awarded"] is True
    assert "challenge_awarded" not in talent_profile(plain, as_of=as_of)
    frame = registry_frame(as_of=as_of, queryset=Talent.objects.filter(pk__in=[talent.pk, plain.pk]))
    assert dict(frame.select("person_id", "challenge_awarded").iter_rows()) == {talent.pk: True, plain.pk: False}
    assert normalize({"as_of": "2024-01-01"})["challenge_awarded"] is False
    assert normalize({"as_of": "2024-01-01", "challenge_awarded": True})["challenge_awarded"] is True
    with pytest.raises(ProfileError, match="challenge_awarded"):
        normalize({"as_of": "2024-01-01", "challenge_awarded": "yes"})
    assert calculate(talent_profile(talent, as_of=as_of))["results"]  # the calculator takes the field


def test_programme_reviewers_see_the_applicants_awards(awarded, talent, make_talent):
    plain = make_talent(name="未揭榜")

    class Row:
        def __init__(self, t):
            self.talent = t

    block = Template("{% load challenge_tags %}{% challenge_awards_block app members %}")
    html = block.render(Context({"app": Row(plain), "members": [Row(talent), Row(plain)]}))
    assert "揭榜挂帅业绩" in html and f"{talent.name}：" in html and "不自动计分" in html and plain.name not in html
    assert block.render(Context({"app": Row(plain), "members": []})).strip() == ""
