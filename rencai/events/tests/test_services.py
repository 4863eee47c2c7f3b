"""对接活动's services: registration with capacity, deadline and duplicates enforced (nothing written when
refused), check-in once with its follow-up, walk-ins, and the follow-up's acts and scope."""

import datetime as dt

import pytest
from django.utils import timezone

from rencai.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from rencai.events import selectors, services
from rencai.events.models import Event, FollowUp, FollowUpNote, Registration
from rencai.workdays import add_working_days

pytestmark = pytest.mark.django_db


def test_event_create_reports_every_problem_in_chinese_and_writes_nothing(heping_staff, leader):
    with pytest.raises(ValidationFailed) as refused:
        services.event_create(actor=heping_staff, data={
            "kind": "派对", "title": "", "district": "210112", "starts_at": "2027-01-02 09:00",
            "ends_at": "2027-01-01 09:00", "registration_deadline": "明天", "capacity": "0"})
    fields = {e.field for e in refused.value.errors}
    assert fields == {"kind", "title", "venue", "district", "ends_at", "registration_deadline", "capacity"}
    assert "活动类型" in refused.value.message and "名额" in refused.value.message
    assert Event.objects.count() == 0
    with pytest.raises(PermissionDenied):
        services.event_create(actor=leader, data={})


def test_talent_registers_once_and_capacity_and_deadline_hold(make_event, make_talent_user, employer):
    event = make_event(capacity=3)
    first = make_talent_user("t1")
    registration = services.registration_create(actor=first, event_id=event.pk)
    assert registration.talent.user == first and registration.attendees == 1 and len(registration.token) >= 32
    with pytest.raises(Conflict, match="不能重复报名"):
        services.registration_create(actor=first, event_id=event.pk)
    with pytest.raises(Conflict, match="仅剩2个名额"):
        services.registration_create(actor=employer, event_id=event.pk, attendees="3")
    with pytest.raises(ValidationFailed, match="参会人数"):
        services.registration_create(actor=employer, event_id=event.pk, attendees="很多")
    services.registration_create(actor=employer, event_id=event.pk, attendees="2")
    with pytest.raises(Conflict, match="名额已满"):
        services.registration_create(actor=make_talent_user("t2"), event_id=event.pk)
    assert Registration.objects.count() == 2 and services.seats_taken(event) == 3
    Event.objects.filter(pk=event.pk).update(capacity=10, registration_deadline=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(Conflict, match="报名已截止"):
        services.registration_create(actor=make_talent_user("t3"), event_id=event.pk)
    assert Registration.objects.count() == 2


def test_staff_cannot_register_and_unknown_event_is_404(make_event, heping_staff, talent_user):
    event = make_event()
    with pytest.raises(PermissionDenied):
        services.registration_create(actor=heping_staff, event_id=event.pk)
    with pytest.raises(NotFound):
        services.registration_create(actor=talent_user, event_id=event.pk + 99)


def test_checkin_once_opens_a_follow_up_for_the_events_creator(make_event, talent_user, heping_staff,
                                                              hunnan_staff, employer):
    event = make_event()
    registration = services.registration_create(actor=talent_user, event_id=event.pk)
    with pytest.raises(PermissionDenied):
        services.checkin_record(actor=hunnan_staff, token=registration.token)
    with pytest.raises(NotFound):
        services.checkin_record(actor=heping_staff, token="not-a-token")
    checked, now = services.checkin_record(actor=heping_staff, token=registration.token)
    assert now and checked.checked_in_at is not None and checked.checked_in_by == heping_staff
    again, now = services.checkin_record(actor=heping_staff, token=registration.token)
    assert not now and again.checked_in_at == checked.checked_in_at
    follow_up = FollowUp.objects.get()
    assert (follow_up.talent_id, follow_up.owner, follow_up.status) == (registration.talent_id, heping_staff, "open")
    assert follow_up.due_on == add_working_days(timezone.localdate(), services.FOLLOW_UP_DAYS)
    assert list(follow_up.notes.values_list("action", flat=True)) == ["create"]
    company = services.registration_create(actor=employer, event_id=event.pk, attendees=2)
    services.checkin_record(actor=heping_staff, token=company.token)
    assert FollowUp.objects.count() == 1  # an employer's attendance is no talent to follow


def test_walk_in_is_attended_and_followed_and_limited_to_the_jurisdiction(make_event, make_talent, heping_staff):
    event = make_event()
    met = make_talent(name="现场甲")
    elsewhere = make_talent(name="浑南乙", district="浑南区")
    registration = services.walk_in_record(actor=heping_staff, event_id=event.pk, talent_id=met.pk)
    assert registration.walk_in and registration.checked_in_at and FollowUp.objects.filter(talent=met).exists()
    assert services.walk_in_record(actor=heping_staff, event_id=event.pk, talent_id=met.pk) == registration
    with pytest.raises(ValidationFailed, match="管辖范围"):
        services.walk_in_record(actor=heping_staff, event_id=event.pk, talent_id=elsewhere.pk)
    assert services.seats_taken(event) == 0  # a walk-in takes no registration seat


def _follow_up(make_event, make_talent, heping_staff, **talent):
    event = make_event()
    services.walk_in_record(actor=heping_staff, event_id=event.pk, talent_id=make_talent(**talent).pk)
    return FollowUp.objects.get()


def test_follow_up_note_reassign_close_with_history(make_event, make_talent, heping_staff, city_staff,
                                                   hunnan_staff):
    follow_up = _follow_up(make_event, make_talent, heping_staff, name="跟踪丙")
    due = add_working_days(timezone.localdate(), 10)
    services.followup_act(actor=heping_staff, followup_id=follow_up.pk, action="note", version=1,
                          text="电话联系，有意向到园区企业就业", next_step="推荐岗位", due_on=due.isoformat())
    with pytest.raises(Conflict, match="刚刚已被他人处理"):
        services.followup_act(actor=heping_staff, followup_id=follow_up.pk, action="note", version=1, text="再次")
    with pytest.raises(ValidationFailed, match="须管辖"):
        services.followup_act(actor=heping_staff, followup_id=follow_up.pk, action="reassign",
                              owner_id=hunnan_staff.pk)
    services.followup_act(actor=heping_staff, followup_id=follow_up.pk, action="reassign", owner_id=city_staff.pk)
    with pytest.raises(ValidationFailed, match="跟踪结果"):
        services.followup_act(actor=city_staff, followup_id=follow_up.pk, action="close", text=" ")
    services.followup_act(actor=city_staff, followup_id=follow_up.pk, action="close", text="已入职某公司")
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.outcome, follow_up.owner, follow_up.next_step, follow_up.due_on,
            follow_up.version) == ("closed", "已入职某公司", city_staff, "推荐岗位", due, 4)
    assert list(FollowUpNote.objects.filter(follow_up=follow_up).values_list("action", flat=True)) == [
        "create", "note", "reassign", "close"]
    with pytest.raises(Conflict, match="已结束"):
        services.followup_act(actor=city_staff, followup_id=follow_up.pk, action="note", text="补记")


