"""Reads of the registry, always scoped to what the user may see (accounts.permissions)."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import require_government, talent_scope_q
from rencai.core.errors import NotFound, PermissionDenied

from .enums import Degree, EmploymentStatus, TalentCategory
from .models import Talent


@dataclass(frozen=True)
class TalentFilters:
    name: str = ""
    district: str = ""
    category: str = ""  # A-D, or "none" for not recognised
    degree: str = ""
    returnee: bool | None = None


def talent_list(*, user: User, filters: TalentFilters | None = None) -> QuerySet[Talent]:
    filters = filters or TalentFilters()
    if user.role != "employer":
        require_government(user)
    qs = Talent.objects.filter(talent_scope_q(user)).select_related("district", "organization")
    if filters.name:
        qs = qs.filter(name__contains=filters.name.strip())
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
    return qs.order_by("-id")


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
