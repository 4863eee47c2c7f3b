from django.db import models


class OrganizationKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    UNIVERSITY = "university", "高校"
    INSTITUTE = "institute", "科研院所"
    HOSPITAL = "hospital", "医院"
    GOVERNMENT = "government", "机关"


class EmployerType(models.TextChoices):
    """The calculator contract's employer_type: 企业职工 vs 事业单位 etc."""

    ENTERPRISE = "enterprise", "企业"
    INSTITUTION = "institution", "事业单位"
    GOVERNMENT = "government", "机关"
    SELF_EMPLOYED = "self_employed", "自主创业/个体"


EMPLOYER_TYPE_OF_KIND = {
    OrganizationKind.ENTERPRISE: EmployerType.ENTERPRISE,
    OrganizationKind.UNIVERSITY: EmployerType.INSTITUTION,
    OrganizationKind.INSTITUTE: EmployerType.INSTITUTION,
    OrganizationKind.HOSPITAL: EmployerType.INSTITUTION,
    OrganizationKind.GOVERNMENT: EmployerType.GOVERNMENT,
}


class Industry(models.TextChoices):
    """Shenyang's key industry chains (004: 汽车及零部件、通用机械装备、航空、智能传感器 ...)."""

    AUTOMOTIVE = "automotive", "汽车及零部件"
    MACHINERY = "machinery", "通用机械装备"
    AVIATION = "aviation", "航空"
    SENSORS = "sensors", "智能传感器"
    ROBOTICS = "robotics", "机器人"
    IC = "ic", "集成电路"
    BIOMEDICINE = "biomedicine", "生物医药"
    NEW_MATERIALS = "new_materials", "新材料"
    PETROCHEMICAL = "petrochemical", "石化"
    DIGITAL = "digital", "数字经济"
    EDUCATION = "education", "教育科研"
    HEALTH = "health", "医疗卫生"
    SERVICES = "services", "现代服务业"
    PUBLIC = "public", "公共管理"


class IndustryField(models.TextChoices):
    """004: "对全市主导产业和新兴产业领域重点企业" — which of the two an organization's industry is in (the
    engine's ``organization.industry_field``)."""

    LEADING = "leading", "主导产业"
    EMERGING = "emerging", "新兴产业"
    OTHER = "other", "其他产业"


class StationKind(models.TextChoices):
    """The stations and bases 002 funds (the engine's ``organization.stations``)."""

    POSTDOC_WORKSTATION = "postdoc_workstation", "博士后科研工作站"
    POSTDOC_PRACTICE_BASE = "postdoc_practice_base", "省级博士后创新实践基地"
    SKILL_TRAINING_BASE_NATIONAL = "skill_training_base_national", "国家级高技能人才培训基地"
    SKILL_MASTER_STUDIO_NATIONAL = "skill_master_studio_national", "国家级技能大师工作室"
    SKILL_MASTER_STATION_PROVINCIAL = "skill_master_station_provincial", "省级技能大师工作站"
    ACADEMICIAN_WORKSTATION = "academician_workstation", "院士工作站"
