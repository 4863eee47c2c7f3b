"""揭榜挂帅: a sponsor publishes a challenge, a talent takes it (揭榜) with a proposal, the sponsor shortlists and
awards within the funding (above it: refused with a Chinese message, nothing written), each decision confirmed
first (test_challenges_awards.py: where the award is read)."""

import io

import pytest
from openpyxl import load_workbook

from rencai.audit.models import AuditEvent
from rencai.core import crypto
from rencai.notifications.models import Notification
from rencai.opportunities import services
from rencai.opportunities.awards import awarded_talent_ids
from rencai.opportunities.models import Application, Opportunity
from rencai.talents.models import Talent

from . import challenges_fixtures as fx

challenge, other_hr, other_org, sponsor, sponsor_org = (
    fx.challenge, fx.other_hr, fx.other_org, fx.sponsor, fx.sponsor_org)
in_days, publish = fx.in_days, fx.publish

pytestmark = pytest.mark.django_db


def test_a_sponsor_publishes_a_challenge_through_review(client, sponsor, heping_staff):
    client.force_login(sponsor)
    bad = client.post("/opportunities/challenges/new/", {"kind": "challenge", "title": "攻关", "description": "x",
                                                          "closes_on": in_days(10), "submit": "1"})
    assert bad.status_code == 422 and "榜单领域" in bad.content.decode() and "榜单金额" in bad.content.decode()
    assert not Opportunity.objects.exists()
    ok = client.post("/opportunities/challenges/new/", {
        "kind": "challenge", "title": "大尺寸硅片减薄设备国产化", "description": "减薄精度±1μm",
        "challenge_field": "semiconductor", "funding": "300000", "closes_on": in_days(10), "submit": "1"})
    assert ok.status_code == 302
    made = Opportunity.objects.get()
    assert (made.kind, made.status, made.organization_id) == ("challenge", "pending", sponsor.organization_id)
    services.opportunity_transition(heping_staff, made.pk, "published")
    listing = client.get("/opportunities/challenges/").content.decode()
    assert "大尺寸硅片减薄设备国产化" in listing and "半导体芯片制造" in listing


def _decide(client, application, target, **extra):
    return client.post(f"/opportunities/challenges/proposals/{application.pk}/decide/",
                       {"target": target, "confirmed": "1", **extra})


def test_take_shortlist_and_award_within_the_funding(client, challenge, sponsor, talent_user, talent, make_user,
                                                     make_talent, heping_staff, hunnan_staff, other_hr,
                                                     django_capture_on_commit_callbacks):
    client.force_login(talent_user)
    detail = client.get(f"/opportunities/{challenge.pk}/").content.decode()
    assert 'id="take-form"' in detail
    empty = client.post(f"/opportunities/challenges/{challenge.pk}/take/", {"cover_note": " "})
    assert empty.status_code == 422 and "揭榜方案" in empty.content.decode() and not Application.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(f"/opportunities/challenges/{challenge.pk}/take/",
                            {"cover_note": "采用改良Acheson法与高温提纯两步工艺", "team": "王工（工艺）"})
    assert taken.status_code == 302
    told = Notification.objects.get(recipient=sponsor, key__startswith="application:")
    assert told.link == f"/opportunities/challenges/{challenge.pk}/proposals/"
    again = client.post(f"/opportunities/challenges/{challenge.pk}/take/", {"cover_note": "再来一次"})
    assert again.status_code == 409 and Application.objects.count() == 1
    mine = Application.objects.get()

    # a second team
    second_user = make_user("second", "talent")
    second = make_talent(name="赵揭榜")
    second.user = second_user
    second.save(update_fields=["user"])
    other = services.application_apply(second_user, challenge.pk, cover_note="等离子体法")

    # only the sponsor and staff over the district read the proposals
    for outsider in (other_hr, hunnan_staff, talent_user):
        client.force_login(outsider)
        assert client.get(f"/opportunities/challenges/{challenge.pk}/proposals/").status_code == 404
    client.force_login(sponsor)
    page = client.get(f"/opportunities/challenges/{challenge.pk}/proposals/").content.decode()
    phone = crypto.decrypt(talent.phone_cipher)
    assert talent.name in page and talent.phone_masked in page and phone not in page

    asked = client.post(f"/opportunities/challenges/proposals/{mine.pk}/decide/", {"target": "shortlisted"})
    assert asked.status_code == 200 and "确认入围" in asked.content.decode()
    assert Application.objects.get(pk=mine.pk).state == "received"
    assert _decide(client, mine, "shortlisted").status_code == 302
    assert _decide(client, other, "shortlisted").status_code == 302

    over = _decide(client, mine, "awarded", award_amount="500000.01")
    assert over.status_code == 422 and "不能超过榜单金额" in over.content.decode()
    assert Application.objects.get(pk=mine.pk).state == "shortlisted"
    before = Talent.objects.get(pk=talent.pk).updated_at
    assert _decide(client, mine, "awarded", award_amount="400000").status_code == 302
    assert Talent.objects.get(pk=talent.pk).updated_at > before  # 政策找人's next incremental run reads it again
    rest = _decide(client, other, "awarded", award_amount="100000.01")
    assert rest.status_code == 422 and "已奖励400,000.00元" in rest.content.decode()
    assert Application.objects.get(pk=other.pk).award_amount is None
    assert _decide(client, other, "awarded", award_amount="100000").status_code == 302
    assert _decide(client, mine, "declined").status_code == 409  # final

    response = client.get(f"/opportunities/challenges/{challenge.pk}/proposals/export/")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content)))["揭榜方案"].values)
    assert len(rows) == 3 and phone not in str(rows) and talent.phone_masked in str(rows)
    assert AuditEvent.objects.filter(action="export", summary__startswith="导出揭榜方案").count() == 1
    assert awarded_talent_ids() == {talent.pk, second.pk}
