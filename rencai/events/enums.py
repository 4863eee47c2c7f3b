from django.db import models


class EventKind(models.TextChoices):
    """003: "每年组织归国人才专题对接活动不少于10场", "每年组织海外专场招聘会", 创业周, 南通人才日;
    000: 海外学子创业周."""

    FAIR = "fair", "招聘会"
    RETURNEE = "returnee", "归国人才专题对接活动"
    OVERSEAS = "overseas", "海外专场招聘会"
    STARTUP_WEEK = "startup_week", "创业周"
    TALENT_DAY = "talent_day", "人才日"
    ROADSHOW = "roadshow", "项目路演"
    ONLINE = "online", "线上活动"
    OTHER = "other", "其他"


# The kinds 台账 counts against 003's "归国人才专题对接活动不少于10场" (the document's own and the like: fairs for
# returnees abroad, 创业周, 人才日, roadshows — every 对接 event the office holds).
LEDGER_KINDS = tuple(EventKind.values)


class EventStatus(models.TextChoices):
    PUBLISHED = "published", "已发布"
    CANCELLED = "cancelled", "已取消"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", "跟踪中"
    CLOSED = "closed", "已结束"


class FollowUpAction(models.TextChoices):
    CREATE = "create", "建立跟踪"
    NOTE = "note", "联系记录"
    REASSIGN = "reassign", "转交"
    CLOSE = "close", "结束跟踪"


PERSON_ACTIONS = (FollowUpAction.NOTE, FollowUpAction.REASSIGN, FollowUpAction.CLOSE)
