"""The data centre's vocabularies (数据中心): what a feed vouches for, how often it comes, where a load stands."""

from django.db import models


class FactKind(models.TextChoices):
    """What a department's feed vouches for (004's 数据中心; issue 16). One kind per feed."""

    SOCIAL_INSURANCE = "social_insurance", "社会保险缴纳"
    INCOME_TAX = "income_tax", "个人所得税"
    ENTERPRISE_TAX = "enterprise_tax", "企业纳税"
    PROPERTY = "property", "不动产登记"
    DEGREE = "degree", "学历学位认证"
    RETURNEE = "returnee", "留学回国人员证明"
    BUSINESS = "business", "市场主体登记"
    RESIDENCE = "residence", "户籍/居住证"
    SKILL = "skill", "职业技能等级"


class SubjectType(models.TextChoices):
    PERSON = "person", "个人"
    ORGANIZATION = "organization", "单位"


class Cadence(models.TextChoices):
    """How often a feed is expected: monthly data by the Nth working day of the next month, yearly data by the
    Nth working day of a month of the next year, or whenever something changes (no freshness to check)."""

    MONTHLY = "monthly", "按月报送"
    YEARLY = "yearly", "按年报送"
    ON_CHANGE = "on_change", "不定期（有变化时报送）"


class LoadSource(models.TextChoices):
    FILE = "file", "文件上传"
    PUSH = "push", "接口推送"
    COMMAND = "command", "命令行装载"


class LoadStatus(models.TextChoices):
    QUEUED = "queued", "待装载"
    RUNNING = "running", "装载中"
    DONE = "done", "已装载"
    FAILED = "failed", "装载失败"


class DiscrepancyStatus(models.TextChoices):
    OPEN = "open", "待处理"
    RESOLVED = "resolved", "已处理"


class Resolution(models.TextChoices):
    """How staff settled a discrepancy: the registry corrected to the feed, the declaration upheld (the feed is
    wrong or out of date, with the evidence seen), or referred to the feed's department."""

    REGISTRY_CORRECTED = "registry_corrected", "已按核验数据更正登记信息"
    DECLARATION_UPHELD = "declaration_upheld", "经核实，申报信息属实"
    FEED_REFERRED = "feed_referred", "已转数据来源部门核查"
