import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from rencai.core.errors import AppError, Conflict, NotFound, PermissionDenied, ValidationFailed
from rencai.recognition import selectors, services
from rencai.recognition.models import (
    Application,
    ApplicationEvent,
    Attachment,
    EmployerQuota,
    Recognition,
)
from rencai.reviews.models import Assignment
from rencai.talents.models import Talent

from .conftest import JPEG, PNG, assignment_of, attach_all, create, submitted, upload

pytestmark = pytest.mark.django_db


def actions(application):
    return list(ApplicationEvent.objects.filter(application=application).order_by("id").values_list("action",
                                                                                                    flat=True))


def test_direct_recognition_is_decided_on_the_staff_check_and_records_the_item(talent_user, heping_staff):
    application = submitted(talent_user, category="C", item_code="C03")
    assert application.status == "submitted" and application.submitted_at is not None
    assert not Recognition.objects.exists()

    application = services.application_accept(actor=heping_staff, application_id=application.pk)
    assert application.status == "approved" and application.decided_by == heping_staff
    assert "C03" in application.decision_reason
    recognition = Recognition.objects.get(application=application)
    assert (recognition.category, recognition.way, recognition.item_code) == ("C", "direct", "C03")
    assert recognition.valid_from == dt.date.today()
    assert recognition.valid_until == dt.date(dt.date.today().year + 5, dt.date.today().month,
                                              dt.date.today().day) - dt.timedelta(days=1)
    assert recognition.serial.startswith(f"RC{dt.date.today().year}C")
    assert actions(application) == ["create", "submit", "accept", "approve"]
    approve = ApplicationEvent.objects.get(application=application, action="approve")
    assert (approve.from_status, approve.to_status, approve.actor, approve.data["item"]) == (
        "complete", "approved", heping_staff, "C03")
    talent = Talent.objects.get(user=talent_user)
    assert (talent.talent_category, talent.category_recognized_on) == ("C", dt.date.today())


def test_submission_lists_every_missing_document_at_once(talent_user):
    application = create(talent_user, category="C", item_code="C03")
    with pytest.raises(ValidationFailed) as info:
        services.application_submit(actor=talent_user, application_id=application.pk)
    labels = [e.message for e in info.value.errors]
    assert labels == ["缺少“身份证件”", "缺少“在沈工作证明”", "缺少“政府特殊津贴证书”"]
    assert "身份证件" in info.value.message and "政府特殊津贴证书" in info.value.message
    application.refresh_from_db()
    assert application.status == "draft" and actions(application) == ["create"]


def test_staff_return_names_every_problem_once_and_the_talent_completes_them(talent_user, heping_staff):
    application = submitted(talent_user, category="C", item_code="C03")
    requirements = [r for r in selectors.requirements_for(application) if r.required]
    services.application_return(actor=heping_staff, application_id=application.pk,
                                problems={requirements[0].pk: "扫描件不清晰", requirements[2].pk: "证书未盖章"},
                                note="请一并补正")
    application.refresh_from_db()
    assert application.status == "returned"
    notice = selectors.last_return_notice(application)
    assert notice.data["problems"] == [{"requirement": "身份证件", "problem": "扫描件不清晰"},
                                       {"requirement": "政府特殊津贴证书", "problem": "证书未盖章"}]
    assert [r.label for r in selectors.missing_evidence(application)] == ["身份证件", "政府特殊津贴证书"]
    with pytest.raises(ValidationFailed) as info:
        services.application_submit(actor=talent_user, application_id=application.pk)
    assert len(info.value.errors) == 2
    attach_all(talent_user, application)
    application = services.application_submit(actor=talent_user, application_id=application.pk)
    assert application.status == "submitted"
    assert ApplicationEvent.objects.filter(application=application, action="submit").last().reason == "补正后重新提交"


def test_return_without_any_problem_is_refused(talent_user, heping_staff):
    application = submitted(talent_user)
    with pytest.raises(ValidationFailed) as info:
        services.application_return(actor=heping_staff, application_id=application.pk, problems={}, note="")
    assert info.value.errors[0].field == "note" and "一次性告知" in info.value.message
    application.refresh_from_db()
    assert application.status == "submitted"


