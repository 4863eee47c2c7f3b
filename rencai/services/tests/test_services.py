"""Service requests (一件事): eligibility, parallel parts at their departments, one state machine, conflicts,
escalation by the daily check, specialists (balanced, reassigned, messaged) and what 好差评 reads."""

import datetime as dt

import pytest
from django.core.management import call_command

from rencai.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from rencai.notifications.models import Notification
from rencai.services import selectors, services
from rencai.services.enums import Escalation, PartAction, PartStatus, RequestStatus
from rencai.services.models import AssignmentChange, Message, RequestPart, Specialist, SpecialistAssignment

from .conftest import set_category

BUNDLE = "sy-come-to-shenyang"


def _bundle(talent_user, talent, **kwargs):
    return services.request_create(actor=talent_user, talent_id=talent.pk, bundle_key=BUNDLE, **kwargs)


def _part(request, key):
    return request.parts.get(service_item__key=key)


def test_an_item_the_talent_may_not_request_says_why(catalog, talent_user, talent):
    set_category(talent, "D")
    with pytest.raises(ValidationFailed) as refused:
        services.request_create(actor=talent_user, talent_id=talent.pk, item_keys=["ln-child-schooling"])
    assert refused.value.status == 422
    assert "须为A、B、C类人才（您D类人才）" in refused.value.message
    assert not RequestPart.objects.exists()
    # Nantong's youth station: another city's item.
    with pytest.raises(ValidationFailed) as elsewhere:
        services.request_create(actor=talent_user, talent_id=talent.pk, item_keys=["nt-youth-station"])
    assert "南通市" in elsewhere.value.message


def test_a_bundle_goes_to_its_departments_in_parallel_and_is_done_when_all_are(catalog, officers, talent_user,
                                                                               talent):
    set_category(talent, "B")
    request = _bundle(talent_user, talent)
    parts = {p.service_item.key: p for p in request.parts.select_related("service_item")}
    assert {p.department for p in parts.values()} == {"人力资源和社会保障局", "住房", "教育局", "公安局"}
    assert all(p.status == PartStatus.WAITING for p in parts.values())
    assert "兴辽英才计划" in parts["ln-child-schooling"].treatment  # B: the level's treatment, frozen
    assert "3000元" in parts["sy-talent-apartment"].treatment
    # 即时办理: due the day it was routed; the office set no limit for the others (none given by a document).
    assert parts["sy-talent-recognition"].promised_due == parts["sy-talent-recognition"].started_on
    assert parts["ln-settlement"].promised_due is None
    # Each department was told of its part only.
    assert Notification.objects.filter(recipient=officers["education"], kind="services_part").count() == 1
    assert Notification.objects.filter(recipient=officers["police"], kind="services_part").count() == 1
    for key, officer in (("sy-talent-recognition", "hr"), ("sy-talent-apartment", "housing"),
                         ("ln-child-schooling", "education"), ("ln-settlement", "police")):
        part = parts[key]
        services.part_transition(actor=officers[officer], part_id=part.pk, action=PartAction.ASSIGN)
        services.part_transition(actor=officers[officer], part_id=part.pk, action=PartAction.COMPLETE,
                                 note=f"{part.title}已办好")
        request.refresh_from_db()
        assert request.status == (RequestStatus.DONE if key == "ln-settlement" else RequestStatus.OPEN)
    assert request.finished_at is not None
    finished = selectors.request_finished([request.pk])[request.pk]
    assert finished["finished"] and finished["person_id"] == officers["police"].pk
    assert selectors.requests_of_talent(talent.pk) == [request.pk]
    assert Notification.objects.filter(recipient=talent_user, key=f"services:{request.pk}:finished").exists()


def test_another_department_may_not_act_and_is_logged(catalog, officers, talent_user, talent):
    from rencai.audit.models import AuditEvent

    set_category(talent, "C")
    request = _bundle(talent_user, talent)
    schooling = _part(request, "ln-child-schooling")
    with pytest.raises(PermissionDenied):
        services.part_transition(actor=officers["police"], part_id=schooling.pk, action=PartAction.ASSIGN)
    assert AuditEvent.objects.filter(action="denied", actor=officers["police"]).exists()
    with pytest.raises(PermissionDenied):  # the talent cannot close their own part
        services.part_transition(actor=talent_user, part_id=schooling.pk, action=PartAction.COMPLETE, note="x")


