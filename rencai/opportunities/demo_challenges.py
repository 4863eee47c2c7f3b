"""The demo's 揭榜挂帅 and 项目推介: four challenges in 000's four fields with proposals (the demo talent's one
awarded, so that 我的档案 shows it), fifteen projects and technology results (two awaiting review), enterprises'
interests and two brokered meetings, one with an outcome. Published through services.py as people would;
proposals of talents without an account are written as the service writes them. Deterministic: the same
organizations and talents (by id order) every time; safe to run twice (nothing is added when the challenges
are there)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

TITLES = ("高性能碳纤维复合材料界面改性", "电子级湿化学品纯化工艺", "五轴联动数控机床热误差补偿",
          "12英寸晶圆化学机械抛光液国产化")
CHALLENGES = [
    # title, field, funding, days to the deadline, sponsor (None: the demo employer)
    (TITLES[0], "new_materials", "800000", 45, None,
     "航空级碳纤维复合材料层间剪切强度不足，需开发界面改性技术，使层间剪切强度提升20%以上，并可在现有产线上应用。"),
    (TITLES[1], "fine_chemicals", "500000", 60, "沈阳市科学技术局",
     "面向集成电路制造的电子级硫酸、双氧水，金属杂质须降至ppt级，需形成可放大的纯化工艺包。"),
    (TITLES[2], "high_end_equipment", "1200000", 30, "沈阳市科学技术局",
     "五轴机床连续加工4小时后热变形导致精度下降，需建立热误差模型并实现实时补偿，定位精度保持在5μm以内。"),
    (TITLES[3], "semiconductor", "2000000", 90, "浑南区科技局",
     "12英寸铜互连CMP抛光液依赖进口，需完成配方开发与产线验证，去除速率、缺陷率达到进口产品水平。"),
]
PROJECTS = [
    # kind, title, industry, seeking, funding (None: not stated), description
    ("project", "石墨烯导热膜中试线", "new_materials", "funding", "8000000",
     "年产10万平方米石墨烯导热膜中试线，已完成小试，寻求产业资本。"),
    ("project", "工业机器人关节减速器产业化", "robotics", "both", "15000000",
     "RV减速器样机寿命达6000小时，寻求合作伙伴共建产线。"),
    ("project", "航空发动机叶片智能检测平台", "aviation", "partner", None,
     "基于机器视觉与深度学习的叶片缺陷检测，寻求主机厂合作验证。"),
    ("project", "新能源汽车热管理系统", "automotive", "funding", "6000000",
     "整车热泵空调与电池热管理一体化方案，已获两家车企定点意向。"),
    ("project", "智能传感器封装测试线", "sensors", "both", "12000000",
     "MEMS传感器晶圆级封装测试线建设，寻求资金和封测合作伙伴。"),
    ("project", "医用可降解镁合金支架", "biomedicine", "funding", "5000000",
     "完成动物实验，拟开展临床试验，寻求投资。"),
    ("project", "工业互联网设备预测性维护平台", "digital", "partner", None,
     "面向机床、风机的振动监测与寿命预测，寻求制造企业试点。"),
    ("project", "高纯石英砂提纯项目", "new_materials", "funding", "9000000",
     "光伏级高纯石英砂提纯，纯度4N8，寻求产业基金。"),
    ("result", "低温等离子体表面处理技术", "new_materials", "partner", None,
     "提高高分子材料表面附着力，已获发明专利3项，寻求成果转化。"),
    ("result", "高精度光栅尺测量技术", "machinery", "partner", None,
     "分辨率0.05μm的绝对式光栅尺，寻求机床企业合作。"),
    ("result", "微生物法合成精细化学品", "petrochemical", "both", "3000000",
     "以生物催化替代传统化学合成，收率提高30%，寻求中试合作。"),
    ("result", "碳化硅功率器件驱动芯片", "ic", "funding", "4000000",
     "已流片验证，寻求资金完成车规级认证。"),
    ("result", "协作机器人力控算法", "robotics", "partner", None,
     "六维力控与柔顺控制算法，可授权或合作开发。"),
    ("result", "航空铝合金搅拌摩擦焊工艺", "aviation", "partner", None,
     "焊缝强度系数达0.85，寻求航空制造企业应用。"),
    ("result", "固废基地聚物胶凝材料", "new_materials", "both", "2000000",
     "以工业固废制备低碳胶凝材料，寻求建材企业合作。"),
]


def challenges_demo_clear() -> None:
    from .enums import OpportunityKind
    from .models import Application, Interest, Meeting, Opportunity

    kinds = (OpportunityKind.CHALLENGE, OpportunityKind.PROJECT, OpportunityKind.RESULT)
    Meeting.objects.filter(opportunity__kind__in=kinds).delete()
    Interest.objects.filter(opportunity__kind__in=kinds).delete()
    Application.objects.filter(opportunity__kind__in=kinds).delete()  # their steps go with them
    Opportunity.objects.filter(kind__in=kinds).delete()


def _published(actor, reviewer, data: dict, *, publish: bool = True):
    from . import services

    made = services.opportunity_create(actor, data)
    services.opportunity_transition(actor, made.pk, "pending")
    if publish:
        services.opportunity_transition(reviewer, made.pk, "published")
    return made


def _proposal(challenge, talent, actor, note: str, team: str = ""):
    """A proposal as application_apply writes it, for a demo talent without an account (the actor is the
    staff member who entered it)."""
    from .enums import ApplicationState
    from .models import Application, ApplicationStep

    application = Application.objects.create(opportunity=challenge, talent=talent, cover_note=note, team=team,
                                             created_by=actor)
    ApplicationStep.objects.create(application=application, from_state="", to_state=ApplicationState.RECEIVED,
                                   actor=actor, note="现场揭榜，工作人员代为录入")
    return application


def challenges_demo_load() -> int:
    """Loads once; returns the number of challenges, projects and results made (0 when already there)."""
    from django.db import transaction
    from django.db.models import Q
    from django.utils import timezone

    from rencai.accounts.models import User
    from rencai.organizations.models import Organization
    from rencai.talents.models import Talent

    from . import partnering, services
    from .models import Interest, Opportunity

    if Opportunity.objects.filter(title__in=TITLES).exists():
        return 0
    users = {u.username: u for u in User.objects.filter(
        username__in=["employer", "talent", "city_staff", "heping_staff", "hunnan_staff"])}
    employer, city = users.get("employer"), users.get("city_staff")
    if employer is None or city is None:
        return 0
    today = timezone.localdate()
    made = 0
    with transaction.atomic():
        challenges = []
        for title, field, funding, days, sponsor, text in CHALLENGES:
            actor = employer if sponsor is None else city
            data = {"kind": "challenge", "title": title, "description": text, "challenge_field": field,
                    "funding": funding, "closes_on": (today + dt.timedelta(days=days)).isoformat(),
                    "overseas_wanted": "1", "industry": "new_materials" if field == "new_materials" else ""}
            if sponsor is not None:
                data.update(sponsor_name=sponsor, district="210112" if "浑南" in sponsor else "210102")
            challenges.append(_published(actor, city, data))
            made += 1
        # Proposals: the demo talent takes the semiconductor challenge and is awarded; returnees and 博士 of the
        # registry (硕士 or 博士, by id order) take the others, one shortlisted.
        doctors = list(Talent.objects.filter(Q(returnee=True) | Q(highest_degree="doctor"), user__isnull=True,
                                             highest_degree__in=["doctor", "master"]).order_by("pk")[:5])
        talent_user = users.get("talent")
        semiconductor = challenges[3]
        if talent_user is not None and Talent.objects.filter(user=talent_user).exists():
            note = "基于胶体二氧化硅磨料与新型缓蚀剂的铜CMP抛光液配方，分三阶段完成小试、中试和产线验证，预计18个月。"
            mine = services.application_apply(talent_user, semiconductor.pk, cover_note=note,
                                              team="本人负责配方，另有2名工艺工程师")
            services.application_transition(city, mine.pk, "shortlisted", note="方案技术路线清晰")
            services.application_transition(city, mine.pk, "awarded", note="评审通过，揭榜成功",
                                            award_amount=Decimal("1500000"))
        notes = ["采用硅烷偶联剂与等离子体协同改性，已有实验室数据。", "离子交换与亚沸蒸馏组合工艺。",
                 "基于温度场实测的热误差神经网络模型。", "纳米氧化铈磨料复配方案。", "上浆剂分子设计与界面表征。"]
        for i, talent in enumerate(doctors):
            challenge = challenges[i % 4]
            application = _proposal(challenge, talent, city, notes[i])
            if i == 0:
                services.application_transition(employer, application.pk, "shortlisted", note="进入答辩")
        # Projects and results: the demo employer's first two, then the offices' (投资促进局, 成果转化服务中心)
        # in four districts; the last two wait for review.
        orgs = list(Organization.objects.filter(kind="enterprise").exclude(pk=employer.organization_id)
                    .order_by("pk")[:6])
        projects = []
        for i, (kind, title, industry, seeking, funding, text) in enumerate(PROJECTS):
            data = {"kind": kind, "title": title, "description": text, "industry": industry, "seeking": seeking,
                    "closes_on": (today + dt.timedelta(days=60 + 5 * i)).isoformat()}
            if funding:
                data["funding"] = funding
            if i < 2:
                actor = employer
            else:
                actor = city
                data["sponsor_name"] = ("沈阳市科技成果转化服务中心" if kind == "result" else "沈阳市投资促进局")
                data["district"] = ["210102", "210112", "210106", "210113"][i % 4]
            projects.append(_published(actor, city, data, publish=i < len(PROJECTS) - 2))
            made += 1
        # Interests: the demo employer in three of the others' projects and a result; two pool enterprises in
        # the demo employer's own (recorded by staff, as said at a 项目推介会).
        for project in projects[2:5] + projects[8:9]:
            partnering.interest_express(actor=employer, opportunity_id=project.pk,
                                        note="希望进一步了解技术指标和合作方式")
        for org in orgs[:2]:
            for project in projects[:2]:
                Interest.objects.create(opportunity=project, organization=org, note="项目推介会上表示有意投资或合作",
                                        created_by=city)
        # Two meetings: a roadshow of the demo employer's project (达成意向), a matchmaking not yet followed up.
        first = projects[0]
        parties = [p for p, _ in partnering.meeting_parties(first)]
        roadshow = partnering.meeting_create(actor=city, opportunity_id=first.pk, kind="roadshow",
                                             held_on=today - dt.timedelta(days=10), place="沈阳国际人才港路演厅",
                                             organization_ids=parties)
        partnering.meeting_outcome_record(actor=city, meeting_id=roadshow.pk, outcome="intent",
                                          note="两家企业有投资意向，约定下月实地考察")
        second = projects[2]
        partnering.meeting_create(actor=city, opportunity_id=second.pk, kind="matchmaking",
                                  held_on=today + dt.timedelta(days=7), place="和平区科技创新服务中心",
                                  organization_ids=[p for p, _ in partnering.meeting_parties(second)])
    return made

