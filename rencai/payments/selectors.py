"""Reads of the payments app, permission-scoped: every list derived from talents goes through the talent's
*current* record (``scope_related``); a unit's programme grant (an entitlement without a talent) through the
organization's current district (``entitlement_scope_q``)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import jurisdiction_codes, require_government, scope_related
from rencai.core.errors import NotFound, PermissionDenied

from .budgets import budget_forecast
from .models import (
    BankAccount,
    BatchLine,
    BatchStatus,
    BudgetLine,
    Entitlement,
    EntitlementStatus,
    Payment,
    PaymentBatch,
    PaymentSkip,
    SkipKind,
    add_months,
    fen_to_yuan,
)


def policy_title(policy_id: str) -> str:
    from rencai.policies.calculator import default_catalog

    policy = default_catalog().policies.get(policy_id)
    return policy.title if policy else "（已移出目录的政策）"


def entitlement_scope_q(user: User, relation: str = "") -> Q:
    """The entitlements (``relation`` "entitlement__" or "payment__entitlement__" for rows derived from one)
    this user may read: a talent's through the talent's current record (``scope_related``), as every list
    derived from talents; a unit's programme grant (no talent) through the organization's *current* district
    for government users, its own organization's for employer staff, and never for a talent or anyone else.

    Where a viewer may see units' rows, the two halves are one list of ids (``UNION ALL`` in a subquery: a
    semi-join), not an OR across the talent's and the organization's joins — that would turn the talent join
    into an outer join the planner cannot drive from the talent's index (an employer's few employees, a
    district), and scan every entitlement instead."""
    by_talent = scope_related(user, f"{relation}talent")
    if not user.is_authenticated or not user.is_active or user.is_administrator:
        return by_talent
    if user.role in (Role.STAFF, Role.LEADER):
        unit = Q(organization__district_id__in=jurisdiction_codes(user))
    elif user.role == Role.EMPLOYER and user.organization_id:
        unit = Q(organization_id=user.organization_id)
    else:
        return by_talent
    ids = (Entitlement.objects.filter(scope_related(user, "talent")).order_by().values("pk")
           .union(Entitlement.objects.filter(unit, talent__isnull=True).order_by().values("pk"), all=True))
    return Q(**{f"{relation[:-2]}_id__in" if relation else "pk__in": ids})


def entitlements_visible(*, user: User) -> QuerySet[Entitlement]:
    return Entitlement.objects.filter(entitlement_scope_q(user)).select_related("talent", "organization")


def payments_visible(*, user: User) -> QuerySet[Payment]:
    return Payment.objects.filter(entitlement_scope_q(user, "entitlement__"))


def skips_visible(*, user: User) -> QuerySet[PaymentSkip]:
    return PaymentSkip.objects.filter(entitlement_scope_q(user, "entitlement__"))


def entitlement_recipients(entitlement_ids) -> dict[int, tuple[list[int], str]]:
    """Whom to tell about an entitlement's money, and where their message links: {entitlement id: (user ids,
    link)} — the talent's account and their payments page, or, for a unit's grant (no talent), the
    organization's active employer users and their home page. Two queries however many entitlements."""
    rows = list(Entitlement.objects.filter(pk__in=list(entitlement_ids))
                .values_list("pk", "talent_id", "talent__user_id", "organization_id"))
    units = {organization for _pk, talent, _user, organization in rows if talent is None and organization}
    staff: dict[int, list[int]] = {}
    for user_id, organization in (User.objects.filter(role=Role.EMPLOYER, is_active=True, organization_id__in=units)
                                  .order_by("pk").values_list("pk", "organization_id") if units else ()):
        staff.setdefault(organization, []).append(user_id)
    recipients = {}
    for pk, talent, user_id, organization in rows:
        if talent is not None and user_id:
            recipients[pk] = ([user_id], "/me/payments/")
        elif talent is None and staff.get(organization):
            recipients[pk] = (staff[organization], "/")
    return recipients


def bank_accounts_visible(*, user: User) -> QuerySet[BankAccount]:
    return BankAccount.objects.filter(talent__isnull=False).filter(scope_related(user, "talent"))


@dataclass
class ScheduleView:
    entitlement: Entitlement
    title: str
    paid: list[Payment]
    skips: list[PaymentSkip]
    next_month: dt.date | None
    next_amount: Decimal | None
    paid_total: Decimal
    months_left: int


