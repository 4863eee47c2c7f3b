"""The demo's jobs and 见习 positions (`rencai demo`): about thirty published over the city's enterprises (some
定向 for returnees), the demo employer's own (a published 定向岗位 and 见习 position, one waiting for review, one
returned), a few others waiting for the district's review, and applications in several states — the demo talent's
two, registry returnees' to the demo employer, one of them hired (the registry follows) and a 见习 ended and
retained. Positions the office collected from other employers at its fairs are entered by city staff. Deterministic
for the registry it runs on (organizations and talents by id) and the day it runs; safe to run twice."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

JOB_KINDS = ("job", "internship")
DEMO_AUTHORS = ("employer", "city_staff")
# (title, kind, industry, majors, degree_min, salary_min, salary_max, targeted, overseas)
POSITIONS = [
    ("机器人运动控制算法工程师", "job", "robotics", "自动化、控制科学与工程", "master", 15000, 25000, True, True),
    ("集成电路设计工程师", "job", "ic", "微电子、电子科学与技术", "master", 18000, 30000, True, True),
    ("航空发动机结构设计工程师", "job", "aviation", "航空宇航、机械工程", "master", 14000, 22000, False, False),
    ("智能传感器研发工程师", "job", "sensors", "仪器科学、电子信息", "bachelor", 10000, 16000, False, False),
    ("新能源汽车电控工程师", "job", "automotive", "电气工程、车辆工程", "bachelor", 11000, 18000, False, False),
    ("生物药物研发科学家", "job", "biomedicine", "药学、生物化学", "doctor", 20000, 35000, True, True),
    ("高分子材料研究员", "job", "new_materials", "材料科学与工程、高分子化学", "doctor", 16000, 26000, True, False),
    ("数据科学家", "job", "digital", "统计学、计算机科学", "master", 16000, 28000, True, True),
    ("工业软件架构师", "job", "digital", "软件工程、计算机科学", "master", 18000, 30000, False, True),
    ("数控机床应用工程师", "job", "machinery", "机械工程、机械电子", "bachelor", 8000, 13000, False, False),
    ("石化工艺工程师", "job", "petrochemical", "化学工程与工艺", "bachelor", 9000, 14000, False, False),
    ("临床研究医师", "job", "health", "临床医学", "doctor", 15000, 24000, True, True),
    ("国际业务经理", "job", "services", "国际贸易、工商管理", "master", 12000, 20000, True, True),
    ("芯片封装测试工程师", "job", "ic", "材料物理、微电子", "bachelor", 10000, 15000, False, False),
    ("机器视觉工程师", "job", "robotics", "计算机视觉、模式识别", "master", 15000, 24000, True, True),
    ("汽车轻量化材料工程师", "job", "automotive", "材料成型、材料科学", "master", 12000, 19000, False, False),
    ("医疗器械注册专员", "job", "biomedicine", "生物医学工程、药事管理", "bachelor", 8000, 12000, False, False),
    ("飞控系统软件工程师", "job", "aviation", "控制工程、软件工程", "master", 15000, 23000, False, True),
    ("人工智能算法研究员", "job", "digital", "人工智能、应用数学", "doctor", 25000, 40000, True, True),
    ("智能制造项目经理", "job", "machinery", "工业工程、机械工程", "bachelor", 12000, 18000, False, False),
    ("研发助理（见习）", "internship", "robotics", "机械、自动化", "bachelor", 3500, 4500, False, False),
    ("数据分析见习生", "internship", "digital", "统计学、数学", "bachelor", 3500, 4500, False, False),
    ("药物分析见习生", "internship", "biomedicine", "药学、分析化学", "bachelor", 3000, 4000, False, False),
    ("集成电路测试见习生", "internship", "ic", "电子信息、微电子", "junior_college", 3000, 4000, False, False),
    ("新材料检测见习生", "internship", "new_materials", "材料、化学", "bachelor", 3200, 4200, False, False),
    ("外贸业务见习生", "internship", "services", "外语、国际贸易", "bachelor", 3000, 4000, False, False),
    ("汽车测试见习生", "internship", "automotive", "车辆工程", "junior_college", 3200, 4000, False, False),
    ("航空制造工艺见习生", "internship", "aviation", "飞行器制造", "bachelor", 3500, 4500, False, False),
]
PENDING = [("嵌入式软件工程师", "job", "sensors", "嵌入式系统、电子信息", "bachelor", 11000, 17000, False, False),
           ("海外市场拓展经理", "job", "services", "国际贸易、外语", "master", 13000, 22000, True, True)]


def jobs_demo_clear() -> None:
    """The demo's jobs and 见习 positions and their applications (before talents and organizations go)."""
    from rencai.talents.models import TalentChange

    from .models import Application, ApplicationStep, Opportunity

    ours = Opportunity.objects.filter(kind__in=JOB_KINDS, created_by__username__in=DEMO_AUTHORS)
    ApplicationStep.objects.filter(application__opportunity__in=ours).delete()
    Application.objects.filter(opportunity__in=ours).delete()
    ours.delete()
    # A demo hire's registry change names the hiring HR; the reset deletes that account right after.
    TalentChange.objects.filter(actor__username__in=DEMO_AUTHORS).delete()


