"""The demo's 对接活动 (`rencai demo`), made through the services as staff and registrants would make them, then
dated: a dozen events over the past year and the coming weeks in 和平区 and 浑南区 (归国人才专题对接活动, a 海外专场
招聘会 online, 创业周, 人才日, 项目路演, 招聘会), registrations of registry talents and of the demo employer,
attendance at the past ones (a walk-in among them), and the follow-ups it opened in several states — closed with
an outcome, open and overdue, due soon, reassigned to the city. The demo talent is registered for an upcoming
event (its QR page); the demo employer for another. Deterministic for the registry it runs on (talents by id)
and the day it runs; safe to run twice (nothing is made when the demo's events exist)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

TITLE_MARK = "（演示）"
# (days from today, kind, title, district, venue or online link, capacity, by)
EVENTS = [
    (-330, "returnee", "春季归国人才专题对接活动", "210102", "和平区人力资源市场三楼", 80, "heping_staff"),
    (-290, "fair", "高校毕业生春季招聘会", "210112", "浑南区人才服务中心", 200, "hunnan_staff"),
    (-250, "overseas", "海外专场招聘会（线上）", "210102", "https://meeting.example.cn/overseas-2026", 150,
     "heping_staff"),
    (-200, "startup_week", "海外学子创业周", "210112", "浑南区科技创新园路演厅", 120, "hunnan_staff"),
    (-160, "roadshow", "新材料项目路演", "210112", "浑南区科技创新园路演厅", 60, "hunnan_staff"),
    (-120, "talent_day", "人才日主题活动", "210102", "和平区文化中心", 300, "heping_staff"),
    (-75, "returnee", "秋季归国人才专题对接活动", "210102", "和平区人力资源市场三楼", 80, "heping_staff"),
    (-30, "fair", "半导体芯片企业专场招聘会", "210112", "浑南区人才服务中心", 100, "hunnan_staff"),
    (-8, "returnee", "归国博士座谈对接会", "210102", "和平区人才驿站", 30, "heping_staff"),
    (12, "returnee", "冬季归国人才专题对接活动", "210112", "浑南区人才服务中心", 80, "hunnan_staff"),
    (20, "online", "留学人员线上政策宣讲", "210102", "https://meeting.example.cn/policy-winter", 500, "heping_staff"),
    (35, "fair", "新春高端人才招聘会", "210102", "和平区人力资源市场一楼", 2, "heping_staff"),
]
PER_PAST_EVENT = 4  # registry talents registered for each past event (most came)


def events_demo_clear() -> None:
    from .models import Event, FollowUp, FollowUpNote, Registration

    events = Event.objects.filter(title__endswith=TITLE_MARK)
    FollowUpNote.objects.filter(follow_up__event__in=events).delete()
    FollowUp.objects.filter(event__in=events).delete()
    Registration.objects.filter(event__in=events).delete()
    events.delete()


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@transaction.atomic
def events_demo_load() -> int:
    """How many events were made (0 when they exist, or the demo's staff do not)."""
    from rencai.accounts.models import User
    from rencai.talents.models import Talent

    from . import services
    from .enums import EventKind
    from .models import Event, Registration

    if Event.objects.filter(title__endswith=TITLE_MARK).exists():
        return 0
    staff = {u.username: u for u in User.objects.filter(username__in=["heping_staff", "hunnan_staff", "city_staff"])}
    if len(staff) < 3:
        return 0
    today = timezone.localdate()
    talents = {code: list(Talent.objects.filter(district_id=code, user__isnull=True).order_by("pk")
                          .values_list("pk", flat=True)[:40]) for code in ("210102", "210112")}
    made = 0
    for n, (days, kind, title, district, place, capacity, by) in enumerate(EVENTS):
        day = today + dt.timedelta(days=days)
        online = place.startswith("https://")
        event = Event.objects.create(
            kind=kind, title=f"{title}{TITLE_MARK}", district_id=district, venue="" if online else place,
            online_link=place if online else "", starts_at=_at(day, 9), ends_at=_at(day, 12), capacity=capacity,
            registration_deadline=_at(day - dt.timedelta(days=1), 18),
            organizer=staff[by].department.name, created_by=staff[by],
            description=f"面向留学回国人员、高校毕业生和用人单位的{EventKind(kind).label}。")
        made += 1
        if days >= 0:
            if capacity <= 2:  # a full one: "名额已满"
                for talent_id in talents[district][-capacity:]:
                    Registration.objects.create(event=event, talent_id=talent_id, token=services._new_token(),
                                                created_by=staff[by])
            continue
        people = talents[district]
        pool = list(dict.fromkeys(people[(n * PER_PAST_EVENT + k) % len(people)]
                                  for k in range(PER_PAST_EVENT))) if people else []
        for i, talent_id in enumerate(pool):
            registration = Registration.objects.create(event=event, talent_id=talent_id, token=services._new_token(),
                                                       created_by=staff[by])
            if i < PER_PAST_EVENT - 1:  # one of each event's registrants did not come
                services.checkin_record(actor=staff[by], token=registration.token)
        Registration.objects.filter(event=event).update(created_at=_at(day - dt.timedelta(days=5), 10))
        Registration.objects.filter(event=event, checked_in_at__isnull=False).update(checked_in_at=_at(day, 9))
    _follow_up_states(staff, today)
    _registrants(today)
    return made


def _follow_up_states(staff: dict, today: dt.date) -> None:
    """Dated as if opened at each event: the older ones closed with an outcome, the recent ones open — overdue,
    due soon — and one reassigned to the city's office."""
    from rencai.workdays import add_working_days

    from .models import FollowUp
    from .services import FOLLOW_UP_DAYS, followup_act

    outcomes = ["已在本市企业就业", "已推荐至园区企业，进入面试", "已申报人才认定", "暂无需求，留存联系方式"]
    for i, follow_up in enumerate(FollowUp.objects.filter(event__title__endswith="（演示）")
                                  .select_related("event", "owner").order_by("event__starts_at", "pk")):
        held = timezone.localtime(follow_up.event.starts_at).date()
        due = add_working_days(held, FOLLOW_UP_DAYS)
        owner = follow_up.owner
        if held < today - dt.timedelta(days=60):
            followup_act(actor=owner, followup_id=follow_up.pk, action="note", text="电话联系，了解就业意向")
            followup_act(actor=owner, followup_id=follow_up.pk, action="close", text=outcomes[i % len(outcomes)])
            FollowUp.objects.filter(pk=follow_up.pk).update(closed_at=_at(held + dt.timedelta(days=12), 16))
        elif i % 3 == 0:
            followup_act(actor=owner, followup_id=follow_up.pk, action="reassign", owner_id=staff["city_staff"].pk,
                         text="涉及市级人才公寓，转市局跟进")
        FollowUp.objects.filter(pk=follow_up.pk).update(due_on=due)  # past due dates stay past: overdue


def _registrants(today: dt.date) -> None:
    """The demo talent registered for the next event (its QR page); the demo employer with three people."""
    from rencai.accounts.models import User

    from .models import Event
    from .services import registration_create

    upcoming = list(Event.objects.filter(title__endswith="（演示）", starts_at__date__gt=today).order_by("starts_at"))
    for username, attendees in (("talent", None), ("employer", 3)):
        user = User.objects.filter(username=username).first()
        if user is not None and upcoming:
            registration_create(actor=user, event_id=upcoming[0].pk, attendees=attendees)
