"""The registry's vocabularies; values are the calculator contract's, labels what users read."""

from django.db import models


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Degree(models.TextChoices):
    JUNIOR_COLLEGE = "junior_college", "专科"
    BACHELOR = "bachelor", "本科"
    MASTER = "master", "硕士"
    DOCTOR = "doctor", "博士"


DEGREE_RANK = {Degree.JUNIOR_COLLEGE: 1, Degree.BACHELOR: 2, Degree.MASTER: 3, Degree.DOCTOR: 4}


class ProfessionalTitle(models.TextChoices):
    JUNIOR = "junior", "初级"
    INTERMEDIATE = "intermediate", "中级"
    ASSOCIATE_SENIOR = "associate_senior", "副高级"
    SENIOR = "senior", "正高级"


class SkillLevel(models.TextChoices):
    SENIOR_WORKER = "senior_worker", "高级工（三级）"
    TECHNICIAN = "technician", "技师（二级）"
    SENIOR_TECHNICIAN = "senior_technician", "高级技师（一级）"
    SPECIAL_TECHNICIAN = "special_technician", "特级技师"


class Honor(models.TextChoices):
    TOP_TALENT_AWARD = "top_talent_award", "高精尖优才奖励"
    NATIONAL_TECHNICAL_EXPERT = "national_technical_expert", "全国技术能手"
    CHINA_SKILLS_AWARD = "china_skills_award", "中华技能大奖"
    LIAONING_CRAFTSMAN = "liaoning_craftsman", "辽宁工匠"


class TalentCategory(models.TextChoices):
    A = "A", "A类（顶尖人才）"
    B = "B", "B类（杰出人才）"
    C = "C", "C类（领军人才）"
    D = "D", "D类（拔尖人才）"


class SocialInsurance(models.TextChoices):
    PAYING = "paying", "在本市缴纳"
    NOT_PAYING = "not_paying", "未缴纳"
    UNKNOWN = "unknown", "未知"


class HousingStatus(models.TextChoices):
    OWNS = "owns", "本市自有住房"
    RENTING = "renting", "租房"
    APARTMENT = "apartment", "人才公寓"
    OTHER = "other", "其他"


class Source(models.TextChoices):
    SELF = "self", "本人注册"
    STAFF = "staff", "工作人员登记"
    IMPORT = "import", "Excel导入"
    DEMO = "demo", "演示数据"


class SensitiveField(models.TextChoices):
    ID_NUMBER = "id_number", "证件号码"
    PHONE = "phone", "手机号码"


class EmploymentStatus(models.TextChoices):
    """Whether the employer (or staff) has confirmed the employment the record states. A talent's own claim
    (self-registration) is not enough for the employer to see the person or for a policy to rely on it."""

    CLAIMED = "claimed", "待单位确认"
    CONFIRMED = "confirmed", "已确认"
    REJECTED = "rejected", "单位不予确认"
