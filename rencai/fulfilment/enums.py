"""Fulfilment's vocabularies (政策兑现): values are codes, labels what users read."""

from django.db import models


class Status(models.TextChoices):
    REVIEWING = "reviewing", "审核中"
    PUBLICIZING = "publicizing", "公示中"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未通过"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_STATUSES = (Status.REVIEWING, Status.PUBLICIZING)
# A withdrawn or rejected application may be submitted again (the same record, a fresh snapshot).
RESUBMITTABLE = (Status.WITHDRAWN, Status.REJECTED)


class Origin(models.TextChoices):
    APPLICATION = "application", "本人申请"
    EMPLOYER = "employer", "单位代为申请"
    WINDOW = "window", "窗口受理（工作人员代录）"
    INVITATION = "invitation", "精准推送后申请"
    OFFER = "offer", "免申即享确认"


class Action(models.TextChoices):
    SUBMIT = "submit", "提交申请"
    RESUBMIT = "resubmit", "重新提交"
    CONFIRM = "confirm", "确认享受（免申即享）"
    APPROVE = "approve", "审核通过"
    REJECT = "reject", "不予通过"
    WITHDRAW = "withdraw", "撤回申请"
    PUBLISH = "publish", "进入公示"
    FINALIZE = "finalize", "公示期满，批准"
    UPHOLD = "uphold", "异议成立，不予通过"


class StepDecision(models.TextChoices):
    PENDING = "pending", "待办"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "未通过"
    CANCELLED = "cancelled", "已取消"


class Level(models.TextChoices):
    DISTRICT = "district", "区县"
    CITY = "city", "市级"


class OfferStatus(models.TextChoices):
    PENDING = "pending", "待确认"
    CONFIRMED = "confirmed", "已确认"
    DECLINED = "declined", "已放弃"
    SUPERSEDED = "superseded", "已选择同组其他项"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", "待答复"
    DISMISSED = "dismissed", "异议不成立"
    UPHELD = "upheld", "异议成立"
