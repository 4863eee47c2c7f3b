"""项目申报 through its services: calls, the three kinds of applicant, formal check, review with 回避, ranking,
awards within places and money, leader approval on the budget line, 公示, staged payments and acceptance."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from rencai.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from rencai.programmes import services
from rencai.programmes.enums import AwardStatus, MemberStatus, ReportStatus, StageStatus, Status
from rencai.programmes.models import Application, Award, Call, GrantStage, Report

from .conftest import ORGANIZATION, PERSON, TEAM, make_call, upload

pytestmark = pytest.mark.django_db


def _messages(excinfo) -> str:
    return "；".join(str(e) for e in excinfo.value.errors)


def _apply_person(person, call, **extra):
    return services.application_create(actor=person.user, data=services.ApplicationInput(
        call_id=call.pk, project_title="工业机器人视觉检测", **extra))


def _close_window(call):
    Call.objects.filter(pk=call.pk).update(closes_on=timezone.localdate() - dt.timedelta(days=1))


def _review(staff, app, experts, scores):
    """Formal check passed, a panel of 乙 丙 丁, each scoring ``scores`` (one value per criterion share)."""
    services.application_accept(actor=staff, application_id=app.pk)
    services.application_panel_form(actor=staff, application_id=app.pk,
                                    expert_ids=[experts[n].pk for n in ("乙", "丙", "丁")])
    call = Call.objects.get(pk=app.call_id)
    criteria = list(call.sheet.criteria.all())
    for name, share in zip(("乙", "丙", "丁"), scores, strict=True):
        values = {c.code: int(c.maximum * share) for c in criteria}
        services.review_score_submit(actor=experts[name].user, application_id=app.pk, scores=values)


# --- calls ----------------------------------------------------------------------------------------------------------

def test_a_call_with_every_problem_is_refused_at_once_and_nothing_is_written(city_staff):
    data = services.CallInput(policy="sy-living-subsidy-graduate", year=1999, opens_on=dt.date(2026, 5, 1),
                              closes_on=dt.date(2026, 4, 1), money="-5",
                              tiers=[services.TierInput(label="一档", places=3, places_max=2, amount="0.001")],
                              stages=[{"trigger": "award", "percent": 60}, {"trigger": "final", "percent": 30}])
    with pytest.raises(ValidationFailed) as excinfo:
        services.call_create(actor=city_staff, data=data)
    text = _messages(excinfo)
    for words in ("人才项目", "年度", "截止日期不能早于开始日期", "本批资金总额", "名额上限", "每项资助金额",
                  "合计应为100%"):
        assert words in text
    assert not Call.objects.exists()


def test_one_call_per_programme_and_year(city_staff):
    make_call(city_staff, PERSON)
    with pytest.raises(Conflict):
        make_call(city_staff, PERSON)
    assert Call.objects.count() == 1


def test_only_the_citys_staff_open_calls(person, heping_staff):
    for actor in (person.user, heping_staff):
        with pytest.raises(PermissionDenied):
            make_call(actor, PERSON)
    assert not Call.objects.exists()


# --- applying -------------------------------------------------------------------------------------------------------

def test_applying_outside_the_window_or_to_an_unpublished_call_is_refused(city_staff, person):
    call = make_call(city_staff, PERSON)
    _close_window(call)
    with pytest.raises(Conflict) as excinfo:
        _apply_person(person, call)
    assert "已截止" in excinfo.value.message
    Call.objects.filter(pk=call.pk).update(closes_on=timezone.localdate() + dt.timedelta(days=3), published=False)
    with pytest.raises(NotFound):
        _apply_person(person, call)
    assert not Application.objects.exists()


def test_a_person_applies_once_materials_missing_are_listed_and_eligibility_is_frozen(city_staff, person):
    call = make_call(city_staff, PERSON, materials=["labour_contract", "achievement"])
    app = _apply_person(person, call)
    with pytest.raises(Conflict):
        _apply_person(person, call)
    with pytest.raises(ValidationFailed) as excinfo:
        services.application_submit(actor=person.user, application_id=app.pk)
    assert "劳动合同" in _messages(excinfo) and "业绩成果材料" in _messages(excinfo)
    for kind in ("labour_contract", "achievement"):
        services.application_document_add(actor=person.user, application_id=app.pk, kind=kind, upload=upload())
    services.application_submit(actor=person.user, application_id=app.pk)
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
    assert app.snapshot["result"]["policy"] == PERSON and app.snapshot["result"]["eligible"] is True
    # A second call of the same programme would pre-fill both documents from the store.
    assert set(app.documents) == {"labour_contract", "achievement"}


def test_the_engine_refuses_an_ineligible_person_with_its_reasons(city_staff, person):
    from rencai.talents.models import Talent

    Talent.objects.filter(pk=person.pk).update(employer_type="government")
    call = make_call(city_staff, PERSON)
    app = _apply_person(person, call)
    with pytest.raises(ValidationFailed) as excinfo:
        services.application_submit(actor=person.user, application_id=app.pk)
    assert "暂不符合申报条件" in _messages(excinfo)
    app.refresh_from_db()
    assert app.status == Status.DRAFT and app.snapshot == {}


def test_a_team_member_not_in_the_registry_is_refused_and_nothing_is_written(city_staff, person, make_member):
    from rencai.conftest import make_resident_id

    member = make_member("赵敏")
    call = make_call(city_staff, TEAM)
    data = services.ApplicationInput(
        call_id=call.pk, project_title="高端装备视觉团队", team_name="视觉团队", team_kind="innovation",
        team_introduced=True, members=[services.MemberInput("赵敏", "110101199001011234"),
                                       services.MemberInput("钱多", make_resident_id())])
    del member
    with pytest.raises(ValidationFailed) as excinfo:
        services.application_create(actor=person.user, data=data)
    text = _messages(excinfo)
    assert "第1位成员赵敏不在人才信息库中" in text and "第2位成员钱多不在人才信息库中" in text
    assert not Application.objects.exists()


def _team_application(staff, lead, members, **call_kwargs):
    from rencai.core import crypto
    from rencai.talents.models import Talent

    call = make_call(staff, TEAM, payee="employer", **call_kwargs)
    # The lead knows each member's ID number; the tests read it back from the registry (decrypted).
    rows = [services.MemberInput(m.name, crypto.decrypt(Talent.objects.get(pk=m.pk).id_number_cipher))
            for m in members]
    return services.application_create(actor=lead.user, data=services.ApplicationInput(
        call_id=call.pk, project_title="高端装备视觉团队", team_name="视觉团队", team_kind="innovation",
        team_introduced=True, members=rows))


def test_a_team_submits_only_when_every_member_confirmed(city_staff, person, make_member):
    members = [make_member("赵敏"), make_member("孙浩", "浑南区")]
    app = _team_application(city_staff, person, members)
    with pytest.raises(ValidationFailed) as excinfo:
        services.application_submit(actor=person.user, application_id=app.pk)
    assert "赵敏（待确认）" in _messages(excinfo) and "孙浩（待确认）" in _messages(excinfo)
    for member in members:
        services.member_answer(actor=member.user, application_id=app.pk, accept=True)
    services.application_submit(actor=person.user, application_id=app.pk)
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED and app.snapshot["inputs"]["subject"] == "team"
    assert set(app.members.values_list("status", flat=True)) == {MemberStatus.CONFIRMED}
    # A member of the team sees it; a stranger does not.
    from rencai.programmes.selectors import applications_visible

    assert applications_visible(members[1].user).filter(pk=app.pk).exists()


def test_an_employer_declares_a_talent_and_both_sides_are_checked(city_staff, hr, person, company,
                                                                   urgent_position):
    from rencai.opportunities import shortage
    from rencai.organizations.models import Organization
    from rencai.programmes.eligibility import shortage_line

    call = make_call(city_staff, ORGANIZATION)
    other_chain = shortage.catalog_create(actor=city_staff, year=call.year, industry="ic")
    stranger = shortage.entry_save(actor=city_staff, catalog_id=other_chain.pk,
                                   data=shortage.EntryInput(position="芯片设计工程师"))
    shortage.catalog_transition(actor=city_staff, catalog_id=other_chain.pk, action="publish")
    with pytest.raises(ValidationFailed) as excinfo:  # another chain's position is not the employer's to name
        services.application_create(actor=hr, data=services.ApplicationInput(
            call_id=call.pk, project_title="引进", talent_id=person.pk, shortage_entry_id=stranger.pk))
    assert "急需紧缺人才需求目录" in _messages(excinfo)
    app = services.application_create(actor=hr, data=services.ApplicationInput(
        call_id=call.pk, project_title="引进机器人视觉首席专家", talent_id=person.pk))
    Organization.objects.filter(pk=company.pk).update(key_enterprise=False)
    with pytest.raises(ValidationFailed) as excinfo:
        services.application_submit(actor=hr, application_id=app.pk)
    assert "不是重点企业" in _messages(excinfo) and "按《急需紧缺人才需求目录》引进的岗位" in _messages(excinfo)
    Organization.objects.filter(pk=company.pk).update(key_enterprise=True)
    services.application_shortage_entry_set(actor=hr, application_id=app.pk, entry_id=urgent_position.pk)
    services.application_submit(actor=hr, application_id=app.pk)
    app.refresh_from_db()
    assert app.snapshot["result"]["eligible"] == "manual"  # the tier is for review to choose
    assert app.snapshot["person"]["result"]["policy"] == PERSON
    assert shortage_line(app.snapshot) == \
        f"按《急需紧缺人才需求目录》引进：是（岗位：{call.year}年机器人目录 · 机器人视觉算法工程师）"
    with pytest.raises(Conflict):  # what a declaration named stays published
        shortage.catalog_transition(actor=city_staff, catalog_id=urgent_position.catalog_id, action="withdraw")


def test_an_employer_cannot_declare_someone_who_is_not_its_employee(city_staff, hr, make_talent):
    call = make_call(city_staff, ORGANIZATION)
    stranger = make_talent(name="外单位")
    with pytest.raises(ValidationFailed) as excinfo:
        services.application_create(actor=hr, data=services.ApplicationInput(
            call_id=call.pk, project_title="引进", talent_id=stranger.pk))
    assert "本单位" in _messages(excinfo)


def test_endorsement_is_required_where_the_call_says(city_staff, hr, person):
    call = make_call(city_staff, PERSON, endorsement=True)
    app = _apply_person(person, call)
    with pytest.raises(ValidationFailed) as excinfo:
        services.application_submit(actor=person.user, application_id=app.pk)
    assert "单位推荐" in _messages(excinfo)
    services.application_endorse(actor=hr, application_id=app.pk)
    services.application_submit(actor=person.user, application_id=app.pk)
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED


# --- review ---------------------------------------------------------------------------------------------------------

def test_review_keeps_out_an_expert_of_the_applicants_organization_and_the_unassigned(
        city_staff, person, experts, django_capture_on_commit_callbacks):
    call = make_call(city_staff, PERSON)
    app = _apply_person(person, call)
    services.application_submit(actor=person.user, application_id=app.pk)
    services.application_accept(actor=city_staff, application_id=app.pk)
    with pytest.raises(ValidationFailed) as excinfo:
        services.application_panel_form(actor=city_staff, application_id=app.pk,
                                        expert_ids=[experts[n].pk for n in ("甲", "乙", "丙")])
    assert "甲专家须回避" in _messages(excinfo)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_panel_form(actor=city_staff, application_id=app.pk,
                                        expert_ids=[experts[n].pk for n in ("乙", "丙", "丁")])
    from rencai.notifications.models import Notification

    told = set(Notification.objects.filter(kind="programmes", title__startswith="评审任务").values_list(
        "recipient_id", flat=True))
    assert told == {experts[n].user_id for n in ("乙", "丙", "丁")}
    criteria = {c.code: 1 for c in call.sheet.criteria.all()}
    with pytest.raises(NotFound):  # 戊 sits on no panel of it: the application is not even visible
        services.review_score_submit(actor=experts["戊"].user, application_id=app.pk, scores=criteria)
    assert not app.events.filter(action="score").exists()


def _ranked_call(staff, people, experts, scores_of, **call_kwargs):
    call = make_call(staff, PERSON, **call_kwargs)
    apps = []
    for person, scores in zip(people, scores_of, strict=True):
        app = _apply_person(person, call)
        services.application_submit(actor=person.user, application_id=app.pk)
        _review(staff, app, experts, scores)
        apps.append(app)
    _close_window(call)
    services.ranking_finalise(actor=staff, call_id=call.pk)
    return Call.objects.get(pk=call.pk), [Application.objects.get(pk=a.pk) for a in apps]


def test_ranking_orders_by_the_panels_results_and_is_fixed_once(city_staff, other_city_staff, person, make_member,
                                                               experts):
    second = make_member("李雪")
    call, (a, b) = _ranked_call(city_staff, [person, second], experts, [(0.6, 0.7, 0.8), (0.9, 0.9, 0.8)])
    assert (a.rank, b.rank) == (2, 1) and a.status == b.status == Status.RANKED
    assert b.review_total > a.review_total
    with pytest.raises(Conflict) as excinfo:
        services.ranking_finalise(actor=other_city_staff, call_id=call.pk)
    assert "已由" in excinfo.value.message


def test_ranking_waits_for_every_score(city_staff, person, experts):
    call = make_call(city_staff, PERSON)
    app = _apply_person(person, call)
    services.application_submit(actor=person.user, application_id=app.pk)
    services.application_accept(actor=city_staff, application_id=app.pk)
    services.application_panel_form(actor=city_staff, application_id=app.pk,
                                    expert_ids=[experts[n].pk for n in ("乙", "丙", "丁")])
    _close_window(call)
    with pytest.raises(Conflict) as excinfo:
        services.ranking_finalise(actor=city_staff, call_id=call.pk)
    assert "未完成评分" in excinfo.value.message
    assert Call.objects.get(pk=call.pk).ranked_at is None


# --- awards ---------------------------------------------------------------------------------------------------------

def test_awards_stay_within_the_tiers_places_and_the_calls_money(city_staff, person, make_member, experts):
    people = [person, make_member("李雪"), make_member("周青")]
    tiers = [services.TierInput(label="30万元档", places=1, places_max=2, amount="300000", value="")]
    call, apps = _ranked_call(city_staff, people, experts, [(0.9, 0.9, 0.9), (0.8, 0.8, 0.8), (0.7, 0.7, 0.7)],
                              tiers=tiers, money="500000")
    tier = call.tiers.get()
    services.award_propose(actor=city_staff, call_id=call.pk, application_id=apps[0].pk, tier_id=tier.pk)
    with pytest.raises(Conflict) as excinfo:
        services.award_propose(actor=city_staff, call_id=call.pk, application_id=apps[1].pk, tier_id=tier.pk)
    assert "超出本批资金" in excinfo.value.message and "剩余200000.00元" in excinfo.value.message
    services.award_propose(actor=city_staff, call_id=call.pk, application_id=apps[1].pk, tier_id=tier.pk,
                           amount="200000")
    Call.objects.filter(pk=call.pk).update(money_fen=100_000_000)
    with pytest.raises(Conflict) as excinfo:
        services.award_propose(actor=city_staff, call_id=call.pk, application_id=apps[2].pk, tier_id=tier.pk)
    assert "名额上限2项已满" in excinfo.value.message
    with pytest.raises(ValidationFailed):
        services.award_propose(actor=city_staff, call_id=call.pk, application_id=apps[2].pk, tier_id=tier.pk,
                               amount="300000.01")
    assert Award.objects.count() == 2


def test_approval_commits_the_budget_or_nothing(city_staff, leader, person, experts, budget):
    call, (app,) = _ranked_call(city_staff, [person], experts, [(0.9, 0.9, 0.9)])
    services.award_propose(actor=city_staff, call_id=call.pk, application_id=app.pk, tier_id=call.tiers.get().pk)
    with pytest.raises(PermissionDenied):
        services.awards_approve(actor=city_staff, call_id=call.pk)
    with pytest.raises(Conflict) as excinfo:  # no budget line for the programme this year
        services.awards_approve(actor=leader, call_id=call.pk)
    assert "预算" in excinfo.value.message
    assert not GrantStage.objects.exists() and Award.objects.get().status == AwardStatus.PROPOSED
    budget(PERSON, "100000")  # less than the award
    with pytest.raises(Conflict):
        services.awards_approve(actor=leader, call_id=call.pk)
    assert not GrantStage.objects.exists()
    budget(PERSON, "1000000")
    services.awards_approve(actor=leader, call_id=call.pk)
    award = Award.objects.get()
    assert award.status == AwardStatus.NOTICE
    from rencai.payments.models import BudgetLine

    assert BudgetLine.objects.get(policy=PERSON).committed_fen == award.amount_fen
    assert [s.amount_fen for s in award.stages.all()] == [award.amount_fen // 2, award.amount_fen // 2]


def _granted(staff, leader, person, experts, budget, **call_kwargs):
    from rencai.fulfilment.models import PublicNotice
    from rencai.fulfilment.services import notices_close_due

    call, (app,) = _ranked_call(staff, [person], experts, [(0.9, 0.9, 0.9)], **call_kwargs)
    services.award_propose(actor=staff, call_id=call.pk, application_id=app.pk, tier_id=call.tiers.get().pk)
    budget(call.policy, "1000000")
    services.awards_approve(actor=leader, call_id=call.pk)
    notice = PublicNotice.objects.get(subject_kind="programmes.award")
    assert notice.masked_name.startswith(person.name[0]) and person.name not in notice.masked_name
    PublicNotice.objects.filter(pk=notice.pk).update(ends_on=timezone.localdate() - dt.timedelta(days=1))
    notices_close_due()
    return Award.objects.get(application=app)


def test_a_cleared_notice_grants_the_award_and_schedules_the_first_stage(city_staff, leader, person, experts,
                                                                         budget):
    from rencai.payments.models import Entitlement

    award = _granted(city_staff, leader, person, experts, budget)
    assert award.status == AwardStatus.GRANTED and award.application.status == Status.AWARDED
    first, second = award.stages.all()
    assert first.status == StageStatus.SCHEDULED and second.status == StageStatus.WAITING
    entitlement = Entitlement.objects.get(grant_reference=first.reference)
    assert entitlement.one_time_fen == first.amount_fen and entitlement.talent_id == person.pk
    assert Report.objects.filter(award=award, milestone="final").exists()


def test_acceptance_releases_the_last_stage_and_a_failure_stops_it(city_staff, leader, person, experts, budget):
    from rencai.payments.models import BudgetLine, Entitlement

    award = _granted(city_staff, leader, person, experts, budget)
    report = award.reports.get(milestone="final")
    with pytest.raises(ValidationFailed):
        services.report_submit(actor=person.user, report_id=report.pk, text="短")
    services.report_submit(actor=person.user, report_id=report.pk, text="完成视觉检测产线两条，申请专利三项。")
    services.report_decide(actor=city_staff, report_id=report.pk, decision="fail", reason="未达到验收指标")
    award.refresh_from_db()
    second = award.stages.get(position=2)
    assert award.status == AwardStatus.STOPPED and second.status == StageStatus.CANCELLED
    assert not Entitlement.objects.filter(grant_reference=second.reference).exists()
    line = BudgetLine.objects.get(policy=PERSON)
    assert line.committed_fen == award.stages.get(position=1).amount_fen  # the second stage given back
    with pytest.raises(Conflict):
        services.report_decide(actor=city_staff, report_id=report.pk, decision="accept")


def test_a_passed_acceptance_schedules_the_final_stage(city_staff, leader, person, experts, budget):
    from rencai.payments.models import Entitlement

    award = _granted(city_staff, leader, person, experts, budget)
    report = award.reports.get(milestone="final")
    services.report_submit(actor=person.user, report_id=report.pk, text="完成视觉检测产线两条，申请专利三项。")
    services.report_decide(actor=city_staff, report_id=report.pk, decision="accept")
    award.refresh_from_db()
    assert award.status == AwardStatus.FINISHED
    assert Report.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED
    assert Entitlement.objects.filter(grant_reference__startswith=award.number).count() == 2


def test_an_upheld_objection_withdraws_the_award_and_gives_the_budget_back(city_staff, leader, person, experts,
                                                                          budget):
    from rencai.fulfilment.models import PublicNotice
    from rencai.fulfilment.services import objection_answer, objection_file
    from rencai.payments.models import BudgetLine

    call, (app,) = _ranked_call(city_staff, [person], experts, [(0.9, 0.9, 0.9)])
    services.award_propose(actor=city_staff, call_id=call.pk, application_id=app.pk, tier_id=call.tiers.get().pk)
    budget(PERSON, "1000000")
    services.awards_approve(actor=leader, call_id=call.pk)
    notice = PublicNotice.objects.get(subject_kind="programmes.award")
    objection = objection_file(notice_id=notice.pk, text="该项目成果系他人所有", client="127.0.0.9")
    objection_answer(actor=city_staff, objection_id=objection.pk, answer="经核实，异议成立", upheld=True)
    award = Award.objects.get(application=app)
    assert award.status == AwardStatus.WITHDRAWN and "异议成立" in award.reason
    assert Application.objects.get(pk=app.pk).status == Status.NOT_AWARDED
    assert BudgetLine.objects.get(policy=PERSON).committed_fen == 0
    assert Decimal(0) == sum(s.amount for s in award.stages.exclude(status=StageStatus.CANCELLED))


def test_a_member_who_declines_is_off_the_team_and_the_rest_may_submit(city_staff, person, make_member):
    members = [make_member("赵敏"), make_member("孙浩")]
    app = _team_application(city_staff, person, members)
    services.member_answer(actor=members[0].user, application_id=app.pk, accept=False)
    with pytest.raises(ValidationFailed) as excinfo:
        services.application_submit(actor=person.user, application_id=app.pk)
    assert "孙浩（待确认）" in _messages(excinfo) and "赵敏" not in _messages(excinfo)
    services.member_answer(actor=members[1].user, application_id=app.pk, accept=True)
    services.application_submit(actor=person.user, application_id=app.pk)
    from rencai.programmes.review import parties

    names = set(parties(Application.objects.get(pk=app.pk)).users.values())
    assert "团队成员孙浩" in names and "团队成员赵敏" not in names
