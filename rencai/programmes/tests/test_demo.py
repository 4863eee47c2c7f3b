"""`rencai demo` gives 项目申报 what the issue asks of it: an open call per programme in force in the city, applications
in every state, last year's call reviewed (scores, an outlier), awards on 公示, a stage scheduled and paid, and work
for each demo account. Checked on the demo home-work test's load (rencai/demo/tests/test_home_work.py calls
``check_programmes_demo``), so that the suite loads the whole demo once."""

from django.utils import timezone

from rencai.accounts.models import User
from rencai.programmes.enums import AwardStatus, MemberStatus, ReportStatus, StageStatus, Status
from rencai.programmes.models import Application, Award, Call, GrantStage, Report

CITY = "210100"


def _in_force_for_the_city(today) -> set[str]:
    """Computed here from the catalog, not from the demo's own helper."""
    from rencai.policies.calculator import default_catalog

    return {p.id for p in default_catalog().policies.values()
            if p.kind == "program" and p.jurisdiction in (CITY, CITY[:2] + "0000")
            and (p.in_force_from is None or p.in_force_from <= today)
            and (p.in_force_until is None or today <= p.in_force_until)}


def check_programmes_demo(client):
    from rencai.fulfilment.models import PublicNotice
    from rencai.payments.models import Payment, PaymentStatus
    from rencai.programmes import selectors
    from rencai.programmes.review import ref
    from rencai.reviews import selectors as reviews

    today = timezone.localdate()
    # An open call per programme in force whose jurisdiction covers 沈阳, but the loan (not competitive).
    expected = _in_force_for_the_city(today) - {"ln-startup-guaranteed-loan"}
    assert len(expected) >= 4
    open_calls = Call.objects.filter(published=True, opens_on__lte=today, closes_on__gte=today)
    assert sorted(open_calls.values_list("policy", flat=True)) == sorted(expected)
    assert not Call.objects.filter(policy="ln-startup-guaranteed-loan").exists()
    from rencai.payments.models import BudgetLine

    assert set(BudgetLine.objects.filter(year=today.year, policy__in=expected).values_list("policy", flat=True)) \
        == expected
    team = open_calls.get(policy="ln-xingliao-innovation-team-grant")
    assert max(t.amount_fen for t in team.tiers.all()) == 600_000_000 and "本通知自定" in team.body
    assert sorted(open_calls.get(policy="sy-urgent-talent-reward").tiers.values_list("value", flat=True)) == \
        ["tier_15", "tier_30", "tier_6", "tier_9"]

    # Applications in every state.
    assert set(Application.objects.values_list("status", flat=True)) == set(Status.values)

    # Last year's call: closed, every application scored by a panel of three (one outlier flagged), ranked,
    # approved by the leader.
    last = Call.objects.get(policy="sy-urgent-talent-reward", year=today.year - 1)
    assert last.closes_on < today and last.ranked_at is not None and last.approved_by.username == "leader"
    results = [reviews.panel_result(ref(a), "review") for a in last.applications.all()]
    assert len(results) >= 4 and all(r.complete and r.experts == 3 for r in results)
    assert sum(row.outlier for r in results for row in r.rows) == 1
    assert last.applications.filter(status=Status.NOT_AWARDED).exists()
    # Awards on 公示, the notice period running; one granted with its first stage scheduled and paid; one with its
    # final acceptance waiting for staff.
    on_notice = Award.objects.filter(call=last, status=AwardStatus.NOTICE)
    assert on_notice.exists()
    assert PublicNotice.objects.filter(subject_kind="programmes.award", subject_id__in=on_notice.values("pk"),
                                       closed_at__isnull=True, ends_on__gte=today).count() == on_notice.count()
    first = GrantStage.objects.filter(award__call=last, position=1, status=StageStatus.SCHEDULED)
    assert first.exists() and GrantStage.objects.filter(award__call=last, status=StageStatus.WAITING).exists()
    paid = Payment.objects.filter(entitlement__grant_reference__in=[s.reference for s in first],
                                  status=PaymentStatus.PAID)
    assert paid.count() == first.count()
    waiting = Report.objects.get(award__call=last, status=ReportStatus.SUBMITTED)
    assert waiting.milestone == "final" and waiting.award.application.talent.district_id == "210102"

    # Experts expert1 and expert2 each have a programme application to score, besides recognition's.
    for username in ("expert1", "expert2"):
        tasks = reviews.tasks_of_expert(user=User.objects.get(username=username), open_only=True)
        assert any(t.kind_label == "项目申报" for t in tasks), username

    # The employer: a key enterprise of a leading industry with a station; one declaration submitted, one returned.
    employer = User.objects.get(username="employer")
    organization = employer.organization
    assert organization.key_enterprise and organization.industry_field == "leading"
    assert organization.stations.exists()
    declared = Application.objects.filter(organization=organization, subject="organization")
    assert set(declared.values_list("status", flat=True)) == {Status.SUBMITTED, Status.RETURNED}
    assert declared.get(status=Status.RETURNED).problems
    # …each naming a position of the employer's chain's published 急需紧缺人才需求目录 (opportunities.demo_shortage),
    # which the staff's page states; this year's and last year's catalogs are public, next year's being compiled
    # with the chain's employers' demands (one rejected with its reason, shown to the employer).
    from rencai.opportunities import shortage

    submitted = declared.get(status=Status.SUBMITTED)
    assert submitted.shortage_entry.catalog.industry == organization.industry
    assert submitted.snapshot["shortage"]["position"] == submitted.shortage_entry.position
    assert {c.year for c in shortage.published_catalogs()} == {today.year, today.year - 1}
    assert shortage.published_catalogs(today.year).filter(industry="ic").exists()
    mine = shortage.demands_of_employer(employer)
    assert {e.demand_status for e in mine} == {"submitted", "rejected"} and any(e.reason for e in mine)
    client.force_login(User.objects.get(username="city_staff"))
    page = client.get(f"/programmes/applications/{submitted.pk}/").content.decode()
    assert "按《急需紧缺人才需求目录》引进：是（岗位：" in page
    # The demo talent: a draft of their own, and an invitation to a team whose other member has confirmed.
    talent = User.objects.get(username="talent")
    assert Application.objects.filter(talent__user=talent, status=Status.DRAFT).exists()
    invitation = selectors.invitations_of(talent).get()
    assert invitation.application.members.filter(status=MemberStatus.CONFIRMED).exists()

    # Staff see programme work on /programmes/: 和平区 and the city the acceptance to check; 浑南区 not 和平区's,
    # but its own district's applications on the call's page.
    for username, sees in (("heping_staff", True), ("city_staff", True), ("hunnan_staff", False)):
        client.force_login(User.objects.get(username=username))
        page = client.get("/programmes/").content.decode()
        assert ("待审核的中期检查和验收" in page) is sees and last.title in page, username
    person = open_calls.get(policy="sy-urgent-talent-reward")
    hunnan = selectors.call_applications(user=User.objects.get(username="hunnan_staff"), call=person)
    assert hunnan.exists() and set(hunnan.values_list("talent__district_id", flat=True)) == {"210112"}
    page = client.get(f"/programmes/calls/{person.pk}/").content.decode()
    assert all(a.number in page for a in hunnan)
