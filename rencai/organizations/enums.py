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