@pytest.mark.parametrize(("content", "name", "words"), [
    (b"MZ\x90\x00 not a document", "证书.pdf", "文件内容不是PDF、JPEG或PNG"),
    (PNG, "证书.pdf", "扩展名与内容不符"),
    (JPEG, "证书.png", "扩展名与内容不符"),
    (b"%PDF-1.4 fine", "证书.exe", "只接受"),
])
def test_upload_of_the_wrong_type_is_refused_by_content(talent_user, settings, content, name, words):
    application = create(talent_user)
    requirement = selectors.requirements_for(application)[0]
    with pytest.raises(AppError) as info:
        services.attachment_add(actor=talent_user, application_id=application.pk, requirement_id=requirement.pk,
                                upload=upload(content, name))
    assert info.value.status == 400 and words in info.value.message and "身份证件" in info.value.message
    assert not Attachment.objects.exists()
    assert not (settings.MEDIA_ROOT / "recognition").exists()


def test_upload_over_the_limit_is_refused(talent_user, settings):
    settings.RENCAI_MAX_UPLOAD_BYTES = 100
    application = create(talent_user)
    requirement = selectors.requirements_for(application)[0]
    with pytest.raises(AppError) as info:
        services.attachment_add(actor=talent_user, application_id=application.pk, requirement_id=requirement.pk,
                                upload=upload(b"%PDF-" + b"x" * 200))
    assert info.value.status == 413 and "超过上限" in info.value.message
    assert not Attachment.objects.exists()


def test_accepted_upload_is_stored_outside_the_web_root_under_a_random_name(talent_user, settings):
    application = create(talent_user)
    requirement = selectors.requirements_for(application)[0]
    attachment, created = services.attachment_add(actor=talent_user, application_id=application.pk,
                                                  requirement_id=requirement.pk, upload=upload(JPEG, "身份证.JPG"))
    assert created and attachment.content_type == "image/jpeg" and attachment.original_name == "身份证.JPG"
    path = settings.MEDIA_ROOT / attachment.file.name
    assert path.exists() and path.suffix == ".jpg" and "身份证" not in str(path)
    assert str(settings.MEDIA_ROOT) not in str(settings.STATIC_ROOT)


def test_the_same_file_posted_twice_is_stored_once(talent_user):
    application = create(talent_user)
    requirement = selectors.requirements_for(application)[0]
    file = upload()
    first, created = services.attachment_add(actor=talent_user, application_id=application.pk,
                                             requirement_id=requirement.pk, upload=file)
    file.seek(0)
    second, created_again = services.attachment_add(actor=talent_user, application_id=application.pk,
                                                    requirement_id=requirement.pk, upload=file)
    assert created and not created_again and first.pk == second.pk
    assert Attachment.objects.count() == 1


def test_posting_the_same_application_form_twice_creates_one(talent_user):
    first = create(talent_user, form_token="3f1c2a4e-1111-4222-8333-444455556666")
    second = create(talent_user, form_token="3f1c2a4e-1111-4222-8333-444455556666")
    assert first.pk == second.pk and Application.objects.count() == 1
    with pytest.raises(Conflict) as info:
        create(talent_user, way="review", category="C")
    assert "正在办理" in info.value.message and first.number in info.value.message
    assert Application.objects.count() == 1


def test_bad_application_input_names_every_field(talent_user):
    with pytest.raises(ValidationFailed) as info:
        create(talent_user, way="direct", category="C", item_code="D01", statement="长" * 2001)
    assert {e.field for e in info.value.errors} == {"item", "statement"}
    with pytest.raises(ValidationFailed) as info:
        create(talent_user, way="teleport", category="Z")
    assert {e.field for e in info.value.errors} == {"way", "category"}
    assert not Application.objects.exists()


def test_a_decision_on_a_withdrawn_application_is_refused(talent_user, heping_staff):
    application = submitted(talent_user)
    services.application_withdraw(actor=talent_user, application_id=application.pk, reason="暂不申请")
    for decide in (lambda: services.application_accept(actor=heping_staff, application_id=application.pk),
                   lambda: services.application_reject(actor=heping_staff, application_id=application.pk,
                                                       reason="不符合")):
        with pytest.raises(Conflict) as info:
            decide()
        assert info.value.status == 409 and "已撤回" in info.value.message
    application.refresh_from_db()
    assert application.status == "withdrawn" and actions(application) == ["create", "submit", "withdraw"]
    assert not Recognition.objects.exists()


