"""Who may do what in the data centre.

- The dashboard (feeds, freshness, match rates, counts): government users (staff and leaders) and administrators;
  the figures are of whole feeds, not of people. Discrepancies are listed through the talent's current record
  (``scope_related``), like every list derived from talents.
- A feed's rows — a load's row report, its unmatched rows (numbers masked) and their exports: the feed's owner
  department, city-level government users and administrators. Unmatched rows belong to no district (the person
  is not in the registry), so a district office does not see them.
- Loading a file and rotating the push token: staff of the owner department, city-level staff, administrators.
  Leaders read only.
"""

from rencai.accounts.enums import Role
from rencai.core.errors import PermissionDenied


def _city_level(user) -> bool:
    from rencai.regions.models import RegionLevel, level_of

    department = getattr(user, "department", None)
    return department is not None and level_of(department.region_id) != RegionLevel.DISTRICT


def _owner(user, feed) -> bool:
    return bool(getattr(user, "department_id", None)) and user.department_id == feed.department_id


def may_view_dashboard(user) -> bool:
    return user.is_authenticated and user.is_active and (user.is_government or user.is_administrator)


def may_see_rows(user, feed) -> bool:
    if not may_view_dashboard(user):
        return False
    return user.is_administrator or _owner(user, feed) or _city_level(user)


def may_load(user, feed) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_administrator:
        return True
    return user.role == Role.STAFF and (_owner(user, feed) or _city_level(user))


def require_dashboard(user) -> None:
    if not may_view_dashboard(user):
        raise PermissionDenied("只有政府工作人员、领导和系统管理员可以查看数据中心")
