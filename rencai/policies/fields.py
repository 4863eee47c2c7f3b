"""The profile fields that policy conditions may name (the calculator contract's input table).

One table serves the validator, the expression type checker, the explanations and the batch path, so
that a field's type, its allowed values and its Chinese label are written once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Type(Enum):
    BOOL = "bool"
    NUM = "number"
    DATE = "date"
    STR = "text"
    LIST = "list"


# How an absent field is read. Facts about a person (birth date, degree, housing ...) are UNKNOWN when
# absent: the policy reports eligible "unknown" and names the field. Recognitions a person would know they
# hold (talent category, title, skill level, honors, certified training, a home purchase, policies received)
# read as NONE when absent — the contract's worked example describes a profile without
# `talent_category` as "no talent category" and one without `purchase` as "no purchase".
UNKNOWN = "unknown"
NONE = "none"

# The value a NONE-when-absent text field takes when the person holds nothing.
NO_VALUE = ""


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: Type
    label: str
    domain: tuple[str, ...] = ()  # allowed values of a text field or of a list's items
    absent: str = UNKNOWN
    unit: str = ""
    source: tuple[str, ...] = ()  # the input fields a derived field is computed from
    scale: int = 1  # batch path: a NUM column holds value × scale as an integer


CITY_LABELS = {"210100": "沈阳市", "320600": "南通市", "410100": "郑州市"}
CITY_NAMES = {"shenyang": "210100", "nantong": "320600", "zhengzhou": "410100"}
REGION_LABELS = {**CITY_LABELS, "210000": "辽宁省", "320000": "江苏省", "410000": "河南省"}

VALUE_LABELS: dict[str, dict[str, str]] = {
    "degree": {"junior_college": "专科", "bachelor": "本科", "master": "硕士", "doctor": "博士"},
    "talent_category": {"A": "A类（顶尖人才）", "B": "B类（杰出人才）", "C": "C类（领军人才）",
                        "D": "D类（拔尖人才）"},
    "professional_title": {"junior": "初级", "intermediate": "中级", "associate_senior": "副高级",
                           "senior": "正高级"},
    "skill_level": {"senior_worker": "高级工（三级）", "technician": "技师（二级）",
                    "senior_technician": "高级技师（一级）", "special_technician": "特级技师"},
    "honors": {"top_talent_award": "高精尖优才奖励", "national_technical_expert": "全国技术能手",
               "china_skills_award": "中华技能大奖", "liaoning_craftsman": "辽宁工匠"},
    "employment.employer_type": {"enterprise": "企业", "institution": "事业单位", "government": "机关",
                                 "self_employed": "自主创业"},
    "certified_training": {"startup_guidance": "创业引导培训", "startup_coaching": "创业指导培训"},
    "city": CITY_LABELS,
    "province": REGION_LABELS,
}


def _enum(name: str) -> tuple[str, ...]:
    return tuple(VALUE_LABELS[name])


FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in [
        FieldSpec("as_of", Type.DATE, "评估日"),
        FieldSpec("city", Type.STR, "所在城市", _enum("city")),
        FieldSpec("province", Type.STR, "所在省份", ("210000", "320000", "410000"), source=("city",)),
        FieldSpec("birth_date", Type.DATE, "出生日期"),
        FieldSpec("age", Type.NUM, "年龄", unit="周岁", source=("birth_date",)),
        FieldSpec("returnee", Type.BOOL, "留学回国人员"),
        FieldSpec("degree", Type.STR, "学历", _enum("degree")),
        FieldSpec("graduation_date", Type.DATE, "毕业时间"),
        FieldSpec("talent_category", Type.STR, "人才类别", _enum("talent_category"), absent=NONE),
        FieldSpec("professional_title", Type.STR, "职称", _enum("professional_title"), absent=NONE),
        FieldSpec("skill_level", Type.STR, "职业技能等级", _enum("skill_level"), absent=NONE),
        FieldSpec("honors", Type.LIST, "荣誉", _enum("honors"), absent=NONE),
        FieldSpec("employment.employer_type", Type.STR, "用人单位类型", _enum("employment.employer_type")),
        FieldSpec("employment.in_city", Type.BOOL, "在本市就业创业"),
        FieldSpec("employment.start_date", Type.DATE, "入职日期"),
        FieldSpec("housing.owns_home_in_city", Type.BOOL, "在本市有住房"),
        FieldSpec("housing.renting", Type.BOOL, "租房居住"),
        FieldSpec("housing.monthly_rent", Type.NUM, "月租金", unit="元", scale=100),
        FieldSpec("housing.rent_area_sqm", Type.NUM, "租赁面积", unit="㎡", scale=100),
        FieldSpec("housing.apartment_available", Type.BOOL, "人才公寓有房源"),
        FieldSpec("has_purchase", Type.BOOL, "在本市购房", absent=NONE, source=("purchase",)),
        FieldSpec("purchase.date", Type.DATE, "购房日期"),
        FieldSpec("purchase.first_home", Type.BOOL, "首套住房"),
        FieldSpec("purchase.self_occupied", Type.BOOL, "购房自住"),
        FieldSpec("certified_training", Type.LIST, "合格的创业培训", _enum("certified_training"),
                  absent=NONE, source=("training",)),
        # Policy ids; the catalog checks them, since the field table does not know the catalog.
        FieldSpec("received", Type.LIST, "已享受的政策", absent=NONE),
        # 000's 揭榜挂帅: a challenge this person (or their team, as its applicant) took and was awarded on the
        # platform (opportunities/awards.py). Absent reads as "none awarded", as honours do.
        FieldSpec("challenge_awarded", Type.BOOL, "揭榜挂帅揭榜成功", absent=NONE),
    ]
}

# -- teams and organizations (issue 8) ------------------------------------------------------------------
# A policy's `subject` (person, team, organization) picks the table its conditions, tables and amounts are
# checked against. Field names are unique across the three tables (a team's are ``team.*`` and ``lead.*``, an
# organization's ``organization.*`` and its lists), so one label or value lookup serves all of them; the
# names every subject shares (where, when, what was received) are the person table's own entries.
# Only fields some catalog programme reads are here; each is named as the documents name it.

SUBJECTS = ("person", "team", "organization")
SUBJECT_LABELS = {"person": "个人", "team": "团队", "organization": "单位"}
SHARED = ("as_of", "city", "province", "received")

VALUE_LABELS.update({
    # 002: "按团队层次分别给予100万元、300万元、500万元项目资助,对一流创新创业团队给予1000万元项目资助" — the
    # document names no level but the 一流 one, so the others are named by their grant.
    "team.level": {"level_100": "100万元资助层次", "level_300": "300万元资助层次", "level_500": "500万元资助层次",
                   "first_class": "一流创新创业团队"},
    "team.kind": {"innovation": "创新团队", "startup": "创业团队"},
    # The organizations app's kinds (organizations.enums.OrganizationKind), so its records map one to one.
    "organization.type": {"enterprise": "企业", "university": "高校", "institute": "科研院所", "hospital": "医院",
                          "government": "机关"},
    # 004: "对全市主导产业和新兴产业领域重点企业"
    "organization.industry_field": {"leading": "主导产业", "emerging": "新兴产业", "other": "其他产业"},
    # 002: 博士后科研工作站、省级博士后创新实践基地; 国家级高技能人才培训基地、国家级技能大师工作室、省级技能大师工作站;
    # 院士工作站.
    "organization.new_stations": {
        "postdoc_workstation": "博士后科研工作站", "postdoc_practice_base": "省级博士后创新实践基地",
        "skill_training_base_national": "国家级高技能人才培训基地",
        "skill_master_studio_national": "国家级技能大师工作室",
        "skill_master_station_provincial": "省级技能大师工作站", "academician_workstation": "院士工作站",
    },
    # 004: "择优给予6万元、9万元、15万元、30万元奖励"
    "award_tier": {"tier_6": "6万元", "tier_9": "9万元", "tier_15": "15万元", "tier_30": "30万元"},
})
VALUE_LABELS["organization.stations"] = VALUE_LABELS["organization.new_stations"]

TEAM_FIELDS: dict[str, FieldSpec] = {name: FIELDS[name] for name in SHARED} | {
    spec.name: spec
    for spec in [
        # Decided by review: a team without one has not been assessed yet (the result lists the levels).
        FieldSpec("team.level", Type.STR, "团队层次（评审确定）", _enum("team.level"), absent=NONE),
        FieldSpec("team.kind", Type.STR, "团队类型", _enum("team.kind")),
        FieldSpec("team.introduced", Type.BOOL, "引进团队"),
        # 002: "对随同引进、经认定为高水平创新创业团队成员、切实参与团队科技研发工作的,每多增加1人"
        FieldSpec("team.added_members", Type.NUM, "随同引进并经认定的增加成员人数", unit="人"),
        FieldSpec("lead.returnee", Type.BOOL, "团队带头人为留学回国人员"),
    ]
}
ORGANIZATION_FIELDS: dict[str, FieldSpec] = {name: FIELDS[name] for name in SHARED} | {
    spec.name: spec
    for spec in [
        FieldSpec("organization.type", Type.STR, "单位类型", _enum("organization.type")),
        # Who the organization is; checked like the organizations app (stdnum), read by no condition.
        FieldSpec("organization.uscc", Type.STR, "统一社会信用代码"),
        FieldSpec("organization.industry_field", Type.STR, "所属产业领域", _enum("organization.industry_field")),
        FieldSpec("organization.key_enterprise", Type.BOOL, "重点企业"),
        FieldSpec("organization.stations", Type.LIST, "已有的工作站、基地", _enum("organization.new_stations"),
                  absent=NONE, source=("stations",)),
        FieldSpec("organization.new_stations", Type.LIST, "新设立的工作站、基地", _enum("organization.new_stations"),
                  absent=NONE, source=("stations",)),
        FieldSpec("organization.internship_unit", Type.BOOL, "见习单位"),
        FieldSpec("organization.internship_retention_rate", Type.NUM, "见习留用率", unit="%"),
        FieldSpec("award_tier", Type.STR, "评审确定的奖励档次", _enum("award_tier"), absent=NONE),
    ]
}
SUBJECT_FIELDS: dict[str, dict[str, FieldSpec]] = {
    "person": FIELDS, "team": TEAM_FIELDS, "organization": ORGANIZATION_FIELDS}
# Every field of every subject, for labels and allowed values (the names do not collide).
ALL_FIELDS: dict[str, FieldSpec] = {**FIELDS, **TEAM_FIELDS, **ORGANIZATION_FIELDS}


def subject_of(name: str) -> str | None:
    """The subject whose table holds a field that is not shared (``degree`` → person), else None."""
    if name in SHARED:
        return None
    return next((subject for subject, table in SUBJECT_FIELDS.items() if name in table), None)


# Profile keys that hold objects, and the keys allowed inside each.
OBJECT_KEYS: dict[str, tuple[str, ...]] = {
    "employment": ("employer_type", "in_city", "start_date"),
    "housing": ("owns_home_in_city", "renting", "monthly_rent", "rent_area_sqm", "apartment_available"),
    "purchase": ("date", "first_home", "self_occupied"),
}
TOP_LEVEL_KEYS = (
    "as_of", "city", "birth_date", "returnee", "degree", "graduation_date", "talent_category",
    "professional_title", "skill_level", "honors", "employment", "housing", "purchase", "training",
    "received", "subject", "challenge_awarded",
)


# The input fields that are no field of the table themselves (a derived field is computed from them).
INPUT_LABELS = {"purchase": "在本市购房情况", "training": "创业培训情况", "stations": "工作站、基地情况"}


def input_label(name: str) -> str:
    """The Chinese name of an input field a 'missing' list names (``purchase`` → 在本市购房情况)."""
    if name in ALL_FIELDS:
        return ALL_FIELDS[name].label
    return INPUT_LABELS.get(name, "计算所需的其他信息")


def input_fields(name: str) -> tuple[str, ...]:
    """The input fields a person would fill in to give `name` a value (for 'missing field' reasons)."""
    spec = ALL_FIELDS[name]
    return spec.source or (name,)


def value_label(name: str, value: object) -> str:
    """A field value as a person reads it: 博士, A类（顶尖人才）, 是/否, 2023-06-01, 无."""
    if value is None:
        return "未填写"
    if value == NO_VALUE:
        return "无"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple, frozenset)):
        labels = VALUE_LABELS.get(name, {})
        return "、".join(labels.get(v, v) for v in sorted(value)) or "无"
    labels = VALUE_LABELS.get(name)
    if labels and value in labels:
        return labels[value]
    return str(value)
