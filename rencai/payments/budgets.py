"""Budget lines (预算 / 专项资金): committing an approval's amount for a year, releasing it, and the forecast of
a year's need.

``budget_commit`` is one conditional UPDATE (``committed + amount <= amount``): the database decides, so 50
approvals arriving at once on PostgreSQL can never take a line past its amount (no read-then-write); the
check constraint ``committed <= amount`` is the last guard.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from rencai.core.errors import Conflict, FieldError, ValidationFailed

from .models import (
    BudgetCommitment,
    BudgetLine,
    Entitlement,
    EntitlementStatus,
    add_months,
    fen_to_yuan,
    yuan_to_fen,
)


def _positive_fen(amount: Decimal) -> int:
    if isinstance(amount, float) or not isinstance(amount, (Decimal, int)):
        raise ValidationFailed([FieldError("amount", "金额必须是精确的十进制数（元，两位小数）")])
    fen = yuan_to_fen(Decimal(amount))
    if fen <= 0 or Decimal(amount) * 100 != fen:
        raise ValidationFailed([FieldError("amount", "金额必须大于0，且最多两位小数")])
    return fen


def budget_line_set(*, policy_id: str, year: int, amount: Decimal, note: str = "") -> BudgetLine:
    """Create or change a line's amount; refused (409) below what is already committed."""
    fen = yuan_to_fen(Decimal(amount))
    if fen < 0:
        raise ValidationFailed([FieldError("amount", "预算金额不能为负数")])
    with transaction.atomic():
        line, _ = BudgetLine.objects.select_for_update().get_or_create(
            policy=policy_id, year=year, defaults={"amount_fen": fen, "note": note})
        if line.committed_fen > fen:
            raise Conflict(f"预算金额不能低于已承诺的{fen_to_yuan(line.committed_fen)}元")
        line.amount_fen, line.note = fen, note or line.note
        line.save(update_fields=["amount_fen", "note", "updated_at"])
    return line


def budget_commit(*, policy_id: str, year: int, amount: Decimal, reference: str) -> None:
    """Commit ``amount`` on the policy's line for ``year`` under ``reference`` (e.g. the application number).
    Committing the same reference again changes nothing. Raises ``Conflict`` (409) with a Chinese message when
    there is no line or the line would be exceeded."""
    fen = _positive_fen(amount)
    reference = str(reference)[:80]
    with transaction.atomic():
        line_id = BudgetLine.objects.filter(policy=policy_id, year=year).values_list("pk", flat=True).first()
        if line_id is None:
            raise Conflict(f"该政策{year}年度尚未安排预算额度，不能批准，请先由财政部门设置预算", code="no_budget")
        if BudgetCommitment.objects.filter(line_id=line_id, reference=reference, released_at__isnull=True).exists():
            return
        updated = BudgetLine.objects.filter(pk=line_id, committed_fen__lte=F("amount_fen") - fen).update(
            committed_fen=F("committed_fen") + fen, updated_at=timezone.now())
        if not updated:
            line = BudgetLine.objects.get(pk=line_id)
            raise Conflict(
                f"预算额度不足：该政策{year}年度预算{line.amount}元，已承诺{line.committed}元，"
                f"剩余{line.remaining}元，不足本次所需{fen_to_yuan(fen)}元", code="budget_exceeded")
        try:
            with transaction.atomic():
                BudgetCommitment.objects.update_or_create(
                    line_id=line_id, reference=reference,
                    defaults={"amount_fen": fen, "released_at": None})
        except IntegrityError as exc:  # the same reference committed at the same moment by another request
            raise Conflict("该事项的预算刚刚已被同时承诺，本次操作未生效", code="concurrent_conflict") from exc


def budget_release(*, policy_id: str, year: int, reference: str) -> Decimal:
    """Give back what ``reference`` committed (a withdrawn or revoked approval). Returns the amount released
    (0 when nothing was committed or it was already released: safe to call twice)."""
    with transaction.atomic():
        commitment = (BudgetCommitment.objects.select_for_update()
                      .filter(line__policy=policy_id, line__year=year, reference=str(reference)[:80],
                              released_at__isnull=True).first())
        if commitment is None:
            return Decimal("0.00")
        BudgetLine.objects.filter(pk=commitment.line_id).update(
            committed_fen=F("committed_fen") - commitment.amount_fen, updated_at=timezone.now())
        commitment.released_at = timezone.now()
        commitment.save(update_fields=["released_at"])
        return fen_to_yuan(commitment.amount_fen)


def schedule_fen_in_year(*, monthly_fen: int | None, months: int | None, one_time_fen: int | None,
                         start_month: dt.date, year: int) -> int:
    """What a schedule pays in ``year`` (in fen)."""
    fen = 0
    if one_time_fen and start_month.year == year:
        fen += one_time_fen
    if monthly_fen and months:
        end = add_months(start_month, months - 1)
        first, last = max(start_month, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 1))
        if first <= last:
            fen += monthly_fen * ((last.year - first.year) * 12 + last.month - first.month + 1)
    return fen


@dataclass
class Forecast:
    policy: str
    year: int
    schedules_fen: int  # what the active entitlements will pay in the year
    pending_fen: int  # what the applications in progress would pay in the year, if approved

    @property
    def schedules(self) -> Decimal:
        return fen_to_yuan(self.schedules_fen)

    @property
    def pending(self) -> Decimal:
        return fen_to_yuan(self.pending_fen)

    @property
    def total(self) -> Decimal:
        return fen_to_yuan(self.schedules_fen + self.pending_fen)


def _pending_applications(year: int) -> dict[str, int]:
    """Fen per policy of the applications in progress (fulfilment's, when that app provides
    ``selectors.pending_amounts(year) -> {policy: fen}``)."""
    try:
        from rencai.fulfilment import selectors as fulfilment_selectors
    except ImportError:
        return {}
    pending = getattr(fulfilment_selectors, "pending_amounts", None)
    return dict(pending(year)) if pending else {}


def budget_forecast(year: int) -> dict[str, Forecast]:
    """The need of ``year`` per policy: active schedules (streamed, aggregated in the database by schedule
    shape) plus the applications in progress."""
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 1)
    shapes = (Entitlement.objects.filter(status=EntitlementStatus.ACTIVE, start_month__lte=year_end,
                                         end_month__gte=year_start)
              .values("policy", "monthly_fen", "months", "one_time_fen", "start_month")
              .annotate(n=Count("pk")).order_by())
    result: dict[str, Forecast] = {}
    for row in shapes.iterator(chunk_size=5000):
        fen = schedule_fen_in_year(monthly_fen=row["monthly_fen"], months=row["months"],
                                   one_time_fen=row["one_time_fen"], start_month=row["start_month"], year=year)
        item = result.setdefault(row["policy"], Forecast(row["policy"], year, 0, 0))
        item.schedules_fen += fen * row["n"]
    for policy, fen in _pending_applications(year).items():
        result.setdefault(policy, Forecast(policy, year, 0, 0)).pending_fen += int(fen)
    return result
