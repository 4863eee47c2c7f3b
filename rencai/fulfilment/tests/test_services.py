"""政策兑现 services: submission (frozen explanation, 一次性告知, idempotent), the route across departments,
the approved moment (budget + entitlement), exclusivity, withdraw/resubmit, 免申即享, 精准推送, 公示."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from rencai.audit.models import AuditEvent
from rencai.core.errors import Conflict, PermissionDenied, ValidationFailed
from rencai.datahub.tests.factories import verify
from rencai.fulfilment import selectors, services
from rencai.fulfilment.enums import Action, ObjectionStatus, OfferStatus, Status, StepDecision
from rencai.fulfilment.models import Application, ExclusiveGrant, Invitation, Offer, PublicNotice
from rencai.notifications.models import Notification
from rencai.payments.models import BudgetLine, Entitlement

from .conftest import POLICY, put_on_file

SKILLED = "sy-living-subsidy-skilled"

pytestmark = pytest.mark.django_db


def approve_through(application, *actors):
    for actor in actors:
        application = services.application_approve(actor=actor, application_id=application.pk, reason="同意")
    return application


def test_submission_freezes_the_engines_whole_explanation(submitted, talent):
    application = submitted()
    assert application.status == Status.REVIEWING
    result = application.snapshot["result"]
    assert result["policy"] == POLICY and result["eligible"] is True
    assert result["monthly_amount"] == 2500 and result["months"] == 36
    assert "博士" in "".join(result["reasons"]) and "2500" in result["source"]["quote"]
    assert application.snapshot["inputs"]["degree"] == "doctor"
    assert (application.monthly_fen, application.months, application.total_fen) == (250_000, 36, 9_000_000)
    # A later registry edit does not change what was submitted.
    talent.highest_degree = "master"
    talent.save(update_fields=["highest_degree"])
    application.refresh_from_db()
    assert application.snapshot["result"]["monthly_amount"] == 2500 and application.monthly_fen == 250_000


def test_the_same_form_twice_is_one_application(submitted, talent_user, talent):
    first = submitted()
    again, created = services.application_submit(actor=talent_user, talent_id=talent.pk, policy_id=POLICY)
    assert again.pk == first.pk and created is False
    assert Application.objects.count() == 1 and first.events.filter(action=Action.SUBMIT).count() == 1


def test_every_missing_document_is_named_at_once_and_nothing_is_written(talent_user, talent):
    with pytest.raises(ValidationFailed) as caught:
        services.application_submit(actor=talent_user, talent_id=talent.pk, policy_id=POLICY)
    message = caught.value.message
    assert "学位证书" in message and "劳动合同" in message
    assert {e.field for e in caught.value.errors} == {"documents.degree", "documents.labour_contract"}
    assert not Application.objects.exists()


def test_documents_on_file_are_reused_not_asked_again(talent_user, talent):
    put_on_file(talent_user, talent, ["degree", "labour_contract"])
    application, created = services.application_submit(actor=talent_user, talent_id=talent.pk, policy_id=POLICY)
    assert created is True
    assert set(application.documents) == {"degree", "labour_contract"}


def test_not_entitled_is_refused_with_the_engines_reason(talent_user, talent):
    talent.highest_degree = "junior_college"
    talent.save(update_fields=["highest_degree"])
    put_on_file(talent_user, talent)
    with pytest.raises(ValidationFailed) as caught:
        services.application_submit(actor=talent_user, talent_id=talent.pk, policy_id=POLICY)
    assert "暂不符合" in caught.value.message and caught.value.errors[0].field == "policy"
    assert not Application.objects.exists()


def test_another_person_cannot_apply_for_a_talent(make_user, talent):
    from rencai.accounts.enums import Role

    stranger = make_user("stranger", Role.TALENT)
    with pytest.raises(PermissionDenied):
        services.application_submit(actor=stranger, talent_id=talent.pk, policy_id=POLICY)


def test_route_across_departments_each_step_attributed_then_paid_within_budget(
        submitted, heping_staff, city_staff, finance_staff, budget):
    budget()
    application = submitted()
    steps = list(application.steps.order_by("position"))
    assert [s.title for s in steps] == ["区人社局审核", "市人社局审批", "市财政局拨付"]
    first = steps[0]
    assert first.started_on == timezone.localdate()
    assert first.promised_due > first.started_on and first.statutory_due >= first.promised_due
    # The city cannot take the district's step; finance cannot take the city's.
    with pytest.raises(PermissionDenied):
        services.application_approve(actor=city_staff, application_id=application.pk)
    assert AuditEvent.objects.filter(action="denied", actor=city_staff).count() == 1
    application = approve_through(application, heping_staff)
    with pytest.raises(PermissionDenied):
        services.application_approve(actor=finance_staff, application_id=application.pk)
    application = approve_through(application, city_staff, finance_staff)
    assert application.status == Status.APPROVED
    decided = list(application.steps.order_by("position").values_list("decision", "decided_by__username"))
    assert decided == [(StepDecision.APPROVED, "heping"), (StepDecision.APPROVED, "city"),
                       (StepDecision.APPROVED, "finance")]
    entitlement = Entitlement.objects.get(pk=application.entitlement_id)
    assert (entitlement.monthly_fen, entitlement.months, entitlement.policy) == (250_000, 36, POLICY)
    line = BudgetLine.objects.get(policy=POLICY)
    month = timezone.localdate().month
    assert line.committed_fen == 250_000 * (12 - month + 1)
    timeline = list(application.events.values_list("action", "actor_label"))
    assert timeline[0][0] == Action.SUBMIT and len(timeline) == 4
    assert "和平区" in timeline[1][1] and "财政局" in timeline[3][1]
    assert Notification.objects.filter(recipient=application.talent.user).count() >= 4


def test_permission_is_checked_before_status_on_a_decided_application(
        submitted, heping_staff, city_staff, finance_staff, housing_staff, budget):
    """Issue 7: a decision by someone without the role is refused (403) and logged — also when the application
    is already decided (it used to be a 409, telling an outsider its state). Someone with a role in its route is
    told it is decided (409), or, repeating their own last step, finds it unchanged."""
    budget()
    approved = approve_through(submitted(), heping_staff, city_staff, finance_staff)
    assert approved.status == Status.APPROVED
    for action in (services.application_approve, services.application_reject):
        with pytest.raises(PermissionDenied) as refused:  # the housing bureau has no step in this route
            action(actor=housing_staff, application_id=approved.pk, reason="不同意")
        assert "人力资源和社会保障局" in refused.value.message or "财政局" in refused.value.message
    assert AuditEvent.objects.filter(action="denied", actor=housing_staff, object_id=str(approved.pk)).count() == 2
    with pytest.raises(Conflict) as decided:  # the city had a step: told it is decided
        services.application_reject(actor=city_staff, application_id=approved.pk, reason="不同意")
    assert decided.value.code == "wrong_status" and "已批准" in decided.value.message
    again = services.application_approve(actor=finance_staff, application_id=approved.pk)  # the same form twice
    assert again.status == Status.APPROVED and approved.events.filter(action=Action.APPROVE).count() == 3
    assert not AuditEvent.objects.filter(action="denied").exclude(actor=housing_staff).exists()


def test_permission_is_checked_before_status_on_a_rejected_or_withdrawn_application(
        submitted, heping_staff, city_staff, finance_staff, housing_staff, talent_user):
    application = submitted()
    services.application_reject(actor=heping_staff, application_id=application.pk, reason="材料不全")
    for outsider in (housing_staff, talent_user):  # no step in the route: 403 whatever the state, logged
        with pytest.raises(PermissionDenied):
            services.application_approve(actor=outsider, application_id=application.pk)
        assert AuditEvent.objects.filter(action="denied", actor=outsider).count() == 1
    for insider in (heping_staff, finance_staff):  # a step in the route: the state's 409
        with pytest.raises(Conflict):
            services.application_approve(actor=insider, application_id=application.pk)
    application, _created = services.application_submit(actor=talent_user, talent_id=application.talent_id,
                                                         policy_id=POLICY)
    services.application_withdraw(actor=talent_user, application_id=application.pk)
    with pytest.raises(PermissionDenied):
        services.application_reject(actor=housing_staff, application_id=application.pk, reason="不同意")
    with pytest.raises(Conflict):
        services.application_reject(actor=city_staff, application_id=application.pk, reason="不同意")


def test_an_approval_over_budget_is_refused_and_changes_nothing(submitted, heping_staff, city_staff,
                                                                   finance_staff, budget):
    budget(yuan="100")
    application = approve_through(submitted(), heping_staff, city_staff)
    with pytest.raises(Conflict) as caught:
        services.application_approve(actor=finance_staff, application_id=application.pk)
    assert "预算额度不足" in caught.value.message
    application.refresh_from_db()
    assert application.status == Status.REVIEWING and application.current_step.key == "finance_payment"
    assert not Entitlement.objects.exists() and not ExclusiveGrant.objects.exists()
    assert BudgetLine.objects.get(policy=POLICY).committed_fen == 0


def test_rejection_reason_reaches_the_talent_then_resubmission_opens_a_new_round(
        submitted, heping_staff, talent_user, talent):
    application = submitted()
    with pytest.raises(ValidationFailed):
        services.application_reject(actor=heping_staff, application_id=application.pk, reason="  ")
    application = services.application_reject(actor=heping_staff, application_id=application.pk,
                                               reason="劳动合同未盖单位公章")
    assert application.status == Status.REJECTED and application.reject_reason == "劳动合同未盖单位公章"
    note = Notification.objects.filter(recipient=talent_user).order_by("-pk").first()
    assert "劳动合同未盖单位公章" in note.body
    again, created = services.application_submit(actor=talent_user, talent_id=talent.pk, policy_id=POLICY)
    assert again.pk == application.pk and again.status == Status.REVIEWING and created is True  # a new round
    assert again.current_step.round == 2 and again.current_step.position == 1
    assert list(again.events.values_list("action", flat=True)) == [Action.SUBMIT, Action.REJECT, Action.RESUBMIT]


def test_withdraw_only_by_the_applicant_and_only_while_open(submitted, talent_user, heping_staff):
    application = submitted()
    with pytest.raises(PermissionDenied):
        services.application_withdraw(actor=heping_staff, application_id=application.pk)
    application = services.application_withdraw(actor=talent_user, application_id=application.pk, reason="暂不需要")
    assert application.status == Status.WITHDRAWN and application.current_step is None
    assert not application.steps.filter(decision=StepDecision.PENDING).exists()
    # Withdrawing again (the same form twice) changes nothing; approving a withdrawn one is a conflict.
    services.application_withdraw(actor=talent_user, application_id=application.pk)
    with pytest.raises(Conflict):
        services.application_approve(actor=heping_staff, application_id=application.pk)


def test_exclusive_options_one_grant_with_a_database_guard(submitted, talent_user, talent, heping_staff,
                                                            city_staff, finance_staff, housing_staff, budget):
    budget()
    budget("sy-rent-subsidy")
    living = submitted()
    rent = submitted("sy-rent-subsidy", kinds=("labour_contract", "rent_contract"))
    assert living.exclusive_group == rent.exclusive_group == "sy-housing-or-living"
    approve_through(living, heping_staff, city_staff, finance_staff)
    rent = approve_through(rent, heping_staff, housing_staff)
    with pytest.raises(Conflict) as caught:
        services.application_approve(actor=finance_staff, application_id=rent.pk)
    assert "不可兼得" in caught.value.message and "高校毕业生生活补贴" in caught.value.message
    assert Entitlement.objects.filter(talent=talent).count() == 1
    # The database refuses a second grant of the group even if the code's check were skipped.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ExclusiveGrant.objects.create(talent=talent, claim="group:sy-housing-or-living", application=rent)


def test_overdue_steps_are_flagged_and_counted(submitted, heping_staff, leader):
    application = submitted()
    step = application.current_step
    step.promised_due = timezone.localdate() - dt.timedelta(days=3)
    step.statutory_due = timezone.localdate() + dt.timedelta(days=3)
    step.save()
    assert selectors.step_is_overdue(step) == "promised"
    assert list(selectors.queue(user=heping_staff, overdue="promised")) == [application]
    assert list(selectors.queue(user=heping_staff, overdue="statutory")) == []
    counts = selectors.overdue_counts(user=leader)
    assert counts == [{"title": "区人社局审核", "department": "人力资源和社会保障局", "level": "district",
                       "total": 1, "promised": 1, "statutory": 0}]


def test_queue_is_per_department_and_jurisdiction(submitted, heping_staff, hunnan_staff, city_staff):
    application = submitted()
    assert list(selectors.queue(user=heping_staff)) == [application]
    assert list(selectors.queue(user=city_staff)) == []  # not the city's step yet
    assert list(selectors.queue(user=hunnan_staff, status="all")) == []  # another district


def test_bulk_approve_with_one_reason_reports_each_refusal(submitted, heping_staff, make_talent, make_user):
    application = submitted()
    done, refused = services.applications_bulk_decide(actor=heping_staff, application_ids=[application.pk, 999999],
                                                      action=Action.APPROVE, reason="材料齐全")
    assert [a.pk for a in done] == [application.pk] and refused[0][0] == 999999
    assert application.steps.get(position=1).reason == "材料齐全"


def test_no_application_policy_offers_confirmation_goes_to_the_last_step(
        talent_user, talent, admin_user, finance_staff, budget):
    from rencai.policies.models import MatchRun, PolicyMatch

    budget()
    services.policy_setting_mark(actor=admin_user, policy_id=POLICY, no_application=True, note="演示示例",
                                 example=True)
    with pytest.raises(Conflict):
        services.application_submit(actor=talent_user, talent_id=talent.pk, policy_id=POLICY)
    services.policy_setting_mark(actor=admin_user, policy_id=SKILLED, no_application=True, note="示例")
    run = MatchRun.objects.create(as_of=timezone.localdate(), status=MatchRun.Status.FINISHED,
                                  finished_at=timezone.now())
    for policy, alternative in ((POLICY, False), (SKILLED, True)):
        PolicyMatch.objects.create(run=run, talent=talent, policy=policy, eligible="true", decided_by="x",
                                   exclusive_group="sy-housing-or-living", alternative=alternative,
                                   monthly_fen=250_000)
    assert services.offers_generate() == 0  # nothing verified yet: a declaration alone grants nothing
    talent.skill_level = "technician"
    talent.save()
    verify([talent])  # 社保, 学历, 户籍 and 技能等级 delivered by the departments' feeds
    assert services.offers_generate() == 2
    assert services.offers_generate() == 0  # once per person and policy
    offer = Offer.objects.get(policy=POLICY)
    assert offer.recommended and not Offer.objects.get(policy=SKILLED).recommended
    put_on_file(talent_user, talent)
    application = services.offer_confirm(actor=talent_user, offer_id=offer.pk)
    assert [s.key for s in application.steps.all()] == ["finance_payment"]
    assert Offer.objects.get(policy=SKILLED).status == OfferStatus.SUPERSEDED
    application = services.application_approve(actor=finance_staff, application_id=application.pk)
    assert application.status == Status.APPROVED and Entitlement.objects.filter(talent=talent).exists()


def test_invitations_once_per_person_and_policy_within_jurisdiction(talent, heping_staff, hunnan_staff):
    from rencai.policies.models import MatchRun, PolicyMatch

    run = MatchRun.objects.create(as_of=timezone.localdate(), status=MatchRun.Status.FINISHED,
                                  finished_at=timezone.now())
    PolicyMatch.objects.create(run=run, talent=talent, policy=POLICY, eligible="true", decided_by="x")
    assert services.invitations_send(actor=hunnan_staff, policy_id=POLICY) == 0  # not their district
    assert services.invitations_send(actor=heping_staff, policy_id=POLICY) == 1
    assert services.invitations_send(actor=heping_staff, policy_id=POLICY) == 0
    assert Invitation.objects.count() == 1
    note = Notification.objects.get(recipient=talent.user, kind="fulfilment_invitation")
    assert note.link == f"/fulfilment/apply/{POLICY}/"


def test_public_notice_objection_must_be_answered_before_the_grant_is_final(
        talent_user, talent, heping_staff, city_staff, housing_staff, finance_staff, budget):
    from rencai.fulfilment.models import PolicySetting
    from rencai.fulfilment.routes import policy_setting

    budget()
    policy_setting(POLICY)
    PolicySetting.objects.filter(policy=POLICY).update(public_notice_days=5)
    put_on_file(talent_user, talent)
    application, _created = services.application_submit(actor=talent_user, talent_id=talent.pk, policy_id=POLICY)
    application = approve_through(application, heping_staff, city_staff, finance_staff)
    assert application.status == Status.PUBLICIZING and not Entitlement.objects.exists()
    notice = PublicNotice.objects.get(application=application)
    assert notice.masked_name == "张**" and "2500" in notice.amount_text
    assert list(selectors.public_notices()) == [notice]
    objection = services.objection_file(notice_id=notice.pk, text="此人已在外市享受同类补贴")
    with pytest.raises(ValidationFailed):
        services.objection_file(notice_id=notice.pk, text="")
    PublicNotice.objects.filter(pk=notice.pk).update(starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 1, 9))
    with pytest.raises(Conflict) as caught:
        services.application_transition(actor=None, application_id=application.pk, action=Action.FINALIZE)
    assert "异议" in caught.value.message
    assert services.notices_close_due() == (0, 1)
    services.objection_answer(actor=heping_staff, objection_id=objection.pk, answer="经核实不属实", upheld=False)
    assert services.notices_close_due() == (1, 0)
    application.refresh_from_db()
    assert application.status == Status.APPROVED and Entitlement.objects.get(talent=talent)
    assert objection.__class__.objects.get(pk=objection.pk).status == ObjectionStatus.DISMISSED


def test_an_upheld_objection_ends_the_grant_and_releases_the_budget(
        talent_user, talent, heping_staff, city_staff, finance_staff, budget):
    from rencai.fulfilment.models import PolicySetting
    from rencai.fulfilment.routes import policy_setting

    budget()
    policy_setting(POLICY)
    PolicySetting.objects.filter(policy=POLICY).update(public_notice_days=5)
    put_on_file(talent_user, talent)
    application, _created = services.application_submit(actor=talent_user, talent_id=talent.pk, policy_id=POLICY)
    application = approve_through(application, heping_staff, city_staff, finance_staff)
    assert BudgetLine.objects.get(policy=POLICY).committed_fen > 0
    objection = services.objection_file(notice_id=application.notice.pk, text="学历造假")
    services.objection_answer(actor=heping_staff, objection_id=objection.pk, answer="经核实属实", upheld=True)
    application.refresh_from_db()
    assert application.status == Status.REJECTED and "经核实属实" in application.reject_reason
    assert BudgetLine.objects.get(policy=POLICY).committed_fen == 0
    assert not ExclusiveGrant.objects.exists() and not Entitlement.objects.exists()


def test_pending_amounts_feed_the_budget_forecast(submitted):
    submitted()
    year = timezone.localdate().year
    month = timezone.localdate().month
    assert selectors.pending_amounts(year) == {POLICY: 250_000 * (12 - month + 1)}
    assert selectors.pending_amounts(year + 1) == {POLICY: 250_000 * 12}
    assert isinstance(services.yuan(250_000), Decimal)


def test_daily_check_reminds_overdue_steps_once(submitted, heping_staff):
    from django.core.management import call_command

    application = submitted()
    step = application.current_step
    step.promised_due = timezone.localdate() - dt.timedelta(days=1)
    step.save(update_fields=["promised_due"])
    assert services.deadlines_check()["overdue"] == 1
    call_command("check_deadlines")  # the scheduled command, run again: still one reminder
    reminders = Notification.objects.filter(recipient=heping_staff, kind="fulfilment_overdue")
    assert reminders.count() == 1 and "承诺时限" in reminders.get().body


def test_received_is_read_from_entitlements_so_the_match_shows_who_truly_has_not(
        submitted, talent, heping_staff, city_staff, finance_staff, budget):
    from rencai.policies.matching import match_run
    from rencai.policies.models import PolicyMatch
    from rencai.policies.registry import registry_frame, talent_profile

    budget()
    today = timezone.localdate()
    match_run(as_of=today)
    assert PolicyMatch.objects.filter(talent=talent, policy=POLICY).exists()
    approve_through(submitted(), heping_staff, city_staff, finance_staff)
    assert talent_profile(talent, as_of=today)["received"] == [POLICY]
    frame = registry_frame(as_of=today)
    assert frame.filter(frame["person_id"] == talent.pk)["received"].to_list() == [[POLICY]]
    match_run(as_of=today)
    latest = PolicyMatch.objects.filter(run__status="finished").order_by("-run__finished_at", "-run_id").first().run
    assert not PolicyMatch.objects.filter(run=latest, talent=talent, policy=POLICY).exists()


def test_window_staff_enter_a_paper_application_only_in_their_jurisdiction(talent, talent_user, heping_staff,
                                                                            hunnan_staff):
    from rencai.fulfilment.enums import Origin

    put_on_file(talent_user, talent)
    with pytest.raises(PermissionDenied):
        services.application_submit(actor=hunnan_staff, talent_id=talent.pk, policy_id=POLICY)
    application, _created = services.application_submit(actor=heping_staff, talent_id=talent.pk, policy_id=POLICY)
    assert application.origin == Origin.WINDOW and application.applicant == heping_staff
    assert AuditEvent.objects.filter(actor=heping_staff, action="fulfilment").exists()


def test_employer_applies_for_confirmed_staff_only_where_the_policy_allows(make_talent, make_user, admin_user):
    from rencai.accounts.enums import Role
    from rencai.conftest import make_uscc
    from rencai.fulfilment.enums import Origin
    from rencai.organizations.services import organization_create

    org = organization_create(name="沈阳机床厂", uscc=make_uscc(), kind="enterprise", district="和平区")
    worker = make_talent(name="王技师", organization_uscc=org.uscc, skill_level="技师（二级）",
                         highest_degree="", school="", school_country="", graduation_date="")
    employer = make_user("hr", Role.EMPLOYER, organization=org)
    put_on_file(admin_user, worker, ["skill_certificate", "labour_contract"])
    application, _created = services.application_submit(actor=employer, talent_id=worker.pk,
                                                        policy_id="sy-living-subsidy-skilled")
    assert application.origin == Origin.EMPLOYER and application.organization == org
    with pytest.raises(PermissionDenied) as caught:
        services.application_submit(actor=employer, talent_id=worker.pk, policy_id="sy-rent-subsidy")
    assert "本人申请" in caught.value.message


def test_an_offer_waits_until_every_deciding_fact_is_verified(talent_user, talent, admin_user):
    """The graduate living subsidy reads the degree, the employer (social insurance) and the city: with the
    degree and 户籍 verified but no 社保 month yet, no offer; once 社保 comes, the offer."""
    from rencai.datahub.enums import FactKind
    from rencai.policies.models import MatchRun, PolicyMatch

    services.policy_setting_mark(actor=admin_user, policy_id=POLICY, no_application=True, note="示例")
    run = MatchRun.objects.create(as_of=timezone.localdate(), status=MatchRun.Status.FINISHED,
                                  finished_at=timezone.now())
    PolicyMatch.objects.create(run=run, talent=talent, policy=POLICY, eligible="true", decided_by="x",
                               monthly_fen=250_000)
    verify([talent], kinds=(FactKind.DEGREE, FactKind.RESIDENCE))
    assert services.offers_generate() == 0 and not Offer.objects.exists()
    verify([talent], kinds=(FactKind.SOCIAL_INSURANCE,))  # the 社保 delivery comes
    assert services.offers_generate() == 1
    assert Offer.objects.get().policy == POLICY
