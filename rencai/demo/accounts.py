"""The demo's accounts, one per role, printed by `rencai demo` and `make run`."""

from functools import cache

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import transaction

from rencai.accounts.enums import Role
from rencai.accounts.models import Department, User
from rencai.organizations.models import Organization
from rencai.talents.models import Talent

DEMO_PASSWORD = "rencai-demo"  # noqa: S105 — a published demo password, for local demo data only


@cache
def demo_password_hash() -> str:
    """The demo password hashed once per process (PBKDF2 takes a third of a second; the demo has 15 accounts,
    all with the same published password)."""
    return make_password(DEMO_PASSWORD)


# (user name, department, region, role, the person's name shown in the header and the audit log, what the account
# is for). The header adds the department in brackets, so a name that said it too read
# "和平区工作人员（和平区人力资源和社会保障局）" (issue 12): people are named by their names.
DEPARTMENTS = [
    ("city_staff", "沈阳市人力资源和社会保障局", "210100", Role.STAFF, "刘明远", "市人社局工作人员（全市）"),
    ("heping_staff", "和平区人力资源和社会保障局", "210102", Role.STAFF, "张丽华", "和平区工作人员"),
    ("hunnan_staff", "浑南区人力资源和社会保障局", "210112", Role.STAFF, "陈志刚", "浑南区工作人员"),
    ("leader", "沈阳市人力资源和社会保障局", "210100", Role.LEADER, "王建国", "市领导（只读，全市）"),
    ("auditor", "沈阳市人力资源和社会保障局", "210100", Role.AUDITOR, "赵敏", "审计员（全市审计日志，只读）"),
    ("policy_officer", "沈阳市人力资源和社会保障局", "210100", Role.STAFF, "孙政策",
     "政策制定人员（政策工作台：编写、测试、测算和发布政策规则）"),
]
# Staff accounts that hold a role of their own besides staff work (issue 13: 政策制定人员).
POLICY_OFFICERS = {"policy_officer"}


HEPING = "210102"  # the district of the demo's district officer (heping_staff)


def demo_employer_organization() -> Organization | None:
    """The demo employer: the first enterprise of 和平区 (by id) with at least five unrecognised employees, so
    that its recognition applications wait in 和平区's queue (the most such employees if none has five; any
    enterprise with staff if 和平区 has none). Index look-ups only, whatever the size of the registry."""
    best, most = None, 0
    for organization in Organization.objects.filter(kind="enterprise", district_id=HEPING).order_by("pk")[:200]:
        n = len(Talent.objects.filter(organization=organization, talent_category="", user__isnull=True)
                .values_list("pk", flat=True)[:5])
        if n > most:
            best, most = organization, n
        if n >= 5:
            break
    return best or Organization.objects.filter(kind="enterprise", talent__isnull=False).order_by("pk").first()


@transaction.atomic
def demo_accounts_create() -> list[tuple[str, str, str]]:
    """Create (or reset) one account per role; returns (username, password, description) rows."""
    rows = []
    admin, _ = User.objects.update_or_create(
        username="admin", defaults={"role": Role.ADMIN, "is_staff": True, "is_superuser": True,
                                    "display_name": "系统管理员"})
    admin.password = demo_password_hash()
    admin.save()
    rows.append(("admin", DEMO_PASSWORD, "系统管理员（全部数据，含后台）"))
    reveal = Permission.objects.get(codename="reveal_personal_data", content_type__app_label="talents")
    for username, dept_name, region, role, name, description in DEPARTMENTS:
        department, _ = Department.objects.get_or_create(name=dept_name, region_id=region)
        user, _ = User.objects.update_or_create(
            username=username, defaults={"role": role, "department": department, "display_name": name})
        user.password = demo_password_hash()
        user.save()
        if role == Role.STAFF:
            user.user_permissions.add(reveal)
        if username in POLICY_OFFICERS:
            user.user_permissions.add(Permission.objects.get(codename="edit_rules",
                                                             content_type__app_label="workbench"))
        rows.append((username, DEMO_PASSWORD, description))

    organization = demo_employer_organization()
    if organization:
        employer, _ = User.objects.update_or_create(
            username="employer", defaults={"role": Role.EMPLOYER, "organization": organization,
                                           "display_name": f"{organization.name}人事专员"})
        employer.password = demo_password_hash()
        employer.save()
        rows.append(("employer", DEMO_PASSWORD, f"用人单位：{organization.name}"))

    talent = (Talent.objects.filter(user__isnull=True, returnee=True, highest_degree="doctor", talent_category="D",
                                    district_id="210112").order_by("pk").first()
              or Talent.objects.filter(user__isnull=True).order_by("pk").first())
    existing = User.objects.filter(username="talent").first()
    if talent and not (existing and hasattr(existing, "talent")):
        user, _ = User.objects.update_or_create(username="talent",
                                                defaults={"role": Role.TALENT, "display_name": talent.name})
        user.password = demo_password_hash()
        user.save()
        talent.user = user
        talent.save(update_fields=["user"])
    if User.objects.filter(username="talent").exists():
        name = User.objects.get(username="talent").display_name
        rows.append(("talent", DEMO_PASSWORD, f"人才本人：{name}"))
    return rows
