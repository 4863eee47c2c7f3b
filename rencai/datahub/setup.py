"""The standard feeds of a Shenyang installation (issue 16): one per kind of fact, each with the department that
usually provides it, created with their departments if missing (`rencai datahub_setup`; safe to run twice).
Administrators register others, or change these, in the admin site (系统管理 → 数据源)."""

from django.db import transaction

from rencai.accounts.models import Department

from .enums import Cadence, FactKind
from .models import Feed

CITY = "210100"
# (feed name, kind, department, cadence, due working day, due month for yearly feeds)
STANDARD_FEEDS = [
    ("社会保险缴费数据", FactKind.SOCIAL_INSURANCE, "沈阳市人力资源和社会保障局", Cadence.MONTHLY, 10, 3),
    ("个人所得税缴纳数据", FactKind.INCOME_TAX, "国家税务总局沈阳市税务局", Cadence.MONTHLY, 15, 3),
    ("企业纳税数据", FactKind.ENTERPRISE_TAX, "国家税务总局沈阳市税务局", Cadence.YEARLY, 10, 6),
    ("不动产登记数据", FactKind.PROPERTY, "沈阳市自然资源局", Cadence.MONTHLY, 10, 3),
    ("学历学位认证数据", FactKind.DEGREE, "沈阳市教育局", Cadence.ON_CHANGE, 10, 3),
    ("留学回国人员证明数据", FactKind.RETURNEE, "辽宁省留学服务中心沈阳分中心", Cadence.ON_CHANGE, 10, 3),
    ("市场主体登记数据", FactKind.BUSINESS, "沈阳市市场监督管理局", Cadence.MONTHLY, 5, 3),
    ("户籍和居住证数据", FactKind.RESIDENCE, "沈阳市公安局", Cadence.MONTHLY, 5, 3),
    ("职业技能等级证书数据", FactKind.SKILL, "沈阳市人力资源和社会保障局", Cadence.ON_CHANGE, 10, 3),
]


@transaction.atomic
def standard_feeds_create() -> list[Feed]:
    feeds = []
    for name, kind, department_name, cadence, due_day, due_month in STANDARD_FEEDS:
        department, _ = Department.objects.get_or_create(name=department_name, region_id=CITY)
        feed, _ = Feed.objects.get_or_create(name=name, defaults={
            "department": department, "kind": kind, "cadence": cadence, "due_working_day": due_day,
            "due_month": due_month})
        feeds.append(feed)
    return feeds
