"""急需紧缺人才需求目录 demo data (`rencai demo`), made through the services as staff and employers would make it,
deterministic for the registry it runs on (organizations chosen by id) and the day it runs:

- this year's and last year's catalogs, published, for six chains (集成电路, 新材料, 机器人, 航空, 生物医药, 智能传感器)
  and for the demo employer's chain if it is another one, with believable positions;
- next year's catalogs being compiled for the demo employer's chain: a position entered by city staff and demand
  entries of the chain's employers — two waiting for their district, one accepted, one rejected with its reason.

Loaded before 项目申报's demo, whose employer declarations name a position of the employer's chain."""

from __future__ import annotations

from django.db import transaction

from rencai.accounts.enums import Role
from rencai.accounts.models import User

from . import shortage
from .models import ShortageCatalog, ShortageEntry

# (position, skills and majors, minimum degree, headcount, urgency) per chain.
POSITIONS = {
    "ic": [("芯片设计工程师", "数字集成电路前端设计、验证；微电子、电子科学与技术专业", "master", 40, "critical"),
           ("工艺整合工程师", "12英寸晶圆制造工艺整合、良率提升；材料、物理专业", "master", 25, "high"),
           ("半导体设备研发工程师", "刻蚀、薄膜沉积设备结构与控制；机械、自动化专业", "bachelor", 30, "high"),
           ("封装测试工程师", "先进封装、可靠性测试；电子封装技术专业", "bachelor", 20, "normal")],
    "new_materials": [("碳纤维复合材料研发工程师", "碳纤维预浸料、复合材料成型；材料科学与工程专业", "doctor", 12,
                       "critical"),
                      ("高温合金冶炼工程师", "真空感应熔炼、定向凝固；冶金工程专业", "master", 15, "high"),
                      ("高纯靶材工艺工程师", "高纯金属提纯、靶材制备；材料物理专业", "master", 8, "normal")],
    "robotics": [("运动控制算法工程师", "伺服控制、轨迹规划；控制科学与工程、自动化专业", "master", 30, "critical"),
                 ("机器人视觉算法工程师", "机器视觉、三维重建；计算机、模式识别专业", "master", 25, "high"),
                 ("减速器设计工程师", "精密减速器设计与测试；机械工程专业", "bachelor", 15, "high"),
                 ("工业机器人系统集成工程师", "产线集成、PLC编程；机电一体化专业", "junior_college", 40, "normal")],
    "aviation": [("航空发动机结构强度工程师", "结构强度分析、疲劳寿命；飞行器设计、力学专业", "master", 15, "critical"),
                 ("航空复合材料结构工程师", "复合材料结构设计与工艺；航空宇航制造工程专业", "master", 10, "high"),
                 ("飞机总装工艺工程师", "总装工艺规划、数字化装配；飞行器制造专业", "bachelor", 20, "normal")],
    "biomedicine": [("生物药工艺开发科学家", "细胞培养、纯化工艺开发；生物工程、药学专业", "doctor", 8, "critical"),
                    ("药物分析研究员", "质量研究、方法学验证；药物分析专业", "master", 12, "high"),
                    ("医疗器械注册专员", "医疗器械注册法规、临床评价；生物医学工程专业", "bachelor", 10, "normal")],
    "sensors": [("MEMS传感器设计工程师", "MEMS结构设计与仿真；微电子、仪器科学专业", "master", 15, "critical"),
                ("传感器封装工艺工程师", "晶圆级封装、气密封装；材料、电子封装专业", "bachelor", 12, "high")],
    "automotive": [("新能源汽车电驱系统工程师", "电机控制器、电驱总成；电气工程专业", "master", 20, "high"),
                   ("智能网联汽车软件工程师", "车载嵌入式软件、功能安全；计算机、车辆工程专业", "bachelor", 30,
                    "normal")],
    "machinery": [("数控机床结构设计工程师", "机床结构、动态特性分析；机械工程专业", "bachelor", 15, "high"),
                  ("液压系统工程师", "液压元件与系统设计；流体传动与控制专业", "bachelor", 10, "normal")],
    "petrochemical": [("精细化工工艺工程师", "催化、分离工艺开发；化学工程与工艺专业", "master", 10, "high"),
                      ("化工安全工程师", "过程安全、HAZOP分析；安全工程专业", "bachelor", 8, "normal")],
    "digital": [("工业互联网平台架构师", "工业数据采集、云边协同；计算机、软件工程专业", "master", 15, "critical"),
                ("数据治理工程师", "数据标准、数据质量；信息管理、统计专业", "bachelor", 20, "normal")],
}
OTHER = [("高级技术研发人员", "本产业核心技术研发；相关理工科专业", "master", 10, "high"),
         ("高技能人才（技师及以上）", "关键工序操作与工艺改进；相关专业", "junior_college", 20, "normal")]
