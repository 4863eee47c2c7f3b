"""Who may see what. Every selector of personal data asks these functions; nothing bypasses them."""

from django.db.models import Q

from rencai.core.errors import PermissionDenied

from .enums import Role
from .models import User

REVEAL_PERMISSION = "talents.reveal_personal_data"


def talent_scope_q(user: User, *, prefix: str = "") -> Q:
    """The talents this user may read: administrators all; staff and leaders the talents whose *current*
    district lies in their department's region; employer staff their own employees, once the employment is
    confirmed (by the employer or by staff: a talent's claim alone shows them nothing); a talent only their
    own record. ``prefix`` ("talent__") scopes a model related to the talent (see ``scope_related``)."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_administrator:
        return Q()
    if user.role in (Role.STAFF, Role.LEADER):
        return Q(**{f"{prefix}district_id__in": jurisdiction_codes(user)})
    if user.role == Role.EMPLOYER:
        from rencai.talents.enums import EmploymentStatus

        return Q(**{f"{prefix}organization_id": user.organization_id,
                    f"{prefix}employment_status": EmploymentStatus.CONFIRMED})
    return Q(**{f"{prefix}user_id": user.pk})


def jurisdiction_codes(user: User) -> list[str]:
    """The region codes of a government user's jurisdiction (their department's region and every region under
    it), read once per user object (a request). Scoping by this list of district ids lets the database use the
    index on the district, instead of joining the region table and testing a code prefix per row."""
    codes = getattr(user, "_jurisdiction_codes", None)
    if codes is None:
        from rencai.regions.selectors import region_codes_under

        codes = user._jurisdiction_codes = region_codes_under(code=user.department.region_id)
    return codes


def scope_related(user: User, relation: str = "talent") -> Q:
    """The rule for every list derived from talents (政策找人's matches, applications, recognitions, payments,
    service requests, warnings, ...): scope it through the talent's *current* record, never through a copy
    taken when the row was made (a talent who moves district leaves the old office's lists at once).
    ``relation`` is the path from the derived model to Talent. One join on the talent (and its district for
    government users); no per-row work."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_administrator:
        return Q()
    return talent_scope_q(user, prefix=f"{relation}__")


def staff_over(region_code: str) -> list[int]:
    """The ids of the active staff whose jurisdiction holds the region: those of its own department and of the
    departments above it (GB/T 2260 codes are hierarchical by digits, so its ancestors are its code cut to the
    city and the province) — one query, for telling the offices concerned."""
    code = str(region_code)
    above = {code, code[:4] + "00", code[:2] + "0000"}
    return list(User.objects.filter(role=Role.STAFF, is_active=True, department__region_id__in=above)
                .values_list("pk", flat=True))


def require_staff(user: User) -> None:
    """Government staff or administrators: the roles that register and edit talents."""
    if not (user.is_authenticated and (user.role == Role.STAFF or user.is_administrator)):
        raise PermissionDenied("只有政府工作人员可以执行此操作")


def require_government(user: User) -> None:
    """Staff, leaders (read-only) and administrators: the roles that see lists of talents."""
    if not (user.is_authenticated and (user.is_government or user.is_administrator)):
        raise PermissionDenied("只有政府工作人员和领导可以查看人才列表")


def can_reveal(user: User) -> bool:
    return user.is_authenticated and user.role != Role.LEADER and user.has_perm(REVEAL_PERMISSION)


def can_see_birth_date(user: User) -> bool:
    """The full birth date is shown only to those who may reveal the number it is part of (their work needs
    it: checking documents); everyone else — leaders, employers, experts, the talent themself — sees the year.
    With the year, the masked 身份证 still leaves thousands of candidates (core.masking)."""
    return can_reveal(user)