def test_two_officers_at_once_one_wins_the_other_gets_409(catalog, officers, talent_user, talent):
    set_category(talent, "A")
    request = _bundle(talent_user, talent)
    part = _part(request, "ln-child-schooling")
    shown = part.version  # both officers opened the page at this version
    services.part_transition(actor=officers["education"], part_id=part.pk, action=PartAction.ASSIGN, version=shown)
    with pytest.raises(Conflict) as conflict:
        services.part_transition(actor=officers["education2"], part_id=part.pk, action=PartAction.ASSIGN,
                                 version=shown)
    assert conflict.value.status == 409
    part.refresh_from_db()
    assert part.handled_by == officers["education"]
    # Completing without an outcome names the field; closing twice is a 409.
    with pytest.raises(ValidationFailed) as empty:
        services.part_transition(actor=officers["education"], part_id=part.pk, action=PartAction.COMPLETE)
    assert "办理结果" in empty.value.message
    services.part_transition(actor=officers["education"], part_id=part.pk, action=PartAction.COMPLETE,
                             note="已安排至和平区第一小学")
    with pytest.raises(Conflict):
        services.part_transition(actor=officers["education"], part_id=part.pk, action=PartAction.DECLINE, note="x")


def test_the_same_item_twice_while_under_way_is_a_409(catalog, talent_user, talent):
    set_category(talent, "B")
    services.request_create(actor=talent_user, talent_id=talent.pk, item_keys=["ln-settlement"])
    with pytest.raises(Conflict) as again:
        _bundle(talent_user, talent)
    assert "落户" in again.value.message
    assert RequestPart.objects.count() == 1


def test_a_stranger_may_not_request_for_a_talent(catalog, make_user, talent):
    from rencai.accounts.enums import Role

    other = make_user("other_talent", Role.TALENT)
    with pytest.raises(PermissionDenied):
        services.request_create(actor=other, talent_id=talent.pk, item_keys=["ln-settlement"])


def test_the_daily_check_escalates_at_risk_and_breached_once(catalog, officers, talent_user, talent, monkeypatch):
    from rencai.services.models import ServiceItem
    from rencai.workdays.services import add_working_days

    set_category(talent, "B")
    ServiceItem.objects.filter(key="ln-settlement").update(deadline_days=3, deadline_set_by_office=True)
    request = services.request_create(actor=talent_user, talent_id=talent.pk, item_keys=["ln-settlement"])
    part = request.parts.get()
    assert part.promised_due == add_working_days(part.started_on, 3)
    assert services.deadlines_check(on=part.started_on)["at_risk"] == 0
    risk_day = part.at_risk_on
    assert services.deadlines_check(on=risk_day)["at_risk"] == 1
    assert services.deadlines_check(on=risk_day)["at_risk"] == 0  # once
    part.refresh_from_db()
    assert part.escalation == Escalation.AT_RISK and part.status == PartStatus.WAITING
    assert Notification.objects.filter(recipient=officers["supervisor"], kind="services_escalation").count() == 1
    late = part.promised_due + dt.timedelta(days=1)
    assert services.deadlines_check(on=late)["breached"] == 1
    assert services.deadlines_check(on=late)["breached"] == 0
    part.refresh_from_db()
    assert part.escalation == Escalation.BREACHED
    assert [p.pk for p in selectors.escalations(user=officers["supervisor"])] == [part.pk]
    with pytest.raises(PermissionDenied):
        selectors.escalations(user=officers["police"])
    # The worker's schedule runs it daily (the status flips without anyone opening the case).
    from rencai.jobs.jobs import ALLOWED_COMMANDS
    from rencai.jobs.schedule import SCHEDULE

    assert any(e.command == "services_check" and e.every == "day" for e in SCHEDULE)
    assert "services_check" in ALLOWED_COMMANDS


def test_the_command_escalates_a_breached_part(catalog, officers, talent_user, talent):
    set_category(talent, "B")
    request = services.request_create(actor=talent_user, talent_id=talent.pk, item_keys=["sy-talent-recognition"])
    part = request.parts.get()
    RequestPart.objects.filter(pk=part.pk).update(started_on=part.started_on - dt.timedelta(days=10),
                                                  promised_due=part.promised_due - dt.timedelta(days=9),
                                                  at_risk_on=part.started_on - dt.timedelta(days=10))
    call_command("services_check", stdout=open("/dev/null", "w"))
    part.refresh_from_db()
    assert part.escalation == Escalation.BREACHED


def _specialist(make_officer, name, region="210100"):
    user = make_officer(name, "沈阳市就业和人才服务中心" if region == "210100" else "和平区人才服务中心", region)
    return Specialist.objects.create(user=user)


def test_specialists_are_assigned_balanced_and_once(db, make_officer, make_talent):
    first, second = _specialist(make_officer, "sp1"), _specialist(make_officer, "sp2")
    talents = [set_category(make_talent(name=f"高层{i}"), "ABC"[i % 3]) for i in range(5)]
    set_category(make_talent(name="拔尖"), "D")
    assert services.specialists_assign() == 5
    assert services.specialists_assign() == 0
    loads = sorted(SpecialistAssignment.objects.filter(specialist=s).count() for s in (first, second))
    assert loads == [2, 3]
    assert not SpecialistAssignment.objects.exclude(talent__in=talents).exists()
    # A third specialist gets the next ones.
    third = _specialist(make_officer, "sp3")
    set_category(make_talent(name="新认定"), "C")
    services.specialists_assign()
    assert SpecialistAssignment.objects.filter(specialist=third).count() == 1


