"""Reads of 人才对接's jobs and 见习: every list scoped to the viewer (an employer its own organization's, staff
their jurisdiction's districts, a talent their own applications)."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import jurisdiction_codes, scope_related
from rencai.core.errors import NotFound
from rencai.core.parsing import optional_int
from rencai.organizations.enums import Industry
from rencai.talents.enums import DEGREE_RANK, Degree

from .enums import ApplicationState, OpportunityKind, OpportunityStatus
from .models import Application, Opportunity


def _opportunity_scope_q(user: User, prefix: str = "") -> Q:
    """Opportunities the user handles: an employer its organization's; staff and leaders their jurisdiction's."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_administrator:
        return Q()
    if user.role == Role.EMPLOYER and user.organization_id:
        return Q(**{f"{prefix}organization_id": user.organization_id})
    if user.role in (Role.STAFF, Role.LEADER):
        return Q(**{f"{prefix}district_id__in": jurisdiction_codes(user)})
    return Q(pk__in=[])


@dataclass(frozen=True)
class Retention:
    organization_id: int
    organization_name: str
    district_name: str
    ended: int
    retained: int

    @property
    def rate(self) -> Decimal:
        """Retained of ended, in per cent with one decimal (003 names no threshold: the rate is only shown)."""
        if not self.ended:
            return Decimal(0)
        return (Decimal(self.retained) * 100 / self.ended).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def internship_retention(user: User, *, year: int) -> list[Retention]:
    """Per 见习 unit in the viewer's scope: trainees whose 见习 ended in ``year``, those the unit kept, the rate
    (003: "对于留用率较高的见习单位,给予一定的资金补贴" — "较高" and "一定" are left open; see the policy
    nt-internship-retention-subsidy). Highest rate first."""
    rows = (Application.objects.filter(_opportunity_scope_q(user, "opportunity__"),
                                       opportunity__kind=OpportunityKind.INTERNSHIP, state=ApplicationState.HIRED,
                                       internship_ended_on__gte=dt.date(year, 1, 1),
                                       internship_ended_on__lte=dt.date(year, 12, 31),
                                       opportunity__organization__isnull=False)
            .values("opportunity__organization_id", "opportunity__organization__name",
                    "opportunity__organization__district__name")
            .annotate(ended=Count("pk"), kept=Count("pk", filter=Q(retained=True))))
    result = [Retention(r["opportunity__organization_id"], r["opportunity__organization__name"],
                        r["opportunity__organization__district__name"], r["ended"], r["kept"]) for r in rows]
    return sorted(result, key=lambda r: (-r.rate, -r.ended, r.organization_name))


# --- opportunities ------------------------------------------------------------------------------------------------

def opportunities_handled(user: User):
    """Every opportunity the user publishes or oversees, whatever its status (an employer its organization's,
    staff and leaders their jurisdiction's districts, administrators all)."""
    return Opportunity.objects.filter(_opportunity_scope_q(user)).select_related("organization", "district")


def opportunity_get(user: User, opportunity_id) -> Opportunity:
    """An opportunity the user may open: published or closed ones for everyone signed in; drafts, pending and
    returned ones only for its publisher and the staff over its district. NotFound otherwise."""
    from .services import is_publisher, staff_covers

    pk = optional_int(opportunity_id)
    opportunity = (Opportunity.objects.select_related("organization", "district", "shortage_entry")
                   .filter(pk=pk).first() if pk else None)
    if opportunity is None:
        raise NotFound("未找到该对接机会")
    if opportunity.status in (OpportunityStatus.PUBLISHED, OpportunityStatus.CLOSED):
        return opportunity
    if is_publisher(user, opportunity) or staff_covers(user, opportunity.district_id) or (
            user.is_authenticated and user.role == Role.LEADER
            and opportunity.district_id in jurisdiction_codes(user)):
        return opportunity
    raise NotFound("未找到该对接机会")


