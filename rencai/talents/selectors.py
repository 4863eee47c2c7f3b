"""Reads of the registry, always scoped to what the user may see (accounts.permissions)."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Func, Q, QuerySet, Sum, TextField

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import jurisdiction_codes, require_government, talent_scope_q
from rencai.core.errors import NotFound, PermissionDenied

from .enums import Degree, EmploymentStatus, TalentCategory
from .models import Talent, TalentCount
from .triggers import NAME_GRAMS_FUNCTION, name_grams


@dataclass(frozen=True)
class TalentFilters:
    name: str = ""
    district: str = ""
    category: str = ""  # A-D, or "none" for not recognised
    degree: str = ""
    returnee: bool | None = None


def _filtered(qs: QuerySet, filters: TalentFilters) -> QuerySet:
    """The list's filters other than the name, on talents or on their kept counts (the same columns)."""
    if filters.district:
        qs = qs.filter(Q(district_id=filters.district) | Q(district__parent_id=filters.district))
    if filters.category == "none":
        qs = qs.filter(talent_category="")
    elif filters.category in TalentCategory.values:
        qs = qs.filter(talent_category=filters.category)
    if filters.degree in Degree.values:
        qs = qs.filter(highest_degree=filters.degree)
    if filters.returnee is not None:
        qs = qs.filter(returnee=filters.returnee)
    return qs


def talent_list(*, user: User, filters: TalentFilters | None = None) -> QuerySet[Talent]:
    filters = filters or TalentFilters()
    if user.role != "employer":
        require_government(user)
    # The district (a few dozen regions) is read by a second query rather than joined: joined, a name search's
    # few thousand candidates, misestimated as a dozen, were matched against every region in a nested loop.
    qs = Talent.objects.filter(talent_scope_q(user)).select_related("organization").prefetch_related("district")
    if filters.name.strip():
        qs = name_filter(qs, filters.name.strip())
    qs = _filtered(qs, filters)
    return qs.order_by("-id")


def name_filter(qs: QuerySet[Talent], name: str, *, prefix: str = "") -> QuerySet[Talent]:
    """Names containing ``name``. On PostgreSQL the GIN index of every name's characters and character pairs
    (talents.triggers) finds the candidates first, whatever the length of the search (pg_trgm needs three
    characters); the LIKE then checks each candidate."""
    qs = qs.filter(**{f"{prefix}name__contains": name})
    if connection.vendor == "postgresql":
        from django.contrib.postgres.fields import ArrayField

        grams = Func(F(f"{prefix}name"), function=NAME_GRAMS_FUNCTION, output_field=ArrayField(TextField()))
        qs = qs.alias(_name_grams=grams).filter(_name_grams__contains=name_grams(name))
    return qs


def talent_count(*, user: User, filters: TalentFilters | None = None) -> int | None:
    """The exact number of talents ``talent_list`` returns, read from the kept counts (TalentCount) for a
    government user or an administrator and any filter but the name; None when they cannot say (a name search,
    an employer's staff list: count the list itself)."""
    filters = filters or TalentFilters()
    if filters.name.strip() or not (user.is_authenticated and (user.is_government or user.is_administrator)):
        return None
    qs = TalentCount.objects.all()
    if not user.is_administrator:
        qs = qs.filter(district_id__in=jurisdiction_codes(user))
    qs = _filtered(qs, filters)
    return qs.aggregate(n=Sum("n"))["n"] or 0


def registry_overview(*, user: User) -> dict:
    """The home page's figures for a government user or an administrator, within their jurisdiction: the total,
    the recognised by category, the returnees, and the recognised by year of recognition — from the kept counts
    (TalentCount: one query over a few thousand rows, not a count of a million talents)."""
    require_government(user)
    qs = TalentCount.objects.all()
    if not user.is_administrator:
        qs = qs.filter(district_id__in=jurisdiction_codes(user))
    rows = qs.values("talent_category", "returnee", "recognized_year").annotate(total=Sum("n")).filter(total__gt=0)
    total = returnees = 0
    categories = dict.fromkeys(TalentCategory.values, 0)
    years: dict = {}
    for row in rows:
        n, category = row["total"], row["talent_category"]
        total += n
        returnees += n if row["returnee"] else 0
        if category in categories:
            categories[category] += n
            year = years.setdefault(row["recognized_year"] or None, dict.fromkeys(TalentCategory.values, 0))
            year[category] += n
    return {
        "scope": user.department.region.name if user.department_id else "全部",
        "total": total,
        "recognised": sum(categories.values()),
        "returnees": returnees,
        "categories": [(label.split("（")[0], categories[code]) for code, label in TalentCategory.choices],
        "years": [(year, [counts[c] for c in TalentCategory.values], sum(counts.values()))
                  for year, counts in sorted(years.items(), key=lambda item: item[0] or 0, reverse=True)],
    }


def talent_get(*, user: User, talent_id: int) -> Talent:
    """A talent the user may read, or NotFound (never revealing whether it exists elsewhere)."""
    talent = (
        Talent.objects.filter(talent_scope_q(user), pk=talent_id)
        .select_related("district", "district__parent", "organization")
        .prefetch_related("educations")
        .first()
    )
    if talent is None:
        raise NotFound()
    return talent


def employment_claims(*, user: User) -> QuerySet[Talent]:
    """任职确认: claims of employment waiting for a decision — an employer's own (a claim names the employer,
    so it may see the claimant to decide), or, for staff, those in their jurisdiction."""
    pending = Q(employment_status=EmploymentStatus.CLAIMED, organization__isnull=False)
    if user.is_authenticated and user.role == Role.EMPLOYER and user.organization_id:
        qs = Talent.objects.filter(pending, organization_id=user.organization_id)
    elif user.is_authenticated and (user.role == Role.STAFF or user.is_administrator):
        qs = Talent.objects.filter(pending, talent_scope_q(user))
    else:
        raise PermissionDenied("只有用人单位和政府工作人员可以处理任职确认")
    return qs.select_related("district", "organization").order_by("created_at", "pk")


def employment_claim_get(*, user: User, talent_id: int) -> Talent:
    """A claim the user may decide: pending for an employer; any employment in the jurisdiction for staff."""
    if user.is_authenticated and (user.role == Role.STAFF or user.is_administrator):
        qs = Talent.objects.filter(talent_scope_q(user), organization__isnull=False)
    else:
        qs = employment_claims(user=user)
    talent = qs.select_related("district", "organization").filter(pk=talent_id).first()
    if talent is None:
        raise NotFound("未找到该任职申报，或已处理")
    return talent


def talent_for_user(*, user: User) -> Talent | None:
    return Talent.objects.filter(user=user).select_related("district", "organization").first()
