"""The vocabularies of 政策咨询, 好差评 and 监督反馈: values are codes, labels what people read."""

from django.db import models


class ConsultationStatus(models.TextChoices):
    OPEN = "open", "待答复"
    ANSWERED = "answered", "已答复"


class ConsultationAction(models.TextChoices):
    ASK = "ask", "提出咨询"
    ANSWER = "answer", "答复"
    PUBLISH = "publish", "发布为常见问题"
    UNPUBLISH = "unpublish", "撤下常见问题"


class Grade(models.TextChoices):
    """The national 政务服务 好差评 scale, best first."""

    VERY_SATISFIED = "very_satisfied", "非常满意"
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"
    VERY_DISSATISFIED = "very_dissatisfied", "非常不满意"


POOR_GRADES = (Grade.DISSATISFIED, Grade.VERY_DISSATISFIED)  # 差评: a follow-up case is opened


class CaseKind(models.TextChoices):
    FOLLOW_UP = "follow_up", "差评回访"
    COMPLAINT = "complaint", "监督反馈"


class CaseStatus(models.TextChoices):
    OPEN = "open", "待回访"
    CALLED_BACK = "called_back", "已回访，整改中"
    RESOLVED = "resolved", "已办结"


class CaseAction(models.TextChoices):
    OPEN = "open", "立案"
    CALL_BACK = "call_back", "回访"
    RESOLVE = "resolve", "办结"
    ESCALATE = "escalate", "超期提醒"


class DeadlineState(models.TextChoices):
    """Flipped by the daily check (``feedback_check`` on the worker's schedule), not when someone opens the case."""

    ON_TIME = "on_time", "未超期"
    CALLBACK_LATE = "callback_late", "回访超期"
    RESOLVE_LATE = "resolve_late", "办结超期"


class AboutKind(models.TextChoices):
    """What a complaint is about."""

    DEPARTMENT = "department", "部门"
    PERSON = "person", "工作人员"
    ITEM = "item", "办理事项"
