"""Reads of 人才对接's jobs and 见习: every list scoped to the viewer (an employer its own organization's, staff
their jurisdiction's districts, a talent their own applications)."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import jurisdiction_codes

from .enums import ApplicationState, OpportunityKind
from .models import Application


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
