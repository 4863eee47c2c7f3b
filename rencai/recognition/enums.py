"""Recognition's vocabularies (glossary: recognition, direct / review / employer recognition, upgrade,
talent card); values are codes, labels what users read."""

from django.db import models

from rencai.talents.enums import TalentCategory

# A is the highest category; a smaller rank is a higher category.
CATEGORY_RANK = {"A": 1, "B": 2, "C": 3, "D": 4}
CATEGORY_NAMES = {"A": "顶尖人才", "B": "杰出人才", "C": "领军人才", "D": "拔尖人才"}


def category_label(code: str) -> str:
    return TalentCategory(code).label if code in TalentCategory.values else "未认定"


def higher(a: str, b: str) -> bool:
    """True when category ``a`` is higher than ``b`` (any category is higher than none)."""
    if not a:
        return False
    if not b:
        return True
    return CATEGORY_RANK[a] < CATEGORY_RANK[b]


class Way(models.TextChoices):
    DIRECT = "direct", "直接认定"
    REVIEW = "review", "评审认定"
    EMPLOYER = "employer", "自主认定"


class Kind(models.TextChoices):
    NEW = "new", "首次认定"
    UPGRADE = "upgrade", "认定升级"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交，待核验材料"
    RETURNED = "returned", "退回补正"
    COMPLETE = "complete", "材料齐全"
    IN_REVIEW = "in_review", "专家评审中"
    APPROVED = "approved", "已认定"
    REJECTED = "rejected", "未通过"
    WITHDRAWN = "withdrawn", "已撤回"
    REVOKED = "revoked", "已撤销"


# Applications still under way: a talent may have at most one (guarded by a partial unique constraint).
OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.COMPLETE, Status.IN_REVIEW)
DECIDED_STATUSES = (Status.APPROVED, Status.REJECTED, Status.REVOKED)


class Action(models.TextChoices):
    CREATE = "create", "创建申请"
    SUBMIT = "submit", "提交申请"
    ACCEPT = "accept", "核验材料齐全"
    RETURN = "return", "退回补正（一次性告知）"
    APPROVE = "approve", "认定通过"
    PANEL = "panel", "组建评审专家组"
    SCORE = "score", "专家提交评分"
    CONCLUDE = "conclude", "按评审结果作出决定"
    REJECT = "reject", "不予认定"
    WITHDRAW = "withdraw", "撤回申请"
    REVOKE = "revoke", "撤销认定"


class RecognitionStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    SUPERSEDED = "superseded", "已升级为更高类别"
    REVOKED = "revoked", "已撤销"


# The scale of the review pass marks (CategoryRule.review_threshold). The experts' scoring sheet is data in
# rencai.reviews ("recognition-review", made by its migration 0003): 004 names five dimensions (专业水平、能力潜力、
# 工作经历、业绩贡献、薪酬待遇) but no weights, so each is out of 20 with the same weight, a total out of 100 — an
# example to be replaced by the city's own scoring rules (shown as such on screen).
TOTAL_MAX = 100