def test_follow_ups_follow_the_talents_current_district(make_event, make_talent, heping_staff, hunnan_staff,
                                                       admin_user):
    from rencai.talents.services import talent_update

    follow_up = _follow_up(make_event, make_talent, heping_staff, name="迁移丁")
    assert list(selectors.followup_list(user=heping_staff)) == [follow_up]
    talent_update(actor=admin_user, talent_id=follow_up.talent_id, changes={"district": "浑南区"})
    assert list(selectors.followup_list(user=heping_staff, scope="all")) == []
    assert list(selectors.followup_list(user=hunnan_staff, scope="all")) == [follow_up]
    with pytest.raises(NotFound):
        services.followup_act(actor=heping_staff, followup_id=follow_up.pk, action="note", text="还在吗")


def test_due_labels_put_overdue_first(make_event, make_talent, heping_staff):
    follow_up = _follow_up(make_event, make_talent, heping_staff, name="期限戊")
    today = timezone.localdate()
    follow_up.due_on = today - dt.timedelta(days=1)
    assert selectors.due_label(follow_up, today) == "已逾期"
    follow_up.due_on = today + dt.timedelta(days=2)
    assert selectors.due_label(follow_up, today) == "即将到期"
    follow_up.due_on = today + dt.timedelta(days=20)
    assert selectors.due_label(follow_up, today) == ""


def test_a_talent_from_another_district_is_followed_by_their_own_district(make_event, make_talent_user,
                                                                          heping_staff, hunnan_staff):
    from rencai.talents.models import Talent

    event = make_event()
    visitor = make_talent_user("visitor", district="浑南区")
    registration = services.registration_create(actor=visitor, event_id=event.pk)
    services.checkin_record(actor=heping_staff, token=registration.token)
    follow_up = FollowUp.objects.get()
    assert follow_up.owner == hunnan_staff and follow_up.talent == Talent.objects.get(user=visitor)
    assert list(selectors.followup_list(user=hunnan_staff)) == [follow_up]