def test_unauthorised_actors_get_403_and_nothing_changes(talent_user, heping_staff, leader, make_user, org):
    application = submitted(talent_user)
    colleague_hr = make_user("hr2", "employer", organization=org)
    for actor in (leader, talent_user, colleague_hr):
        with pytest.raises(PermissionDenied):
            services.application_accept(actor=actor, application_id=application.pk)
    with pytest.raises(PermissionDenied):
        services.application_withdraw(actor=heping_staff, application_id=application.pk)
    application.refresh_from_db()
    assert application.status == "submitted" and actions(application) == ["create", "submit"]
    services.application_accept(actor=heping_staff, application_id=application.pk)
    with pytest.raises(PermissionDenied):  # not a 409 about the state: the leader may not decide at all
        services.application_reject(actor=leader, application_id=application.pk, reason="不符合")


def test_district_officer_sees_and_decides_only_their_districts(talent_user, hunnan_staff, heping_staff):
    application = submitted(talent_user)
    with pytest.raises(NotFound):
        services.application_accept(actor=hunnan_staff, application_id=application.pk)
    assert not selectors.application_queue(user=hunnan_staff).exists()
    assert list(selectors.application_queue(user=heping_staff)) == [application]
    with pytest.raises(NotFound):
        selectors.application_get(user=hunnan_staff, application_id=application.pk)
    application.refresh_from_db()
    assert application.status == "submitted"


def test_the_same_decision_posted_twice_changes_nothing_the_second_time(talent_user, heping_staff):
    application = submitted(talent_user)
    services.application_accept(actor=heping_staff, application_id=application.pk)
    again = services.application_accept(actor=heping_staff, application_id=application.pk)
    assert again.status == "approved"
    assert actions(application) == ["create", "submit", "accept", "approve"]
    assert Recognition.objects.count() == 1


def test_a_second_officer_cannot_decide_a_decided_application(talent_user, heping_staff, city_staff):
    application = submitted(talent_user)
    services.application_accept(actor=heping_staff, application_id=application.pk)
    with pytest.raises(Conflict) as info:
        services.application_reject(actor=city_staff, application_id=application.pk, reason="不符合")
    assert "已由" in info.value.message and "作出决定" in info.value.message
    application.refresh_from_db()
    assert application.status == "approved" and application.decided_by == heping_staff


def test_same_or_lower_category_is_refused_and_higher_is_an_upgrade(talent_user, heping_staff):
    services.application_accept(actor=heping_staff, application_id=submitted(talent_user, category="D",
                                                                              item_code="D01").pk)
    for category, code in (("D", "D02"), ("D", "D01")):
        with pytest.raises(ValidationFailed) as info:
            create(talent_user, category=category, item_code=code)
        assert "只能申请更高类别" in info.value.message
    upgrade = create(talent_user, category="C", item_code="C03")
    assert upgrade.kind == "upgrade" and upgrade.previous_category == "D"


def test_upgrade_supersedes_the_lower_card_and_category_on_keeps_the_history(talent_user, heping_staff):
    first = services.application_accept(actor=heping_staff, application_id=submitted(
        talent_user, category="D", item_code="D01").pk)
    d_card = Recognition.objects.get(application=first)
    Recognition.objects.filter(pk=d_card.pk).update(valid_from=dt.date.today() - dt.timedelta(days=30))
    second = services.application_accept(actor=heping_staff, application_id=submitted(
        talent_user, category="C", item_code="C03").pk)
    d_card.refresh_from_db()
    c_card = Recognition.objects.get(application=second)
    assert (d_card.status, d_card.ended_on, d_card.superseded_by) == ("superseded", dt.date.today(), c_card)
    talent = Talent.objects.get(user=talent_user)
    assert talent.talent_category == "C"
    assert selectors.category_on(talent, dt.date.today() - dt.timedelta(days=1)) == "D"
    assert selectors.category_on(talent, dt.date.today()) == "C"
    assert selectors.category_on(talent, dt.date.today() - dt.timedelta(days=31)) == ""

    services.recognition_revoke(actor=heping_staff, recognition_id=c_card.pk, reason="材料造假")
    d_card.refresh_from_db()
    assert d_card.status == "active" and d_card.ended_on is None
    talent.refresh_from_db()
    assert talent.talent_category == "D"


