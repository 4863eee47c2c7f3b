"""Who takes a 差评 follow-up or a complaint: a supervisor of the department concerned — never the person it is
about. A supervisor is a staff member holding ``feedback.supervise`` or the 一件事 app's
``services.supervise_services`` (督办: one department head does both, so one grant is enough).

The order (``supervisor_for``):
1. the supervisors of the department concerned, other than the person concerned;
2. else, going up the region tree, the supervisors of the same kind of department above it (和平区人力资源和社会保障局
   → 沈阳市人力资源和社会保障局: the department's name without its region's name), other than the person concerned;
3. else an active administrator.
Among several at one level, the one with the fewest open cases (then the lowest id): the load is balanced.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db.models import Count, Q

from rencai.accounts.enums import Role
from rencai.accounts.models import Department, User
from rencai.core.errors import Conflict

from .enums import CaseStatus

PERMISSIONS = (("feedback", "supervise"), ("services", "supervise_services"))


def supervisors_q() -> Q:
    permission = Permission.objects.filter(
        Q(content_type__app_label=PERMISSIONS[0][0], codename=PERMISSIONS[0][1])
        | Q(content_type__app_label=PERMISSIONS[1][0], codename=PERMISSIONS[1][1]))
    return (Q(user_permissions__in=permission) | Q(groups__permissions__in=permission)) & Q(
        role=Role.STAFF, is_active=True)


def is_supervisor(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.STAFF and user.department_id
                and any(user.has_perm(f"{app}.{codename}") for app, codename in PERMISSIONS))


def department_kind(department: Department) -> str:
    """The department's name without its region's name: 和平区人力资源和社会保障局 → 人力资源和社会保障局."""
    region = department.region.name
    return department.name[len(region):] if department.name.startswith(region) else department.name


def departments_above(department: Department) -> list[Department]:
    """Departments of the same kind in the regions above, nearest first."""
    kind = department_kind(department)
    found, region = [], department.region.parent
    while region is not None:
        found += [d for d in Department.objects.filter(region=region).select_related("region").order_by("pk")
                  if department_kind(d) == kind]
        region = region.parent
    return found


def _least_loaded(users) -> User | None:
    from .models import Case

    ids = [u.pk for u in users]
    if not ids:
        return None
    load = dict(Case.objects.filter(assignee_id__in=ids).exclude(status=CaseStatus.RESOLVED)
                .values_list("assignee_id").annotate(n=Count("pk")).values_list("assignee_id", "n"))
    return min(users, key=lambda u: (load.get(u.pk, 0), u.pk))


def supervisor_for(department: Department | None, *, concerned: int | None) -> tuple[User, str]:
    """(the supervisor, how they were chosen, in Chinese). ``concerned``: the id of the person the case is
    about, who is never chosen."""
    chain = [department, *departments_above(department)] if department is not None else []
    for level, dept in enumerate(chain):
        users = list(User.objects.filter(supervisors_q(), department=dept).exclude(pk=concerned or 0)
                     .distinct().order_by("pk"))
        chosen = _least_loaded(users)
        if chosen is not None:
            how = f"{dept.name}主管" if level == 0 else f"上级部门主管（{dept.name}；{department.name}无其他主管）"
            return chosen, how
    admins = list(User.objects.filter(Q(role=Role.ADMIN) | Q(is_superuser=True), is_active=True)
                  .exclude(pk=concerned or 0).order_by("pk"))
    chosen = _least_loaded(admins)
    if chosen is None:
        raise Conflict("暂无可以承办的主管或系统管理员，请联系系统管理员设置部门主管")
    where = department.name if department is not None else "涉及部门"
    return chosen, f"系统管理员（{where}及其上级部门没有其他主管）"