def _fields(row, today: dt.date, n: int) -> dict:
    title, kind, industry, majors, degree, low, high, targeted, overseas = row
    return {"kind": kind, "title": title, "industry": industry, "majors": majors, "degree_min": degree,
            "salary_min": str(low), "salary_max": str(high), "targeted_returnee": "1" if targeted else "",
            "overseas_wanted": "1" if overseas else "", "positions": str(1 + n % 4),
            "closes_on": (today + dt.timedelta(days=20 + (n * 7) % 70)).isoformat(),
            "description": f"{title}：负责本岗位相关的研发与实施工作。要求{majors}等相关专业，"
                           f"有团队合作精神{'，有海外学习或工作经历者优先' if overseas else ''}。"}


@transaction.atomic
def jobs_demo_load() -> int:
    """How many opportunities were made (0 when the demo's exist, or the demo's accounts do not)."""
    from rencai.accounts.models import User
    from rencai.organizations.models import Organization
    from rencai.talents.models import Talent

    from . import services
    from .models import Application, ApplicationStep, Opportunity

    users = {u.username: u for u in User.objects.filter(username__in=("employer", "city_staff", "heping_staff",
                                                                     "talent"))}
    employer, city, heping = users.get("employer"), users.get("city_staff"), users.get("heping_staff")
    if not (employer and city and heping and employer.organization_id):
        return 0
    if Opportunity.objects.filter(kind__in=JOB_KINDS, created_by__username__in=DEMO_AUTHORS).exists():
        return 0
    today, now = timezone.localdate(), timezone.now()
    others = list(Organization.objects.filter(kind="enterprise", district__code__startswith="2101")
                  .exclude(pk=employer.organization_id).order_by("pk")[:14])
    made = []

    # The demo employer's own, through the services as its HR and 和平区's staff would.
    own = [services.opportunity_create(employer, _fields(POSITIONS[0], today, 0)),
           services.opportunity_create(employer, _fields(POSITIONS[20], today, 1))]
    for opportunity in own:
        services.opportunity_transition(employer, opportunity.pk, "pending")
        services.opportunity_transition(heping, opportunity.pk, "published")
    waiting = services.opportunity_create(employer, _fields(POSITIONS[14], today, 2))
    services.opportunity_transition(employer, waiting.pk, "pending")
    returned = services.opportunity_create(employer, _fields(POSITIONS[9], today, 3))
    services.opportunity_transition(employer, returned.pk, "pending")
    services.opportunity_transition(heping, returned.pk, "returned", reason="请写明月薪区间是否含绩效，补充工作地点")
    made += [*own, waiting, returned]

    # Positions collected from the city's enterprises, entered and published by city staff.
    rows = []
    for n, row in enumerate(POSITIONS[1:20] + POSITIONS[21:], start=4):
        if not others:
            break
        organization = others[n % len(others)]
        values = services.opportunity_input_validate(city, row[1], _fields(row, today, n), organization=organization)
        values["district"] = organization.district
        rows.append(Opportunity(kind=row[1], organization=organization, created_by=city, status="published",
                                published_at=now - dt.timedelta(days=(n * 3) % 40), reviewed_by=city,
                                reviewed_at=now - dt.timedelta(days=(n * 3) % 40), **values))
    for n, row in enumerate(PENDING):
        heping_orgs = [o for o in others if o.district_id == "210102"] or others[:1]
        if heping_orgs:
            organization = heping_orgs[n % len(heping_orgs)]
            values = services.opportunity_input_validate(city, row[1], _fields(row, today, n),
                                                         organization=organization)
            values["district"] = organization.district
            rows.append(Opportunity(kind=row[1], organization=organization, created_by=city, status="pending",
                                        **values))
    made += Opportunity.objects.bulk_create(rows)

    # Applications: the demo talent's two; registry returnees' to the demo employer's 定向岗位 and 见习 position.
    talent_user = users.get("talent")
    me = Talent.objects.filter(user=talent_user).first() if talent_user is not None else None
    if me is not None:
        fits = [o for o in [Opportunity.objects.get(pk=own[0].pk), *rows] if o.status == "published" and o.kind == "job"
                and (me.returnee or not o.targeted_returnee)][:2]
        for n, opportunity in enumerate(fits):
            application = services.application_apply(talent_user, opportunity.pk,
                                                     "在海外从事机器人研究五年，希望回沈阳发展。" if n == 0 else "")
            if opportunity.organization_id == employer.organization_id:
                services.application_transition(employer, application.pk, "interview",
                                                note="下周三上午10点，公司三楼会议室")
    returnees = list(Talent.objects.filter(returnee=True, user__isnull=True).exclude(
        organization_id=employer.organization_id).order_by("pk")[:5])
    plans = [(own[0], ["interview", "offer"]), (own[0], ["declined"]), (own[1], ["interview", "offer", "hired"]),
             (own[1], []), (own[0], [])]
    for talent, (opportunity, moves) in zip(returnees, plans, strict=False):
        application = Application.objects.create(opportunity=opportunity, talent=talent, created_by=city,
                                                 cover_note="在归国人才专题对接活动现场登记求职意向。")
        ApplicationStep.objects.create(application=application, to_state="received", actor=city,
                                       note="对接活动现场登记")
        for target in moves:
            services.application_transition(employer, application.pk, target)
        if moves and moves[-1] == "hired":
            services.internship_end(employer, application.pk, today, True)
    return len(made)
