from django.db import models


class OpportunityKind(models.TextChoices):
    """What an opportunity offers (003: 定向岗位, 见习; 000: 揭榜挂帅; 000/001/003: 项目推介, 科研成果对接)."""

    JOB = "job", "就业岗位"
    INTERNSHIP = "internship", "见习岗位"
    CHALLENGE = "challenge", "揭榜挂帅榜单"
    PROJECT = "project", "推介项目"
    RESULT = "result", "科技成果"


# Opportunities a talent applies to with their registry profile; projects and results are answered by an
# enterprise's interest (Interest) and brokered by staff (Meeting) instead.
APPLIABLE_KINDS = (OpportunityKind.JOB, OpportunityKind.INTERNSHIP, OpportunityKind.CHALLENGE)
PARTNERING_KINDS = (OpportunityKind.PROJECT, OpportunityKind.RESULT)


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PENDING = "pending", "待审核"
    RETURNED = "returned", "已退回"
    PUBLISHED = "published", "已发布"
    CLOSED = "closed", "已关闭"


class ChallengeField(models.TextChoices):
    """000: "围绕新材料、精细化工、高端装备制造、半导体芯片制造领域需求,发布“榜单”"."""

    NEW_MATERIALS = "new_materials", "新材料"
    FINE_CHEMICALS = "fine_chemicals", "精细化工"
    HIGH_END_EQUIPMENT = "high_end_equipment", "高端装备制造"
    SEMICONDUCTOR = "semiconductor", "半导体芯片制造"
    OTHER = "other", "其他领域"


class Seeking(models.TextChoices):
    """What a project or a technology result looks for."""

    PARTNER = "partner", "寻求合作伙伴"
    FUNDING = "funding", "寻求资金"
    BOTH = "both", "合作伙伴和资金"


class ApplicationState(models.TextChoices):
    """One list for every kind; which moves a kind allows is services' one transition table.
    Jobs and internships: received → interview → offer → hired / declined; challenges (揭榜): received →
    shortlisted → awarded / declined; the talent may withdraw before a decision."""

    RECEIVED = "received", "已投递"
    INTERVIEW = "interview", "面试"
    OFFER = "offer", "拟录用"
    HIRED = "hired", "已录用"
    SHORTLISTED = "shortlisted", "入围"
    AWARDED = "awarded", "揭榜成功"
    DECLINED = "declined", "未录用"
    WITHDRAWN = "withdrawn", "已撤回"


FINAL_STATES = (ApplicationState.HIRED, ApplicationState.AWARDED, ApplicationState.DECLINED,
                ApplicationState.WITHDRAWN)


class Urgency(models.TextChoices):
    NORMAL = "normal", "紧缺"
    HIGH = "high", "急需"
    CRITICAL = "critical", "急需且紧缺"


class CatalogStatus(models.TextChoices):
    DRAFT = "draft", "编制中"
    PUBLISHED = "published", "已发布"


class DemandStatus(models.TextChoices):
    """An employer's demand entry for the shortage catalog, until staff take it in or set it aside."""

    SUBMITTED = "submitted", "待采纳"
    ACCEPTED = "accepted", "已采纳"
    REJECTED = "rejected", "未采纳"


class MeetingKind(models.TextChoices):
    ROADSHOW = "roadshow", "项目路演"
    MATCHMAKING = "matchmaking", "对接洽谈"


class MeetingOutcome(models.TextChoices):
    PENDING = "pending", "待跟进"
    INTENT = "intent", "达成意向"
    SIGNED = "signed", "签约合作"
    NO_DEAL = "no_deal", "未达成"
