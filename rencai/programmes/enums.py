"""项目申报's vocabularies: values are codes, labels what people read."""

from django.db import models


class Subject(models.TextChoices):
    """Who applies: the catalog's ``subject`` of the programme."""

    PERSON = "person", "个人"
    TEAM = "team", "团队"
    ORGANIZATION = "organization", "单位"


class Status(models.TextChoices):
    DRAFT = "draft", "填写中"
    SUBMITTED = "submitted", "待形式审查"
    RETURNED = "returned", "退回补正"
    REVIEWING = "reviewing", "专家评审中"
    RANKED = "ranked", "已排名"
    AWARDED = "awarded", "已立项"
    NOT_AWARDED = "not_awarded", "未入选"
    REJECTED = "rejected", "形式审查未通过"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.REVIEWING, Status.RANKED)


class Action(models.TextChoices):
    CREATE = "create", "填写申报书"
    SUBMIT = "submit", "提交申报"
    ENDORSE = "endorse", "单位推荐"
    RETURN = "return", "退回补正"
    ACCEPT = "accept", "形式审查通过"
    REJECT = "reject", "形式审查不通过"
    PANEL = "panel", "组建评审专家组"
    SCORE = "score", "专家评分"
    DEFENCE = "defence", "答辩评分"
    RANK = "rank", "确定排名"
    AWARD = "award", "立项"
    NOT_AWARD = "not_award", "未入选"
    WITHDRAW = "withdraw", "撤回"


class AwardStatus(models.TextChoices):
    PROPOSED = "proposed", "拟立项（待领导审批）"
    NOTICE = "notice", "公示中"
    GRANTED = "granted", "已立项"
    WITHDRAWN = "withdrawn", "已撤销"
    STOPPED = "stopped", "已终止（验收未通过）"
    FINISHED = "finished", "已验收"


class StageTrigger(models.TextChoices):
    """When a stage of a grant is paid: on award, or when a milestone is accepted."""

    AWARD = "award", "立项后拨付"
    MIDTERM = "midterm", "中期检查通过后拨付"
    FINAL = "final", "验收通过后拨付"


class StageStatus(models.TextChoices):
    WAITING = "waiting", "待拨付条件"
    SCHEDULED = "scheduled", "已安排发放"
    CANCELLED = "cancelled", "已取消"


class Milestone(models.TextChoices):
    MIDTERM = "midterm", "中期检查"
    FINAL = "final", "结题验收"


class ReportStatus(models.TextChoices):
    DUE = "due", "待提交"
    SUBMITTED = "submitted", "待审核"
    CHANGES = "changes", "需修改"
    ACCEPTED = "accepted", "通过"
    FAILED = "failed", "不通过"


class MemberStatus(models.TextChoices):
    INVITED = "invited", "待确认"
    CONFIRMED = "confirmed", "已确认"
    DECLINED = "declined", "已拒绝"
