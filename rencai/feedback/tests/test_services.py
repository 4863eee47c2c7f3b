"""政策咨询, 好差评 and 监督反馈: routing, deadlines, refusals, the database guards, the follow-up cycle."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.audit.models import AuditEvent
from rencai.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from rencai.feedback import selectors, services
from rencai.feedback.enums import CaseKind, CaseStatus, ConsultationStatus, DeadlineState, Grade
from rencai.feedback.models import Case, Consultation, Rating
from rencai.notifications.models import Notification
from rencai.workdays import add_working_days

pytestmark = pytest.mark.django_db
RENT = "sy-rent-subsidy"  # housing route: 区人社局审核 first


# -- 政策咨询 -----------------------------------------------------------------------------------------------------


def test_a_question_goes_to_the_department_that_receives_the_policys_applications(talent_user, talent,
                                                                                   heping_staff, hunnan_staff):
    from rencai.fulfilment.routes import policy_setting

    q = services.consultation_ask(actor=talent_user, question="房租补贴每月什么时候发？", policy_id=RENT)
    first = policy_setting(RENT).route[0]
    assert (q.department, q.level) == (first["department"], first["level"])
    assert q.policy_title and q.status == ConsultationStatus.OPEN
    assert q.due_on == add_working_days(timezone.localdate(), services.CONSULTATION_DAYS)
    # 和平区's office (the talent's district) is told and queues it; 浑南区's does not.
    assert Notification.objects.filter(recipient=heping_staff, key=f"feedback-question:{q.pk}").exists()
    assert not Notification.objects.filter(recipient=hunnan_staff).exists()
    assert list(selectors.consultation_queue(user=heping_staff)) == [q]
    assert list(selectors.consultation_queue(user=hunnan_staff)) == []


def test_a_general_question_and_bad_input_name_the_field_and_write_nothing(talent_user, heping_staff):
    general = services.consultation_ask(actor=talent_user, question="高层次人才服务窗口在哪里？")
    assert general.policy == "" and general.department == "人力资源和社会保障局"
    with pytest.raises(ValidationFailed) as failed:
        services.consultation_ask(actor=talent_user, question="  ", policy_id="no-such-policy")
    assert {e.field for e in failed.value.errors} == {"question", "policy"}
    assert "咨询内容" in failed.value.message and "咨询政策" in failed.value.message
    with pytest.raises(ValidationFailed):
        services.consultation_ask(actor=talent_user, question="问" * 1001)
    assert Consultation.objects.count() == 1
    with pytest.raises(PermissionDenied):
        services.consultation_ask(actor=heping_staff, question="代问")


def test_only_the_department_answers_once_and_the_talent_is_told(talent_user, talent, heping_staff, hunnan_staff,
                                                                  city_staff):
    q = services.consultation_ask(actor=talent_user, question="房租补贴需要什么材料？", policy_id=RENT)
    with pytest.raises(NotFound):  # another district: not in its jurisdiction
        services.consultation_transition(actor=hunnan_staff, consultation_id=q.pk, action="answer", answer="x")
    with pytest.raises(PermissionDenied):  # the city office sees the talent but the question is the district's
        services.consultation_transition(actor=city_staff, consultation_id=q.pk, action="answer", answer="x")
    assert AuditEvent.objects.filter(action="denied", actor=city_staff).exists()
    with pytest.raises(ValidationFailed) as failed:
        services.consultation_transition(actor=heping_staff, consultation_id=q.pk, action="answer", answer=" ")
    assert "答复内容" in failed.value.message
    services.consultation_transition(actor=heping_staff, consultation_id=q.pk, action="answer",
                                     answer="劳动合同和租房合同。")
    q.refresh_from_db()
    assert q.status == ConsultationStatus.ANSWERED and q.answered_by == heping_staff
    assert Notification.objects.filter(recipient=talent_user, key=f"feedback-answered:{q.pk}").exists()
    with pytest.raises(Conflict):
        services.consultation_transition(actor=heping_staff, consultation_id=q.pk, action="answer", answer="再答")


@pytest.mark.parametrize("text, kind", [
    ("我的身份证号是210102198506150011，能申请吗", "身份证号码"),
    ("请回电13812345678", "手机号码"),
    ("座机 024-23456789", "电话号码"),
    ("卡号6222 0212 3456 7890 123", "号码"),
    ("护照E12345678过期了", "护照号码"),
    ("邮箱 zhang@example.com", "电子邮箱"),
])
def test_personal_numbers_are_found_and_stripped(text, kind):
    assert kind in services.personal_data_found(text)
    cleaned = services.anonymise(text)
    assert services.personal_data_found(cleaned) == [], cleaned


def test_the_faq_is_published_only_free_of_names_and_numbers(talent_user, talent, heping_staff):
    q = services.consultation_ask(actor=talent_user, question=f"我是{talent.name}，电话13812345678，房租补贴怎么申请？",
                                  policy_id=RENT)
    with pytest.raises(Conflict):  # not answered yet
        services.consultation_transition(actor=heping_staff, consultation_id=q.pk, action="publish",
                                         faq_question="房租补贴怎么申请？", faq_answer="网上申请。")
    services.consultation_transition(actor=heping_staff, consultation_id=q.pk, action="answer",
                                     answer=f"{talent.name}您好：在政策兑现页面申请。")
    with pytest.raises(ValidationFailed) as failed:
        services.consultation_transition(actor=heping_staff, consultation_id=q.pk, action="publish",
                                         faq_question=q.question, faq_answer=f"{talent.name}您好：在政策兑现页面申请。")
    messages = {e.field: e.message for e in failed.value.errors}
    assert "手机号码" in messages["faq_question"] and "姓名" in messages["faq_question"]
    assert "姓名" in messages["faq_answer"]
    assert not selectors.faq_for_policy(RENT).exists()
    suggestion = services.anonymise(q.question, names=services.consultation_names(q))
    assert talent.name not in suggestion and "13812345678" not in suggestion
    services.consultation_transition(actor=heping_staff, consultation_id=q.pk, action="publish",
                                     faq_question=suggestion, faq_answer="在政策兑现页面申请。")
    assert [c.faq_question for c in selectors.faq_for_policy(RENT)] == [suggestion]


# -- 好差评 -----------------------------------------------------------------------------------------------------


def test_an_unfinished_item_is_not_rated(talent_user, talent):
    q = services.consultation_ask(actor=talent_user, question="问题", policy_id=RENT)
    with pytest.raises(Conflict) as refused:
        services.rating_give(actor=talent_user, subject_kind="feedback.consultation", subject_id=q.pk,
                             grade=Grade.SATISFIED)
    assert "尚未答复" in refused.value.message and not Rating.objects.exists()


def test_a_finished_application_is_rated_once_and_bad_input_is_refused(talent_user, talent, rejected, make_user,
                                                                         make_talent):
    application = rejected()
    kind = "fulfilment.application"
    with pytest.raises(ValidationFailed) as failed:
        services.rating_give(actor=talent_user, subject_kind=kind, subject_id=application.pk, grade="great")
    assert "评价等级" in failed.value.message
    with pytest.raises(ValidationFailed) as failed:  # a 差评 needs its reason
        services.rating_give(actor=talent_user, subject_kind=kind, subject_id=application.pk,
                             grade=Grade.DISSATISFIED, comment=" ")
    assert "评价意见" in failed.value.message
    other = make_user("lisi", Role.TALENT)
    stranger = make_talent(name="李四海")
    stranger.user = other
    stranger.save(update_fields=["user"])
    with pytest.raises(NotFound):  # another talent's application
        services.rating_give(actor=other, subject_kind=kind, subject_id=application.pk, grade=Grade.SATISFIED)
    rating = services.rating_give(actor=talent_user, subject_kind=kind, subject_id=application.pk,
                                  grade=Grade.SATISFIED, comment="办得快")
    assert rating.round == 1 and rating.person.username == "heping" and rating.department.name.startswith("和平区")
    with pytest.raises(Conflict) as again:
        services.rating_give(actor=talent_user, subject_kind=kind, subject_id=application.pk,
                             grade=Grade.VERY_SATISFIED)
    assert "已经评价过" in again.value.message
    assert Rating.objects.count() == 1 and not Case.objects.exists()


def test_the_database_refuses_a_second_rating_of_the_same_round(talent_user, talent, rejected):
    application = rejected()
    rating = services.rating_give(actor=talent_user, subject_kind="fulfilment.application",
                                  subject_id=application.pk, grade=Grade.BASIC)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(subject_kind=rating.subject_kind, subject_id=rating.subject_id, round=1,
                              subject_title="x", talent=talent, rater=talent_user, grade=Grade.SATISFIED,
                              created_at=timezone.now())


def test_a_poor_rating_goes_to_a_supervisor_never_the_person_rated_then_may_be_rated_again(
        talent_user, talent, rejected, heping_staff, make_supervisor, city_staff):
    supervisor = make_supervisor("heping_lead")
    application = rejected()
    first = services.rating_give(actor=talent_user, subject_kind="fulfilment.application",
                                 subject_id=application.pk, grade=Grade.DISSATISFIED, comment="理由没讲清楚")
    case = first.case
    assert case.kind == CaseKind.FOLLOW_UP and case.assignee == supervisor and case.about_person == heping_staff
    today = timezone.localdate()
    assert case.callback_due == add_working_days(today, 1) and case.resolve_due == add_working_days(today, 15)
    assert Notification.objects.filter(recipient=supervisor, key=f"feedback-case:{case.pk}").exists()
    with pytest.raises(Conflict) as waiting:  # not again while the case is open
        services.rating_give(actor=talent_user, subject_kind="fulfilment.application", subject_id=application.pk,
                             grade=Grade.SATISFIED)
    assert "回访处理中" in waiting.value.message
    with pytest.raises(NotFound):  # the person rated neither sees nor handles it
        services.case_transition(actor=heping_staff, case_id=case.pk, action="call_back", note="已联系")
    with pytest.raises(Conflict):  # called back before resolved
        services.case_transition(actor=supervisor, case_id=case.pk, action="resolve", note="已整改")
    with pytest.raises(ValidationFailed) as failed:
        services.case_transition(actor=supervisor, case_id=case.pk, action="call_back", note="")
    assert "回访情况" in failed.value.message
    services.case_transition(actor=supervisor, case_id=case.pk, action="call_back", note="已电话联系，说明了原因")
    services.case_transition(actor=supervisor, case_id=case.pk, action="resolve", note="补正后重新提交即可")
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED and [e.action for e in case.events.all()] == [
        "open", "call_back", "resolve"]
    assert Notification.objects.filter(recipient=talent_user, key=f"feedback-resolved:{case.pk}").exists()
    second = services.rating_give(actor=talent_user, subject_kind="fulfilment.application",
                                  subject_id=application.pk, grade=Grade.SATISFIED, comment="解释清楚了")
    assert second.round == 2
    assert list(Rating.objects.filter(subject_id=application.pk).values_list("round", "grade")) == [
        (2, Grade.SATISFIED), (1, Grade.DISSATISFIED)]  # kept beside the first
    with pytest.raises(Conflict):
        services.rating_give(actor=talent_user, subject_kind="fulfilment.application", subject_id=application.pk,
                             grade=Grade.SATISFIED)


def test_without_another_supervisor_the_case_goes_up_then_to_an_administrator(
        talent_user, talent, rejected, heping_staff, make_supervisor, admin_user):
    from django.contrib.auth.models import Permission

    # The person rated is the district's only supervisor: the city's 人社局 supervisor takes it.
    heping_staff.user_permissions.add(Permission.objects.get(codename="supervise"))
    city_lead = make_supervisor("city_lead", "210100")
    application = rejected()
    rating = services.rating_give(actor=talent_user, subject_kind="fulfilment.application",
                                  subject_id=application.pk, grade=Grade.VERY_DISSATISFIED, comment="态度不好")
    assert rating.case.assignee == city_lead and "上级部门" in rating.case.assigned_how
    # A complaint about the city supervisor: nobody above, so an administrator.
    services.case_transition(actor=city_lead, case_id=rating.case.pk, action="call_back", note="已联系")
    from rencai.feedback.supervisors import supervisor_for

    assignee, how = supervisor_for(city_lead.department, concerned=city_lead.pk)
    assert assignee == admin_user and "系统管理员" in how


def test_the_database_never_assigns_a_case_to_the_person_it_is_about(talent_user, talent, make_supervisor):
    supervisor = make_supervisor("lead")
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(kind=CaseKind.COMPLAINT, talent=talent, filed_by=talent_user, about_kind="person",
                            about_person=supervisor, assignee=supervisor, assigned_how="x", text="x",
                            opened_at=timezone.now(), callback_due=timezone.localdate(),
                            resolve_due=timezone.localdate())


# -- 监督反馈 -----------------------------------------------------------------------------------------------------


def test_a_complaint_about_a_supervisor_goes_to_another(talent_user, talent, rejected, heping_staff,
                                                        make_supervisor):
    from django.contrib.auth.models import Permission

    heping_staff.user_permissions.add(Permission.objects.get(codename="supervise"))
    other = make_supervisor("heping_lead2")
    rejected()  # heping_staff decided one of the talent's applications: a person the talent may name
    case = services.complaint_file(actor=talent_user, about_kind="person", person_id=heping_staff.pk,
                                   text="办事拖拉")
    assert case.kind == CaseKind.COMPLAINT and case.assignee == other and case.about_person == heping_staff
    assert case.about_department == heping_staff.department


def test_a_complaint_names_what_is_wrong_and_writes_nothing(talent_user, talent, make_user, make_supervisor):
    make_supervisor("lead")
    stranger = make_user("stranger", Role.STAFF, "210112")
    with pytest.raises(ValidationFailed) as failed:
        services.complaint_file(actor=talent_user, about_kind="person", person_id=stranger.pk, text="")
    fields = {e.field for e in failed.value.errors}
    assert fields == {"about_person", "text"}, fields
    with pytest.raises(ValidationFailed) as failed:
        services.complaint_file(actor=talent_user, about_kind="weather", text="太冷")
    assert "反映对象" in failed.value.message
    assert not Case.objects.exists()
    department = stranger.department
    case = services.complaint_file(actor=talent_user, about_kind="department", department_id=department.pk,
                                   text="电话打不通")
    assert case.about_department == department and case.about_person is None


def test_deadline_state_flips_on_the_daily_check_and_tells_once(talent_user, talent, rejected, make_supervisor,
                                                                monkeypatch):
    supervisor = make_supervisor("lead")
    city_lead = make_supervisor("city_lead", "210100")
    rating = services.rating_give(actor=talent_user, subject_kind="fulfilment.application",
                                  subject_id=rejected().pk, grade=Grade.DISSATISFIED, comment="慢")
    case = rating.case
    assert services.feedback_check()["cases"] == 0  # nothing is late today
    later = case.callback_due + dt.timedelta(days=1)
    monkeypatch.setattr(services, "today", lambda: later)
    assert services.feedback_check()["cases"] == 1
    case.refresh_from_db()
    assert case.deadline_state == DeadlineState.CALLBACK_LATE
    assert Notification.objects.filter(key=f"feedback-case-late:{case.pk}:callback_late",
                                       recipient__in=[supervisor, city_lead]).count() == 2
    assert services.feedback_check()["cases"] == 0  # once
    services.case_transition(actor=supervisor, case_id=case.pk, action="call_back", note="已联系")
    monkeypatch.setattr(services, "today", lambda: case.resolve_due + dt.timedelta(days=1))
    assert services.feedback_check()["cases"] == 1
    case.refresh_from_db()
    assert case.deadline_state == DeadlineState.RESOLVE_LATE


def test_questions_past_their_day_are_reminded_once(talent_user, talent, heping_staff, monkeypatch):
    q = services.consultation_ask(actor=talent_user, question="问题", policy_id=RENT)
    monkeypatch.setattr(services, "today", lambda: q.due_on + dt.timedelta(days=1))
    assert services.feedback_check()["questions"] == 1
    services.feedback_check()
    assert Notification.objects.filter(recipient=heping_staff, key=f"feedback-question-late:{q.pk}").count() == 1


def test_the_check_is_on_the_workers_schedule():
    from rencai.jobs.schedule import SCHEDULE

    assert any(e.command == "feedback_check" and e.every == "day" for e in SCHEDULE)


# -- satisfaction ----------------------------------------------------------------------------------------------


def test_satisfaction_per_department_and_person_within_the_jurisdiction(
        talent_user, talent, rejected, heping_staff, make_supervisor, leader, hunnan_staff, django_assert_num_queries):
    lead = make_supervisor("lead")
    rating = services.rating_give(actor=talent_user, subject_kind="fulfilment.application",
                                  subject_id=rejected().pk, grade=Grade.DISSATISFIED, comment="慢")
    services.case_transition(actor=lead, case_id=rating.case.pk, action="call_back", note="已联系")
    services.case_transition(actor=lead, case_id=rating.case.pk, action="resolve", note="已说明")
    services.rating_give(actor=talent_user, subject_kind="fulfilment.application", subject_id=rating.subject_id,
                         grade=Grade.VERY_SATISFIED)
    services.complaint_file(actor=talent_user, about_kind="person", person_id=heping_staff.pk, text="慢")
    with django_assert_num_queries(4):  # the viewer's jurisdiction (once per request), ratings, complaints, names
        table = selectors.satisfaction(user=leader)
    assert [(r["name"], r["total"], r["satisfied"], r["poor"], r["complaints"], r["rate"]) for r in table] == [
        (heping_staff.department.name, 2, 1, 1, 1, 50.0)]
    people = selectors.satisfaction(user=leader, by="person")
    assert [(r["total"], r["complaints"]) for r in people] == [(2, 1)] and "和平区" in people[0]["name"]
    assert selectors.satisfaction(user=lead)  # the district's supervisor sees the district
    with pytest.raises(PermissionDenied):
        selectors.satisfaction(user=hunnan_staff)  # not a supervisor
    hunnan_lead = make_supervisor("hunnan_lead", "210112")
    assert selectors.satisfaction(user=hunnan_lead) == []  # another district's talents


def test_every_derived_list_follows_the_talents_current_district(talent_user, talent, heping_staff, hunnan_staff,
                                                                 admin_user):
    from rencai.talents.services import talent_update

    services.consultation_ask(actor=talent_user, question="问题", policy_id=RENT)
    assert selectors.consultation_queue(user=heping_staff).count() == 1
    talent_update(actor=admin_user, talent_id=talent.pk, changes={"district": "浑南区"})
    assert selectors.consultation_queue(user=heping_staff).count() == 0
    assert selectors.consultation_queue(user=hunnan_staff).count() == 1


# -- 一件事: the services app's finished requests ------------------------------------------------------------------


def test_a_finished_service_request_is_rated_and_its_poor_rating_goes_to_a_supervise_services_holder(
        talent_user, talent, admin_user):
    """The services app registers through subjects.services_adapter (its selectors' request_finished): a request is
    rated once done; a supervisor holding services.supervise_services in the closing officer's department takes
    the 差评."""
    from django.contrib.auth.models import Permission

    from rencai.accounts.models import Department, User
    from rencai.feedback import subjects
    from rencai.services import services as services_services
    from rencai.services.enums import PartAction
    from rencai.talents.models import Talent

    assert "services.request" in subjects.KINDS
    services_services.catalog_sync()
    Talent.objects.filter(pk=talent.pk).update(talent_category="B")
    police, _ = Department.objects.get_or_create(name="沈阳市公安局", region_id="210100")
    officer = User.objects.create_user(username="police", password="pw-for-tests-123", role=Role.STAFF,
                                       department=police)
    chief = User.objects.create_user(username="police_chief", password="pw-for-tests-123", role=Role.STAFF,
                                     department=police)
    chief.user_permissions.add(Permission.objects.get(codename="supervise_services"))
    request = services_services.request_create(actor=talent_user, talent_id=talent.pk, item_keys=["ln-settlement"])
    with pytest.raises(Conflict):  # not done yet
        services.rating_give(actor=talent_user, subject_kind="services.request", subject_id=request.pk,
                             grade=Grade.SATISFIED)
    part = request.parts.get()
    services_services.part_transition(actor=officer, part_id=part.pk, action=PartAction.ASSIGN)
    services_services.part_transition(actor=officer, part_id=part.pk, action=PartAction.COMPLETE, note="已办好")
    rating = services.rating_give(actor=talent_user, subject_kind="services.request", subject_id=request.pk,
                                  grade=Grade.VERY_DISSATISFIED, comment="跑了三趟")
    assert rating.person == officer and rating.department == police
    assert rating.case.assignee == chief


def test_another_apps_items_are_rateable_through_the_hook(talent_user, talent, monkeypatch):
    """A kind registered by another app is rated like the built-in ones (the generic reference)."""
    from rencai.feedback import subjects

    def load(ids):
        return {pk: subjects.Subject(kind="other.thing", id=pk, talent_id=talent.pk, title="别的事项", finished=pk == 1,
                                     unfinished_reason="未办结", person_id=None, department_id=None, link="/")
                for pk in ids}

    monkeypatch.setitem(subjects.KINDS, "other.thing", subjects.Kind("other.thing", "别的事项", load, lambda t: [1, 2]))
    with pytest.raises(Conflict):
        services.rating_give(actor=talent_user, subject_kind="other.thing", subject_id=2, grade=Grade.SATISFIED)
    assert services.rating_give(actor=talent_user, subject_kind="other.thing", subject_id=1,
                                grade=Grade.SATISFIED).round == 1
    assert {r.subject.id for r in selectors.rateable(user=talent_user) if r.subject.kind == "other.thing"} == {1, 2}