def opportunities_open(*, kinds=None, filters: dict | None = None, today: dt.date | None = None):
    """Published opportunities not past their closing date (the public page, the talent's list)."""
    today = today or timezone.localdate()
    rows = Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED, closes_on__gte=today)
    if kinds:
        rows = rows.filter(kind__in=kinds)
    return _filtered(rows, filters or {}).select_related("organization", "district")


def _filtered(rows, filters: dict):
    if filters.get("kind"):
        rows = rows.filter(kind=filters["kind"])
    if filters.get("industry"):
        rows = rows.filter(industry=filters["industry"])
    if filters.get("district"):
        rows = rows.filter(district_id=filters["district"])
    if filters.get("degree"):
        rank = DEGREE_RANK.get(filters["degree"], 0)
        fits = [d for d, r in DEGREE_RANK.items() if r <= rank]
        rows = rows.filter(Q(degree_min="") | Q(degree_min__in=fits))
    if filters.get("targeted") == "1":
        rows = rows.filter(targeted_returnee=True)
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("q"):
        rows = rows.filter(Q(title__icontains=filters["q"]) | Q(majors__icontains=filters["q"]))
    return rows


def opportunity_filters(params) -> dict:
    """The list filters read from a query string, each kept only when it is a known value."""
    district = params.get("district", "")
    return {"kind": params.get("kind", "") if params.get("kind", "") in OpportunityKind.values else "",
            "industry": params.get("industry", "") if params.get("industry", "") in Industry.values else "",
            "district": district if district.isdigit() and len(district) == 6 else "",
            "degree": params.get("degree", "") if params.get("degree", "") in Degree.values else "",
            "targeted": "1" if params.get("targeted") == "1" else "",
            "status": params.get("status", "") if params.get("status", "") in OpportunityStatus.values else "",
            "q": params.get("q", "").strip()[:50]}


def opportunities_filtered(user: User, filters: dict):
    return _filtered(opportunities_handled(user), filters)


def review_queue(user: User):
    """Pending opportunities of the staff's jurisdiction, oldest first."""
    return opportunities_handled(user).filter(status=OpportunityStatus.PENDING).order_by("updated_at", "id")


# --- applications --------------------------------------------------------------------------------------------------

def applications_of(user: User, opportunity: Opportunity):
    """The applicants of an opportunity the user handles: the publisher sees all of its own (the talent sent
    them their profile by applying); staff only those whose talent is in their jurisdiction now."""
    from .services import is_publisher, may_handle

    if not may_handle(user, opportunity):
        raise NotFound("未找到该对接机会，或不在您的管辖范围内")
    rows = Application.objects.filter(opportunity=opportunity)
    if not is_publisher(user, opportunity):
        rows = rows.filter(scope_related(user, "talent"))
    return (rows.select_related("talent", "talent__district").prefetch_related("documents", "steps")
            .order_by("-created_at", "-id"))


def my_applications(user: User):
    """A talent's own applications with their opportunity and steps."""
    if not user.is_authenticated or user.role != Role.TALENT:
        return Application.objects.none()
    return (Application.objects.filter(talent__user_id=user.pk)
            .select_related("opportunity", "opportunity__organization").prefetch_related("steps")
            .order_by("-created_at", "-id"))


def my_application_for(user: User, opportunity: Opportunity) -> Application | None:
    return my_applications(user).filter(opportunity=opportunity).exclude(state=ApplicationState.WITHDRAWN).first()


def application_get(user: User, application_id) -> Application:
    """An application the user may act on: the talent's own, or one of an opportunity they handle."""
    from .services import may_handle

    pk = optional_int(application_id)
    application = (Application.objects.select_related("opportunity", "talent").filter(pk=pk).first()
                   if pk else None)
    if application is None or not (application.talent.user_id == user.pk or may_handle(user, application.opportunity)):
        raise NotFound("未找到该申请，或不在您的管辖范围内")
    return application
