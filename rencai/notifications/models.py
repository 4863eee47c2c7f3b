"""In-site messages (站内消息), one per (recipient, key), and the state of the e-mail sent for each."""

from django.conf import settings
from django.db import models


class EmailState(models.TextChoices):
    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    SKIPPED = "skipped", "无邮箱，未发送"
    FAILED = "failed", "发送失败"


class Notification(models.Model):
    # No index of its own: the unique (recipient, key) and the unread index both begin with it (one index less
    # to write for each of a re-match's hundred thousand messages).
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name="接收人", db_index=False)
    kind = models.CharField("类别", max_length=64)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=500, blank=True)
    # What makes a message the same message: notify() with a key already sent to this recipient does nothing.
    key = models.CharField("去重键", max_length=200)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    email_state = models.CharField("邮件", max_length=10, choices=EmailState.choices, default=EmailState.PENDING)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    email_error = models.CharField("邮件错误", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["email_state", "created_at"], name="notification_email_idx"),
        ]

    def __str__(self) -> str:
        return self.title
