"""The vocabularies of 人才服务 (一件事): values are codes, labels what people read."""

from django.db import models


class RequestStatus(models.TextChoices):
    OPEN = "open", "办理中"
    DONE = "done", "已办结"
    CANCELLED = "cancelled", "已撤销"


class PartStatus(models.TextChoices):
    WAITING = "waiting", "待受理"
    ASSIGNED = "assigned", "办理中"
    DONE = "done", "已办结"
    DECLINED = "declined", "不予办理"
    CANCELLED = "cancelled", "已撤销"


OPEN_PART_STATUSES = (PartStatus.WAITING, PartStatus.ASSIGNED)
CLOSED_PART_STATUSES = (PartStatus.DONE, PartStatus.DECLINED, PartStatus.CANCELLED)


class Escalation(models.TextChoices):
    NONE = "", "正常"
    AT_RISK = "at_risk", "即将超期"
    BREACHED = "breached", "已超期"


class PartAction(models.TextChoices):
    ROUTE = "route", "分送承办部门"
    ASSIGN = "assign", "分派承办人"
    COMPLETE = "complete", "办结"
    DECLINE = "decline", "不予办理"
    CANCEL = "cancel", "撤销"
    AT_RISK = "at_risk", "即将超期，上报督办"
    BREACH = "breach", "已超期，上报督办"


class Origin(models.TextChoices):
    TALENT = "talent", "本人申请"
    SPECIALIST = "specialist", "服务专员代为申请"
    WINDOW = "window", "窗口受理（工作人员代录）"