def test_category_recognised_before_the_platform_stays_when_an_upgrade_is_revoked(make_talent, make_user,
                                                                                   heping_staff):
    user = make_user("legacy", "talent")
    talent = make_talent(name="老认定", talent_category="D", category_recognized_on="2019-05-01")
    Talent.objects.filter(pk=talent.pk).update(user=user)
    application = submitted(user, category="C", item_code="C03")
    assert application.kind == "upgrade"
    services.application_accept(actor=heping_staff, application_id=application.pk)
    talent.refresh_from_db()
    assert talent.talent_category == "C"
    assert selectors.category_on(talent, dt.date(2020, 1, 1)) == "D"
    services.recognition_revoke(actor=heping_staff, recognition_id=application.recognition.pk, reason="撤销测试")
    talent.refresh_from_db()
    assert (talent.talent_category, talent.category_recognized_on) == ("D", dt.date(2019, 5, 1))


def test_expiry_ends_the_category_in_the_registry(talent_user, heping_staff):
    application = services.application_accept(actor=heping_staff, application_id=submitted(talent_user).pk)
    card = Recognition.objects.get(application=application)
    talent = Talent.objects.get(user=talent_user)
    assert selectors.category_on(talent, card.valid_until) == "C"
    day_after = card.valid_until + dt.timedelta(days=1)
    assert selectors.category_on(talent, day_after) == ""
    assert services.recognitions_expire(on=card.valid_until) == 0
    assert services.recognitions_expire(on=day_after) == 1
    assert services.recognitions_expire(on=day_after) == 0  # safe to run twice
    talent.refresh_from_db()
    assert (talent.talent_category, talent.category_recognized_on) == ("", None)
    assert card.state_on(day_after) == "已过期"


def test_policy_engine_sees_the_c_category_after_approval(talent_user, heping_staff):
    from rencai.policies.selectors import policies_for_talent

    talent = Talent.objects.get(user=talent_user)

    def listed(talent):
        groups = policies_for_talent(talent=talent)["groups"]
        return {key: {r["policy"]: r for r in rows} for key, rows in groups.items()}

    before = listed(talent)
    assert "sy-high-level-specialist" not in before["eligible"]
    assert not any("sy-apartment-free-rent" in rows for rows in before.values())
    services.application_accept(actor=heping_staff, application_id=submitted(talent_user).pk)
    talent.refresh_from_db()
    after = listed(talent)
    assert "sy-high-level-specialist" in after["eligible"]
    # The C category passes; only whether a flat is free, which the registry does not know, stays open.
    apartment = after["eligible"].get("sy-apartment-free-rent") or after["unknown"]["sy-apartment-free-rent"]
    assert apartment["missing"] in ([], ["housing.apartment_available"])


# --- review recognition ---------------------------------------------------------------------------------

def reviewed(talent_user, heping_staff, experts, category="C"):
    application = submitted(talent_user, way="review", category=category, statement="主持智能产线改造，年产值提升")
    services.application_accept(actor=heping_staff, application_id=application.pk)
    application.refresh_from_db()
    assert application.status == "complete"  # review: no automatic decision
    return services.application_panel_form(actor=heping_staff, application_id=application.pk,
                                           expert_ids=[e.pk for e in experts[:3]])


def score_all(application, experts, totals):
    for expert, total in zip(experts, totals, strict=False):
        base, rest = divmod(total, 5)
        scores = {d: base + (1 if i < rest else 0) for i, d in
                  enumerate(["professional", "potential", "experience", "contribution", "remuneration"])}
        assignment = assignment_of(application, expert)
        services.review_score_submit(actor=expert.user, assignment_id=assignment.pk, scores=scores, comment="同意")


def test_panel_excludes_experts_of_the_applicants_organization(talent_user, heping_staff, experts):
    application = submitted(talent_user, way="review", category="C")
    services.application_accept(actor=heping_staff, application_id=application.pk)
    assert experts[3] not in selectors.experts_available(application)
    with pytest.raises(ValidationFailed) as info:
        services.application_panel_form(actor=heping_staff, application_id=application.pk,
                                        expert_ids=[experts[0].pk, experts[1].pk, experts[3].pk])
    assert "钱专家须回避" in info.value.message
    with pytest.raises(ValidationFailed) as info:
        services.application_panel_form(actor=heping_staff, application_id=application.pk,
                                        expert_ids=[experts[0].pk])
    assert "至少3人" in info.value.message
    application.refresh_from_db()
    assert application.status == "complete" and not Assignment.objects.exists()