def talent_schedules(*, talent) -> list[ScheduleView]:
    """A talent's own page: every entitlement with its schedule, what was paid, what is next, and why a month
    was stopped or held."""
    views = []
    entitlements = (Entitlement.objects.filter(talent=talent).order_by("-start_month", "pk")
                    .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("-month")),
                                      Prefetch("skips", queryset=PaymentSkip.objects.order_by("-month"))))
    for entitlement in entitlements:  # three queries however many entitlements (the talent's home page too)
        payments = list(entitlement.payments.all())
        skips = list(entitlement.skips.all())
        covered = {p.month for p in payments} | {s.month for s in skips if s.kind == SkipKind.STOPPED}
        next_month = None
        if entitlement.status == EntitlementStatus.ACTIVE:
            month = entitlement.start_month  # the first month of the schedule not yet paid or stopped
            while month <= entitlement.end_month and month in covered:
                month = add_months(month, 1)
            if month <= entitlement.end_month:
                next_month = month
        paid_fen = sum(p.amount_fen for p in payments if p.status == "paid")
        months_left = 0
        if entitlement.monthly_fen and entitlement.status == EntitlementStatus.ACTIVE:
            months_left = max(0, entitlement.months - sum(1 for p in payments))
        views.append(ScheduleView(
            entitlement=entitlement, title=policy_title(entitlement.policy), paid=payments, skips=skips,
            next_month=next_month,
            next_amount=fen_to_yuan(entitlement.amount_fen_for(next_month)) if next_month else None,
            paid_total=fen_to_yuan(paid_fen), months_left=months_left))
    return views


@dataclass
class BudgetRow:
    line: BudgetLine | None
    policy: str
    title: str
    year: int
    forecast_next: Decimal
    forecast_pending: Decimal


def budget_rows(*, user: User, year: int) -> list[BudgetRow]:
    """Per line: budget, committed, paid, remaining, and next year's forecast (active schedules plus the
    applications in progress). Budget lines are city-wide figures, shown to government users only."""
    require_government(user)
    forecast = budget_forecast(year + 1)
    lines = {line.policy: line for line in BudgetLine.objects.filter(year=year)}
    policies = sorted(set(lines) | set(forecast))
    return [BudgetRow(line=lines.get(p), policy=p, title=policy_title(p), year=year,
                      forecast_next=forecast[p].total if p in forecast else Decimal("0.00"),
                      forecast_pending=forecast[p].pending if p in forecast else Decimal("0.00"))
            for p in policies]


def batches_visible(*, user: User) -> QuerySet[PaymentBatch]:
    if not (user.is_authenticated and (user.is_government or user.is_administrator)):
        raise PermissionDenied("只有政府工作人员可以查看发放批次")
    return PaymentBatch.objects.select_related("created_by", "approved_by")


def batch_get(*, user: User, batch_id: int) -> PaymentBatch:
    batch = batches_visible(user=user).filter(pk=batch_id).first()
    if batch is None:
        raise NotFound()
    return batch


def batch_lines(*, user: User, batch: PaymentBatch) -> QuerySet[BatchLine]:
    """A batch's lines the viewer may see: scoped through each payment's talent (a district officer sees the
    lines of their district in a city-wide batch; the batch's count and total stay the envelope's)."""
    return (BatchLine.objects.filter(batch=batch).filter(entitlement_scope_q(user, "payment__entitlement__"))
            .select_related("payment__entitlement__talent", "payment__entitlement__organization").order_by("pk"))


def bank_account_of(*, user: User, talent) -> BankAccount | None:
    return bank_accounts_visible(user=user).filter(talent=talent).first()


def entitlement_search(*, user: User, policy: str = "", status: str = "") -> QuerySet[Entitlement]:
    require_government(user)
    qs = entitlements_visible(user=user).select_related("talent__district", "organization__district")
    if policy:
        qs = qs.filter(policy=policy)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def stops_for_month(*, user: User, month: dt.date) -> QuerySet[PaymentSkip]:
    return (skips_visible(user=user).filter(Q(month=month))
            .select_related("entitlement__talent", "entitlement__organization"))


@dataclass
class BudgetYear:
    year: int
    amount: Decimal
    committed: Decimal
    paid: Decimal
    lines: int

    @property
    def paid_percent(self) -> Decimal:
        """Paid as a share of the budget, in per cent with one decimal."""
        return (self.paid * 100 / self.amount).quantize(Decimal("0.1")) if self.amount else Decimal("0.0")


def budget_year_totals(*, user: User, year: int) -> BudgetYear:
    """The year's budget lines summed (budget, committed, paid): the leader's headline of money paid this year
    against the budget. Budget lines are city-wide figures, shown to government users only (one query)."""
    require_government(user)
    totals = BudgetLine.objects.filter(year=year).aggregate(
        amount=Sum("amount_fen", default=0), committed=Sum("committed_fen", default=0),
        paid=Sum("paid_fen", default=0), lines=Count("pk"))
    return BudgetYear(year=year, amount=fen_to_yuan(totals["amount"]), committed=fen_to_yuan(totals["committed"]),
                      paid=fen_to_yuan(totals["paid"]), lines=totals["lines"])


def batches_waiting(*, user: User) -> int | None:
    """Payment batches waiting for approval, for those who approve them (finance with the permission, and
    administrators); None for anyone else."""
    from .batches import APPROVE_PERMISSION

    if not (user.is_authenticated and (user.is_administrator or user.has_perm(APPROVE_PERMISSION))):
        return None
    return PaymentBatch.objects.filter(status=BatchStatus.DRAFT).count()
