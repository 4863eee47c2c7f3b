from django.db import models


class DocumentKind(models.TextChoices):
    """What a document is. Applications and recognition ask for kinds, so a document on file of the kind asked
    for is reused instead of being asked for again (一次性告知, 材料复用)."""

    ID_DOCUMENT = "id_document", "身份证件"
    DEGREE = "degree", "学位证书"
    DIPLOMA = "diploma", "毕业证书"
    DEGREE_VERIFICATION = "degree_verification", "学历学位认证报告"
    TRANSCRIPT = "transcript", "成绩单"
    WORK_PROOF = "work_proof", "工作证明"
    LABOUR_CONTRACT = "labour_contract", "劳动合同"
    SOCIAL_INSURANCE = "social_insurance", "社保缴纳证明"
    SALARY_PROOF = "salary_proof", "薪酬证明"
    TAX_RECORD = "tax_record", "个人所得税纳税记录"
    RENT_CONTRACT = "rent_contract", "租房合同"
    PURCHASE_CONTRACT = "purchase_contract", "购房合同"
    TITLE_CERTIFICATE = "title_certificate", "职称证书"
    SKILL_CERTIFICATE = "skill_certificate", "职业资格或技能等级证书"
    AWARD = "award", "获奖或荣誉证书"
    PROGRAMME = "programme", "人才工程入选文件"
    ACHIEVEMENT = "achievement", "业绩成果材料"
    RECOMMENDATION = "recommendation", "单位推荐意见"
    OTHER = "other", "其他材料"


class DocumentStatus(models.TextChoices):
    PENDING = "pending", "待核验"
    VERIFIED = "verified", "已核验"
    REJECTED = "rejected", "已退回"


class DocumentAction(models.TextChoices):
    VERIFY = "verify", "核验通过"
    REJECT = "reject", "退回"


# Words in a requirement's name that say which kind of document it asks for (first match wins): used to give
# recognition's existing requirements a kind, and as the default for a new one.
KIND_KEYWORDS = [
    ("学历学位认证", DocumentKind.DEGREE_VERIFICATION),
    ("认证报告", DocumentKind.DEGREE_VERIFICATION),
    ("成绩单", DocumentKind.TRANSCRIPT),
    ("学位", DocumentKind.DEGREE),
    ("毕业证", DocumentKind.DIPLOMA),
    ("学历", DocumentKind.DIPLOMA),
    ("身份证", DocumentKind.ID_DOCUMENT),
    ("护照", DocumentKind.ID_DOCUMENT),
    ("劳动合同", DocumentKind.LABOUR_CONTRACT),
    ("社保", DocumentKind.SOCIAL_INSURANCE),
    ("工作证明", DocumentKind.WORK_PROOF),
    ("个人所得税", DocumentKind.TAX_RECORD),
    ("纳税", DocumentKind.TAX_RECORD),
    ("薪酬", DocumentKind.SALARY_PROOF),
    ("工资", DocumentKind.SALARY_PROOF),
    ("租房", DocumentKind.RENT_CONTRACT),
    ("购房", DocumentKind.PURCHASE_CONTRACT),
    ("职称", DocumentKind.TITLE_CERTIFICATE),
    ("职业资格", DocumentKind.SKILL_CERTIFICATE),
    ("技能等级", DocumentKind.SKILL_CERTIFICATE),
    ("获奖", DocumentKind.AWARD),
    ("荣誉", DocumentKind.AWARD),
    ("入选", DocumentKind.PROGRAMME),
    ("业绩", DocumentKind.ACHIEVEMENT),
    ("推荐", DocumentKind.RECOMMENDATION),
]


def kind_for_label(label: str) -> str:
    for word, kind in KIND_KEYWORDS:
        if word in (label or ""):
            return kind
    return DocumentKind.OTHER
