"""人才服务 demo data (`rencai demo`): the departments the bundle 我要来沈工作 goes to (教育局, 公安局; 住房 and 人社局
exist), three specialists of 沈阳市就业和人才服务中心 with every A, B, C talent assigned (balanced), city_staff
as the supervisor, the office's example time limits (marked as set by the office), and requests in every state —
new, in progress, done, declined, cancelled, at risk and past their limit (escalated by the daily check) —,
messages between a talent and their specialist. Deterministic for the registry it runs on; does nothing more
once the demo's requests exist (returns the accounts again)."""

import datetime as dt

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import Department, User
from rencai.demo.accounts import DEMO_PASSWORD, demo_password_hash
from rencai.talents.models import Talent

from . import services
from .enums import PartAction
from .models import Message, PartEvent, RequestPart, ServiceItem, ServiceRequest, Specialist

BUNDLE = "sy-come-to-shenyang"
CITY = "210100"
# (user name, department, the person's name, what the account is for)
ACCOUNTS = [
    ("education_staff", "沈阳市教育局", "吴晓梅", "市教育局（子女入学）"),
    ("police_staff", "沈阳市公安局", "郑国强", "市公安局（落户、出入境）"),
    ("specialist1", "沈阳市就业和人才服务中心", "李静怡", "服务专员（高层次人才一对一服务）"),
    ("specialist2", "沈阳市就业和人才服务中心", "马天宇", "服务专员"),
    ("specialist3", "沈阳市就业和人才服务中心", "高雪", "服务专员"),
]
# The office's example time limits (no document gives one): working days, marked as set by the office.
OFFICE_LIMITS = {"ln-settlement": 5, "sy-talent-apartment": 10, "ln-child-schooling": 10, "sy-talent-card": 5}


def _accounts() -> list[tuple[str, str, str]]:
    rows = []
    for username, department_name, name, description in ACCOUNTS:
        department, _ = Department.objects.get_or_create(name=department_name, region_id=CITY)
        user, _ = User.objects.update_or_create(
            username=username, defaults={"role": Role.STAFF, "department": department, "display_name": name})
        user.password = demo_password_hash()
        user.save()
        if username.startswith("specialist"):
            Specialist.objects.get_or_create(user=user)
        rows.append((username, DEMO_PASSWORD, description))
    supervisor = User.objects.filter(username="city_staff").first()
    if supervisor is not None:
        supervisor.user_permissions.add(Permission.objects.get(codename="supervise_services",
                                                               content_type__app_label="services"))
        rows.append(("city_staff", DEMO_PASSWORD, "人才服务督办（即将超期、已超期的事项，服务专员调整）"))
    return rows


def _backdate(request: ServiceRequest, days: int) -> None:
    """Move a request back ``days`` calendar days, its parts' limits recomputed in working days."""
    delta = dt.timedelta(days=days)
    ServiceRequest.objects.filter(pk=request.pk).update(submitted_at=request.submitted_at - delta)
    for part in RequestPart.objects.filter(request=request):
        item = ServiceItem(deadline_days=part.deadline_days)
        start = part.started_on - delta
        due, risk = services._dates(item, start)
        RequestPart.objects.filter(pk=part.pk).update(started_on=start, promised_due=due, at_risk_on=risk)
    for event in PartEvent.objects.filter(part__request=request):
        PartEvent.objects.filter(pk=event.pk).update(at=event.at - delta)


def _close(part: RequestPart, officer: User, outcome: str, *, decline: bool = False) -> None:
    services.part_transition(actor=officer, part_id=part.pk, action=PartAction.ASSIGN)
    services.part_transition(actor=officer, part_id=part.pk, action=PartAction.DECLINE if decline
                             else PartAction.COMPLETE, note=outcome)


OUTCOMES = {
    "sy-talent-recognition": "已认定，人才卡已发放",
    "sy-talent-apartment": "已安排浑南区人才公寓一套，三年内免租，可随时入住",
    "ln-child-schooling": "已根据意愿安排至就近公办小学二年级，开学前由学校联系",
    "ln-settlement": "落户手续已办结，户口簿已寄出",
}