def test_review_decision_follows_the_category_pass_mark_and_keeps_every_score(talent_user, heping_staff,
                                                                              experts):
    application = reviewed(talent_user, heping_staff, experts)
    assert application.status == "in_review"
    score_all(application, experts[:2], [84, 80])
    with pytest.raises(Conflict) as info:
        services.application_conclude(actor=heping_staff, application_id=application.pk)
    assert "1位专家未提交评分" in info.value.message
    score_all(application, experts[2:3], [79])
    application = services.application_conclude(actor=heping_staff, application_id=application.pk)
    assert application.status == "approved" and application.review_score == Decimal("81.00")
    assert "C类" in application.decision_reason and "80分" in application.decision_reason
    assert Recognition.objects.get(application=application).category == "C"
    assert sorted(Assignment.objects.values_list("total", flat=True)) == [79, 80, 84]
    assert actions(application).count("score") == 3


def test_review_below_the_c_mark_but_above_the_d_mark_recognises_d(talent_user, heping_staff, experts):
    application = reviewed(talent_user, heping_staff, experts)
    score_all(application, experts[:3], [78, 76, 77])
    application = services.application_conclude(actor=heping_staff, application_id=application.pk)
    assert application.status == "approved"
    assert Recognition.objects.get(application=application).category == "D"


def test_review_below_every_mark_is_not_recognised(talent_user, heping_staff, experts):
    application = reviewed(talent_user, heping_staff, experts)
    score_all(application, experts[:3], [60, 70, 74])
    application = services.application_conclude(actor=heping_staff, application_id=application.pk)
    assert application.status == "rejected" and "不予认定" in application.decision_reason
    assert not Recognition.objects.exists()
    assert Talent.objects.get(user=talent_user).talent_category == ""


def test_expert_scores_are_checked_and_cannot_be_changed(talent_user, heping_staff, experts):
    application = reviewed(talent_user, heping_staff, experts)
    assignment = assignment_of(application, experts[0])
    with pytest.raises(ValidationFailed) as info:
        services.review_score_submit(actor=experts[0].user, assignment_id=assignment.pk,
                                     scores={"professional": 25, "potential": "x"})
    assert {e.field for e in info.value.errors} == {"professional", "potential", "experience", "contribution",
                                                    "remuneration"}
    scores = dict.fromkeys(["professional", "potential", "experience", "contribution", "remuneration"], 17)
    services.review_score_submit(actor=experts[0].user, assignment_id=assignment.pk, scores=scores)
    services.review_score_submit(actor=experts[0].user, assignment_id=assignment.pk, scores=scores)  # re-post
    with pytest.raises(Conflict):
        services.review_score_submit(actor=experts[0].user, assignment_id=assignment.pk,
                                     scores={**scores, "professional": 20})
    assignment.refresh_from_db()
    assert assignment.total == 85 and actions(application).count("score") == 1
    with pytest.raises(NotFound):
        services.review_score_submit(actor=experts[3].user, assignment_id=assignment.pk, scores=scores)


def test_experts_see_only_what_they_are_assigned(talent_user, heping_staff, experts):
    application = reviewed(talent_user, heping_staff, experts)
    assert selectors.application_get(user=experts[0].user, application_id=application.pk) == application
    with pytest.raises(NotFound):
        selectors.application_get(user=experts[3].user, application_id=application.pk)
    events = selectors.timeline(application, viewer=talent_user)
    assert all("experts" not in e.data for e in events)


# --- employer recognition -------------------------------------------------------------------------------

def employer_recognise(employer_user, talent_user, category="C", salary="600000", tax="120000"):
    talent = Talent.objects.get(user=talent_user)
    return submitted(employer_user, way="employer", category=category, talent_id=talent.pk,
                     annual_salary=salary, annual_tax=tax, market_value="30000000")


