"""The one way into the audit log. ``audit_record`` writes in the caller's transaction: the act and its record
are committed together or not at all."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address

from .context import client_ip
from .enums import AuditAction
from .models import AuditEvent


def _region_of(actor, obj) -> str:
    district = getattr(obj, "district_id", None)
    if district:
        return str(district)
    department = getattr(actor, "department", None) if actor is not None else None
    return str(department.region_id) if department is not None else ""


def _ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        validate_ipv46_address(value)
    except ValidationError:
        return None
    return value


def audit_record(*, actor, action: AuditAction | str, summary: str, obj=None, object_type: str = "",
                 object_id: object = "", region_code: str | None = None, filters: dict | None = None,
                 row_count: int | None = None, ip_address: str | None = None, details: dict | None = None
                 ) -> AuditEvent:
    """Append one event. ``obj`` (a model instance) gives the object type and id and, for a talent (or anything
    with a ``district``), the region; otherwise the actor's department's region is used."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    if region_code is None:
        region_code = _region_of(actor if authenticated else None, obj)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_name=(actor.get_username() if authenticated else "（匿名）")[:150],
        actor_role=(getattr(actor, "role", "") if authenticated else "")[:10],
        action=action,
        object_type=object_type[:40],
        object_id=str(object_id if object_id is not None else "")[:40],
        region_code=region_code[:12],
        summary=summary[:500],
        filters={k: v for k, v in (filters or {}).items() if v not in (None, "", [])},
        row_count=row_count,
        details=details or {},
        ip_address=_ip(ip_address or client_ip.get()),
    )
