"""The audit log (审计日志): append-only. The application never changes or deletes an event: save() refuses an
update, delete() and the queryset's update()/delete() refuse, the admin site is read-only, and database
triggers (SQLite and PostgreSQL, see triggers.py) reject UPDATE and DELETE issued by anyone."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .enums import AuditAction


class AuditLogImmutable(Exception):
    """An attempt to change or delete an audit event: a programming error, never a user's."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogImmutable("审计日志不可修改")

    def delete(self):
        raise AuditLogImmutable("审计日志不可删除")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogImmutable("审计日志不可修改")


class AuditEvent(models.Model):
    """One act worth answering for: who (and in which role), what, on which object, in which jurisdiction,
    with which filter and how many rows, from where, when. ``summary`` is Chinese and never holds a clear
    personal number."""

    at = models.DateTimeField("时间", default=timezone.now, db_index=True, editable=False)
    # No database constraint and no cascade: deleting a user must neither fail on nor touch the log.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
                              db_constraint=False, related_name="+", verbose_name="操作人")
    actor_name = models.CharField("操作人", max_length=150, db_index=True)
    actor_role = models.CharField("角色", max_length=10)
    action = models.CharField("操作", max_length=20, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField("对象类型", max_length=40, blank=True)
    object_id = models.CharField("对象编号", max_length=40, blank=True)
    # The jurisdiction the act concerns (a talent's district, else the actor's department's region): what a
    # district auditor may search.
    region_code = models.CharField("所涉区域代码", max_length=12, blank=True, db_index=True)
    summary = models.CharField("摘要", max_length=500)
    filters = models.JSONField("筛选条件", default=dict, blank=True)
    row_count = models.PositiveIntegerField("行数", null=True, blank=True)
    details = models.JSONField("详情", default=dict, blank=True)  # e.g. a reveal's field and reason
    ip_address = models.GenericIPAddressField("来源地址", null=True, blank=True)

    # A migration that rebuilds this table on SQLite (most field changes) drops its triggers: end it with
    # RunPython(triggers.install) — test_log's raw UPDATE/DELETE test fails otherwise.
    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = "审计日志"
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutable("审计日志不可修改")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable("审计日志不可删除")