def test_authorised_employer_recognises_within_its_quota_and_files_with_the_office(
        talent_user, employer_user, authorization, heping_staff):
    application = employer_recognise(employer_user, talent_user)
    assert application.status == "approved" and application.decided_by == employer_user
    assert "备案" in application.decision_reason
    assert actions(application) == ["create", "submit", "approve"]
    assert EmployerQuota.objects.get(authorization=authorization, category="C").used == 1
    recognition = Recognition.objects.get(application=application)
    assert recognition.organization == authorization.organization and recognition.way == "employer"
    assert list(selectors.application_queue(user=heping_staff,
                                            filters=selectors.QueueFilters(way="employer"))) == [application]


def test_quota_overrun_is_refused(talent_user, employer_user, authorization, make_talent, make_user, org):
    employer_recognise(employer_user, talent_user)
    other = make_talent(name="李四", organization_uscc=org.uscc)
    with pytest.raises(Conflict) as info:
        submitted(employer_user, way="employer", category="C", talent_id=other.pk, annual_salary="900000",
                  annual_tax="200000")
    assert "名额已用完" in info.value.message
    assert EmployerQuota.objects.get(authorization=authorization, category="C").used == 1
    assert Recognition.objects.count() == 1
    assert Application.objects.get(talent=other).status == "draft"


def test_quota_can_never_exceed_its_size_in_the_database(authorization):
    from django.db import IntegrityError, transaction

    quota = EmployerQuota.objects.get(authorization=authorization, category="C")
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployerQuota.objects.filter(pk=quota.pk).update(used=quota.quota + 1)


def test_employer_declaration_is_checked_against_its_criteria(talent_user, employer_user, authorization):
    talent = Talent.objects.get(user=talent_user)
    with pytest.raises(ValidationFailed) as info:
        create(employer_user, way="employer", category="C", talent_id=talent.pk, annual_salary="300000",
               annual_tax="")
    assert {e.field for e in info.value.errors} == {"annual_salary", "annual_tax"}
    assert "低于本单位C类认定标准500,000元" in info.value.message
    with pytest.raises(ValidationFailed) as info:
        create(employer_user, way="employer", category="B", talent_id=talent.pk, annual_salary="9000000")
    assert "不含B类" in info.value.message
    assert not Application.objects.exists()


def test_employer_without_authorization_cannot_recognise(talent_user, employer_user):
    talent = Talent.objects.get(user=talent_user)
    with pytest.raises(ValidationFailed) as info:
        create(employer_user, way="employer", category="D", talent_id=talent.pk, annual_salary="300000")
    assert "没有有效的自主认定授权" in info.value.message


def test_talent_cannot_recognise_themselves_the_employer_way(talent_user, authorization):
    with pytest.raises(ValidationFailed) as info:
        create(talent_user, way="employer", category="D")
    assert "获得授权的用人单位" in info.value.message


def test_employer_can_apply_only_for_its_own_employees(employer_user, make_talent):
    stranger = make_talent(name="外单位")
    with pytest.raises(NotFound):
        create(employer_user, way="direct", category="C", talent_id=stranger.pk)


def test_office_revokes_an_employer_recognition_and_the_place_is_freed(talent_user, employer_user, authorization,
                                                                        heping_staff):
    application = employer_recognise(employer_user, talent_user)
    recognition = application.recognition
    with pytest.raises(PermissionDenied):
        services.recognition_revoke(actor=employer_user, recognition_id=recognition.pk, reason="单位撤回")
    services.recognition_revoke(actor=heping_staff, recognition_id=recognition.pk, reason="核查发现薪酬不实")
    recognition.refresh_from_db()
    assert recognition.status == "revoked" and recognition.ended_on == dt.date.today()
    assert EmployerQuota.objects.get(authorization=authorization, category="C").used == 0
    assert Talent.objects.get(user=talent_user).talent_category == ""
    application.refresh_from_db()
    assert application.status == "revoked" and actions(application)[-1] == "revoke"


def test_notifications_go_out_only_after_commit(talent_user, django_capture_on_commit_callbacks, caplog):
    caplog.set_level("INFO", logger="rencai.recognition.notify")
    application = create(talent_user)
    attach_all(talent_user, application)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.application_submit(actor=talent_user, application_id=application.pk)
    assert len(callbacks) == 1 and "提交申请" not in caplog.text
    callbacks[0]()
    assert f"认定申请{application.number}" in caplog.text and "提交申请" in caplog.text


# --- real concurrency (SQLite file database and PostgreSQL) -------------------------------------------------------