@transaction.atomic
def services_demo_load() -> list[tuple[str, str, str]]:
    rows = _accounts()
    services.catalog_sync()
    for key, days in OFFICE_LIMITS.items():
        ServiceItem.objects.filter(key=key, deadline_days__isnull=True).update(deadline_days=days,
                                                                               deadline_set_by_office=True)
    services.specialists_assign()
    if ServiceRequest.objects.exists() or not Talent.objects.exists():
        return rows
    staff = {u.username: u for u in User.objects.filter(username__in=[
        "city_staff", "housing_staff", "education_staff", "police_staff", "specialist1"])}
    if len(staff) < 5:
        return rows
    officer = {"人力资源和社会保障局": staff["city_staff"], "住房": staff["housing_staff"],
               "教育局": staff["education_staff"], "公安局": staff["police_staff"]}
    high = list(Talent.objects.filter(talent_category__in=("A", "B", "C"), district_id__in=("210102", "210112"),
                                      specialist_assignment__isnull=False).order_by("pk")[:9])
    if len(high) < 9:
        return rows

    def bundle(talent, by):
        return services.request_create(actor=by, talent_id=talent.pk, bundle_key=BUNDLE,
                                       note="今年秋季来沈工作，全家一同迁入")

    by = [Specialist.objects.get(pk=t.specialist_assignment.specialist_id).user for t in high]
    # 1. new today; 2. in progress (two parts done, two at work); 3. done; 4. declined; 5. cancelled;
    # 6. at risk; 7. past the limit; 8. a single item in progress; 9. a single item done.
    bundle(high[0], by[0])
    second = bundle(high[1], by[1])
    _backdate(second, 3)
    parts = list(second.parts.order_by("id"))
    for part in parts[:2]:
        _close(part, officer[part.department], OUTCOMES[part.service_item.key])
    for part in parts[2:]:
        services.part_transition(actor=officer[part.department], part_id=part.pk, action=PartAction.ASSIGN)
    third = bundle(high[2], by[2])
    _backdate(third, 20)
    for part in third.parts.order_by("id"):
        _close(part, officer[part.department], OUTCOMES[part.service_item.key])
    fourth = services.request_create(actor=by[3], talent_id=high[3].pk, item_keys=["ln-child-schooling"])
    _close(fourth.parts.get(), officer["教育局"], "子女年龄不在义务教育阶段（已满16周岁），请咨询高中阶段入学政策",
           decline=True)
    fifth = services.request_create(actor=by[4], talent_id=high[4].pk, item_keys=["sy-talent-card"])
    services.part_transition(actor=by[4], part_id=fifth.parts.get().pk, action=PartAction.CANCEL,
                             note="人才已在原单位办理")
    sixth = services.request_create(actor=by[5], talent_id=high[5].pk, item_keys=["ln-settlement"])
    _backdate(sixth, 6)  # 5 working days: at risk by now or shortly past, the check decides
    seventh = bundle(high[6], by[6])
    _backdate(seventh, 30)
    apartment = seventh.parts.get(service_item__key="sy-talent-apartment")
    services.part_transition(actor=officer["住房"], part_id=apartment.pk, action=PartAction.ASSIGN)
    services.request_create(actor=by[7], talent_id=high[7].pk, item_keys=["sy-vip-lounge"])  # no limit set
    ninth = services.request_create(actor=by[8], talent_id=high[8].pk, item_keys=["ln-settlement"])
    _backdate(ninth, 2)
    _close(ninth.parts.get(), officer["公安局"], OUTCOMES["ln-settlement"])
    own = Talent.objects.filter(user__username="talent").first()
    if own is not None and not services.eligibility(ServiceItem.objects.get(key="ln-settlement"), own):
        mine = services.request_create(actor=own.user, talent_id=own.pk, item_keys=["ln-settlement"],
                                       note="工作已落实，想把户口迁入沈阳")
        services.part_transition(actor=officer["公安局"], part_id=mine.parts.get().pk, action=PartAction.ASSIGN)
    services.deadlines_check()  # the daily check escalates what is at risk or late now
    # A conversation of a talent with their specialist.
    talent = high[0]
    helper = Specialist.objects.get(pk=talent.specialist_assignment.specialist_id).user
    now = timezone.now()
    Message.objects.bulk_create([
        Message(talent=talent, sender=helper, body="您好，我是您的服务专员，“我要来沈工作”已分送各部门同时办理。",
                written_at=now - dt.timedelta(hours=5), read_at=now),
    ])
    return rows


def services_demo_clear() -> None:
    """What refers to talents (``rencai demo --reset``): requests, their parts, assignments and messages."""
    from .models import AssignmentChange, SpecialistAssignment

    RequestPart.objects.all().delete()
    ServiceRequest.objects.all().delete()
    Message.objects.all().delete()
    AssignmentChange.objects.all().delete()
    SpecialistAssignment.objects.all().delete()