def test_a_district_specialist_serves_only_their_district(db, make_officer, make_talent):
    heping = _specialist(make_officer, "sp_heping", "210102")
    there = set_category(make_talent(name="和平人才"), "B")
    elsewhere = set_category(make_talent(name="浑南人才", district="浑南区"), "B")
    services.specialists_assign()
    assert SpecialistAssignment.objects.get(talent=there).specialist == heping
    assert not SpecialistAssignment.objects.filter(talent=elsewhere).exists()


def test_recognition_as_high_level_assigns_a_specialist(db, make_officer, make_talent,
                                                       django_capture_on_commit_callbacks):
    from rencai.recognition.services import talent_category_sync

    _specialist(make_officer, "sp1")
    talent = make_talent(name="刚认定")
    with django_capture_on_commit_callbacks(execute=True):
        talent_category_sync(talent=talent)  # nothing held: no change, no specialist
    assert not SpecialistAssignment.objects.exists()
    from unittest import mock

    with mock.patch("rencai.recognition.selectors.category_held", return_value=("B", dt.date.today())), \
            django_capture_on_commit_callbacks(execute=True):
        assert talent_category_sync(talent=talent)
    assert SpecialistAssignment.objects.filter(talent=talent).exists()


def test_a_supervisor_reassigns_with_a_reason(db, make_officer, make_talent, officers):
    first, second = _specialist(make_officer, "sp1"), _specialist(make_officer, "sp2")
    talent = set_category(make_talent(name="调整"), "A")
    services.specialists_assign()
    current = SpecialistAssignment.objects.get(talent=talent).specialist
    other = second if current == first else first
    with pytest.raises(PermissionDenied):
        services.specialist_reassign(actor=officers["police"], talent_id=talent.pk, specialist_id=other.pk,
                                     reason="工作调整")
    with pytest.raises(ValidationFailed) as no_reason:
        services.specialist_reassign(actor=officers["supervisor"], talent_id=talent.pk, specialist_id=other.pk,
                                     reason=" ")
    assert "调整原因" in no_reason.value.message
    services.specialist_reassign(actor=officers["supervisor"], talent_id=talent.pk, specialist_id=other.pk,
                                 reason="工作调整")
    assert SpecialistAssignment.objects.get(talent=talent).specialist == other
    assert AssignmentChange.objects.filter(talent=talent, from_specialist=current, to_specialist=other).exists()
    with pytest.raises(Conflict):
        services.specialist_reassign(actor=officers["supervisor"], talent_id=talent.pk, specialist_id=other.pk,
                                     reason="再次")


def test_talent_and_specialist_message_each_other(db, make_officer, talent_user, talent, make_user):
    from rencai.accounts.enums import Role

    with pytest.raises(Conflict):  # no specialist yet
        services.message_send(actor=talent_user, talent_id=talent.pk, body="您好")
    specialist = _specialist(make_officer, "sp1")
    set_category(talent, "B")
    services.specialists_assign()
    services.message_send(actor=talent_user, talent_id=talent.pk, body="孩子入学的事想咨询")
    assert Notification.objects.filter(recipient=specialist.user, kind="services_message").exists()
    services.message_send(actor=specialist.user, talent_id=talent.pk, body="我明天给您打电话")
    assert Notification.objects.filter(recipient=talent_user, kind="services_message").exists()
    stranger = make_user("stranger", Role.TALENT)
    with pytest.raises(PermissionDenied):
        services.message_send(actor=stranger, talent_id=talent.pk, body="hi")
    with pytest.raises(ValidationFailed) as empty:
        services.message_send(actor=talent_user, talent_id=talent.pk, body="")
    assert "留言内容" in empty.value.message
    assert [m.body for m in selectors.message_thread(talent=talent)] == ["孩子入学的事想咨询", "我明天给您打电话"]
    assert Message.objects.count() == 2


def test_the_specialist_requests_on_behalf_and_sees_everything_on_one_page(db, make_officer, officers, catalog,
                                                                           talent_user, talent):
    specialist = _specialist(make_officer, "sp1")
    set_category(talent, "B")
    services.specialists_assign()
    request = services.request_create(actor=specialist.user, talent_id=talent.pk, item_keys=["ln-settlement"])
    assert request.origin == "specialist"
    overview = selectors.specialist_overview(specialist=specialist)
    assert overview.talent_count == 1 and overview.part_count == 1
    with pytest.raises(NotFound):
        selectors.request_get(user=officers["police"].__class__.objects.get(username="sp1"),
                              request_id=request.pk + 999)


def test_a_cancelled_request_cannot_be_rated(catalog, talent_user, talent):
    set_category(talent, "B")
    request = services.request_create(actor=talent_user, talent_id=talent.pk, item_keys=["ln-settlement"])
    services.part_transition(actor=talent_user, part_id=request.parts.get().pk, action=PartAction.CANCEL)
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED
    row = selectors.request_finished([request.pk])[request.pk]
    assert not row["finished"] and "撤销" in row["reason"]