def _race(workers):
    barrier = threading.Barrier(len(workers))
    outcomes = []

    def run(work):
        barrier.wait()
        try:
            work()
            outcomes.append("done")
        except (Conflict, ValidationFailed) as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_two_officers_deciding_at_once_cannot_both_decide(talent_user, heping_staff, city_staff):
    application = submitted(talent_user)
    outcomes = _race([
        lambda: services.application_accept(actor=heping_staff, application_id=application.pk),
        lambda: services.application_reject(actor=city_staff, application_id=application.pk, reason="不符合条件"),
    ])
    assert outcomes == ["done", "wrong_status"]
    application.refresh_from_db()
    decisions = ApplicationEvent.objects.filter(application=application, action__in=["approve", "reject"])
    assert decisions.count() == 1
    assert Recognition.objects.count() == (1 if application.status == "approved" else 0)


@pytest.mark.django_db(transaction=True)
def test_concurrent_employer_recognitions_never_overrun_the_quota(employer_user, authorization, make_talent, org):
    drafts = []
    for i in range(4):
        talent = make_talent(name=f"员工{i}", organization_uscc=org.uscc)
        application = create(employer_user, way="employer", category="C", talent_id=talent.pk,
                             annual_salary="800000", annual_tax="150000")
        attach_all(employer_user, application)
        drafts.append(application)
    outcomes = _race([
        (lambda a=a: services.application_submit(actor=employer_user, application_id=a.pk)) for a in drafts
    ])
    assert outcomes == ["done", "quota_exhausted", "quota_exhausted", "quota_exhausted"]
    assert EmployerQuota.objects.get(authorization=authorization, category="C").used == 1
    assert Recognition.objects.count() == 1


def test_a_new_version_of_the_standard_leaves_decided_applications_alone(talent_user, heping_staff, admin_user,
                                                                           example_standard):
    from rencai.recognition.models import Standard, StandardItem

    application = services.application_accept(actor=heping_staff, application_id=submitted(talent_user).pk)
    with pytest.raises(PermissionDenied):
        services.standard_copy(actor=heping_staff, standard_id=example_standard.pk)
    copy = services.standard_copy(actor=admin_user, standard_id=example_standard.pk)
    assert copy.valid_from == dt.date.today() + dt.timedelta(days=1)
    assert copy.items.count() == example_standard.items.count() == 18
    assert copy.evidence.count() == example_standard.evidence.count()
    assert {r.category: r.review_threshold for r in copy.rules.all()} == {"A": 90, "B": 85, "C": 80, "D": 75}
    StandardItem.objects.filter(standard=copy, code="C03").update(title="已修改")
    assert selectors.standard_in_force() == example_standard  # the copy starts tomorrow
    assert selectors.standard_in_force(on=copy.valid_from) == copy
    application.refresh_from_db()
    assert application.recognition.item_title == "享受国务院政府特殊津贴专家"
    assert Standard.objects.count() == 2


def test_the_daily_command_ends_expired_categories(talent_user, heping_staff, capsys):
    from django.core.management import CommandError, call_command

    application = services.application_accept(actor=heping_staff, application_id=submitted(talent_user).pk)
    day_after = application.recognition.valid_until + dt.timedelta(days=1)
    call_command("recognition_expire", on=day_after.isoformat())
    assert "已更新 1 名人才" in capsys.readouterr().out
    assert Talent.objects.get(user=talent_user).talent_category == ""
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("recognition_expire", on="明天")


def test_administrators_edit_the_standard_in_the_admin_site(client, admin_user, example_standard):
    from rencai.recognition.models import Standard, StandardItem

    client.force_login(admin_user)
    assert client.get(f"/admin/recognition/standard/{example_standard.pk}/change/").status_code == 200
    item = StandardItem.objects.get(standard=example_standard, code="C03")
    assert client.get(f"/admin/recognition/standarditem/{item.pk}/change/").status_code == 200
    for page in ("reviews/expert", "recognition/employerauthorization", "recognition/application",
                 "recognition/recognition"):  # the expert pool is the reviews app's
        assert client.get(f"/admin/{page}/").status_code == 200
    response = client.post("/admin/recognition/standard/", {"action": "copy_as_new_version",
                                                             "_selected_action": [example_standard.pk]})
    assert response.status_code == 302 and Standard.objects.count() == 2
