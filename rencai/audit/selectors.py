"""Reads of the audit log: auditors and administrators only; a district auditor sees the acts concerning
their department's region."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.core.errors import PermissionDenied

from .enums import AuditAction
from .models import AuditEvent


def require_auditor(user: User) -> None:
    if not (user.is_authenticated and user.is_active and (user.role == Role.AUDITOR or user.is_administrator)):
        raise PermissionDenied("只有审计员和系统管理员可以查看审计日志")


def audit_scope_q(user: User) -> Q:
    require_auditor(user)
    if user.is_administrator or user.department_id is None:
        return Q()
    from rencai.regions.models import code_prefix

    prefix = code_prefix(user.department.region_id)
    return Q(region_code__startswith=prefix) | Q(region_code="")


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def audit_search(*, user: User, filters: AuditFilters | None = None) -> QuerySet[AuditEvent]:
    filters = filters or AuditFilters()
    qs = AuditEvent.objects.filter(audit_scope_q(user))
    if filters.actor:
        qs = qs.filter(actor_name__contains=filters.actor.strip())
    if filters.action in AuditAction.values:
        qs = qs.filter(action=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type.strip())
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id.strip())
    if filters.date_from:
        qs = qs.filter(at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(at__date__lte=filters.date_to)
    return qs.order_by("-at", "-id")