SHOWN_CHAINS = ("ic", "new_materials", "robotics", "aviation", "biomedicine", "sensors")
# Last year's catalog lists a little less than this year's (the newest position of each chain was added this year).
HR_PREFIX = "jj_demand_hr"  # the other employers' HR accounts (no password: not demo logins)
REJECTION = "该岗位与目录中已有岗位重复，已合并到“{}”"


def _positions(industry: str) -> list[tuple]:
    return POSITIONS.get(industry, OTHER)


def _entry(values: tuple) -> shortage.EntryInput:
    position, skills, degree, headcount, urgency = values
    return shortage.EntryInput(position=position, skills=skills, degree_min=degree, headcount=headcount,
                               urgency=urgency)


def _published(city: User, *, year: int, industry: str, positions: list[tuple]) -> ShortageCatalog:
    catalog = shortage.catalog_create(actor=city, year=year, industry=industry)
    for values in positions:
        shortage.entry_save(actor=city, catalog_id=catalog.pk, data=_entry(values))
    return shortage.catalog_transition(actor=city, catalog_id=catalog.pk, action="publish")


@transaction.atomic
def shortage_demo_load() -> int:
    """Idempotent: nothing more once any catalog exists. Returns the number of catalogs made."""
    from rencai.organizations.models import Organization

    city = User.objects.filter(username="city_staff").first()
    if city is None or ShortageCatalog.objects.exists():
        return 0
    year = shortage.this_year()
    employer = User.objects.filter(username="employer", role=Role.EMPLOYER).select_related("organization").first()
    chain = employer.organization.industry if employer is not None and employer.organization_id else ""
    chains = list(SHOWN_CHAINS) + ([chain] if chain and chain not in SHOWN_CHAINS else [])
    for industry in chains:
        positions = _positions(industry)
        _published(city, year=year, industry=industry, positions=positions)
        _published(city, year=year - 1, industry=industry, positions=positions[:-1] or positions)
    if chain:
        _next_year(city, employer, chain, Organization, year + 1)
    return ShortageCatalog.objects.count()


def _next_year(city: User, employer: User, chain: str, organization_model, year: int) -> None:
    """Next year's catalog of the employer's chain, being compiled: staff's first position, and the chain's
    employers' demand entries (the demo employer's and two more of the chain, each through an HR account)."""
    positions = _positions(chain)
    catalog = shortage.catalog_create(actor=city, year=year, industry=chain)
    shortage.entry_save(actor=city, catalog_id=catalog.pk, data=_entry(positions[0]))
    others = list(organization_model.objects.filter(industry=chain, kind="enterprise")
                  .exclude(pk=employer.organization_id).order_by("pk")[:2])
    hr_users = [employer] + [_hr(org, n) for n, org in enumerate(others, start=1)]
    demands = [shortage.demand_submit(actor=user, year=year, data=_entry(positions[(n + 1) % len(positions)]))
               for n, user in enumerate(hr_users)]
    extra = shortage.demand_submit(actor=employer, year=year, data=shortage.EntryInput(
        position=f"{positions[0][0]}（资深）", skills=positions[0][1], degree_min="doctor", headcount=3,
        urgency="critical"))
    office = _district_office(employer) or city
    shortage.demand_decide(actor=office, entry_id=extra.pk, accept=False,
                           reason=REJECTION.format(positions[0][0]))
    if len(demands) > 1:  # another employer's, taken in; the demo employer's and the third still waiting
        shortage.demand_decide(actor=city, entry_id=demands[1].pk, accept=True)


def _district_office(employer: User) -> User | None:
    district = employer.organization.district_id
    return User.objects.filter(role=Role.STAFF, department__region_id=district, is_active=True).order_by("pk").first()


def _hr(organization, n: int) -> User:
    """An HR account without a password for another employer of the chain (not a demo login)."""
    user, _ = User.objects.get_or_create(username=f"{HR_PREFIX}{n}", defaults={
        "role": Role.EMPLOYER, "organization": organization})
    if user.organization_id != organization.pk:
        user.organization = organization
        user.save(update_fields=["organization"])
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def shortage_demo_clear() -> None:
    """Remove every catalog, its positions and the demand accounts (after 项目申报's demo, whose declarations name
    positions; before `rencai demo --reset` deletes organizations)."""
    from rencai.notifications.models import Notification

    Notification.objects.filter(kind=shortage.NOTICE_KIND).delete()
    ShortageEntry.objects.all().delete()
    ShortageCatalog.objects.all().delete()
    User.objects.filter(username__startswith=HR_PREFIX).delete()


def demo_declarable(organization, call_year: int) -> ShortageEntry | None:
    """The position the demo's 急需紧缺 declarations name: the first of the employer's chain's published catalog."""
    return shortage.declarable_entries(organization=organization, call_year=call_year).order_by(
        "-catalog__year", "id").first()

