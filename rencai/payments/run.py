"""The monthly payment run (发放), per ../shared/contracts/payments.md.

For each policy, the entitlements active in the month that have neither a payment nor a stop for it are read in
id order, chunk by chunk (never all rows in memory). Each chunk is re-checked (the policy's conditions on the
talent's *current* registry profile and recognition, evaluated by the same batch engine as 政策找人, as of the
schedule's start month, so that "graduated within N years" keeps holding for the schedule it granted; a talent
who moved out of the policy's area, bought a home where renting is required, lost an expired recognition …
fails) and then, in one transaction per chunk holding the budget line's row lock, the payments that fit the
line are inserted and the rest held. What protects the promises:

- one payment per entitlement and month: the unique constraint ``payment_one_per_entitlement_month``;
- concurrent runs: the budget line's row lock (``SELECT … FOR UPDATE``; on SQLite every transaction is
  IMMEDIATE) serialises the chunks of a policy; under it, the chunk is filtered again for payments another run
  has just made, and inserted with ``ON CONFLICT DO NOTHING`` as the last guard;
- crash safety: every chunk commits on its own; a rerun finds the committed chunks' payments and stops and
  continues from the first entitlement without one, in the same order, so it ends where one run would have;
- budget: ``prepared_fen`` of the (policy, year) line, raised under the lock, never past ``amount_fen``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import polars as pl
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from rencai.policies.calculator import default_catalog
from rencai.talents.models import Talent

from .models import (
    BudgetLine,
    Entitlement,
    EntitlementStatus,
    Payment,
    PaymentSkip,
    PaymentStatus,
    SkipKind,
    fen_to_yuan,
)

CHUNK = 20_000
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class PayInputError(Exception):
    """Bad input: one line in Chinese and English, exit 2, nothing written."""


def parse_month(text: str, *, today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    match = _MONTH.match(text or "")
    if not match:
        raise PayInputError(f"月份格式有误，应为 YYYY-MM（如 2025-04）：{text!r} / malformed month, expected YYYY-MM")
    month = dt.date(int(match.group(1)), int(match.group(2)), 1)
    if month.year < 2000:
        raise PayInputError(f"月份过早：{text} / month out of range")
    if month > today.replace(day=1):
        raise PayInputError(f"不能发放未来月份：{text}（本月为 {today:%Y-%m}） / cannot pay a future month")
    return month


def check_policies(policies: Iterable[str]) -> list[str]:
    catalog = default_catalog()
    known = set(catalog.policies) | set(Entitlement.objects.order_by().values_list("policy", flat=True).distinct())
    policies = list(dict.fromkeys(policies))
    for policy in policies:
        if policy not in known:
            raise PayInputError(f"未知政策编号：{policy} / unknown policy id")
    return policies


@dataclass
class RunResult:
    month: dt.date
    created: int = 0
    existing: int = 0
    stopped: int = 0
    held: int = 0
    amount_created_fen: int = 0
    amount_month_fen: int = 0
    payments_month: int = 0
    held_reasons: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "month": f"{self.month:%Y-%m}",
            "created": self.created,
            "existing": self.existing,
            "stopped": self.stopped,
            "held": self.held,
            "amount_created": f"{fen_to_yuan(self.amount_created_fen)}",
            "amount_month": f"{fen_to_yuan(self.amount_month_fen)}",
            "payments_month": self.payments_month,
        }

    def as_text(self) -> str:
        lines = [
            f"发放月份：{self.month:%Y-%m}",
            f"本次新生成：{self.created} 笔",
            f"此前已有：{self.existing} 笔",
            f"停发（不再符合条件）：{self.stopped} 人次",
            f"暂缓（预算不足）：{self.held} 笔",
            f"本次新生成金额：{fen_to_yuan(self.amount_created_fen)} 元",
            f"本月合计金额：{fen_to_yuan(self.amount_month_fen)} 元",
            f"本月合计笔数：{self.payments_month} 笔",
        ]
        return "\n".join(lines)


def _month_end(month: dt.date) -> dt.date:
    following = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


@dataclass(frozen=True)
class Chunk:
    """A slice of one policy's entitlements with one start month, by id range: every query of the chunk is a
    join on this range (no lists of ids sent to the database)."""

    policy: str
    start: dt.date
    first: int
    last: int

    def entitlements(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}policy": self.policy, f"{prefix}start_month": self.start,
                    f"{prefix}pk__gte": self.first, f"{prefix}pk__lte": self.last})


@contextlib.contextmanager
def _index_probes():
    """A transaction in which PostgreSQL plans the chunk's joins (talents through their entitlements) as index
    probes: entitlements approved in bulk since the statistics were taken would otherwise be planned as a
    scan of the whole table per chunk."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off; "
                               "SET LOCAL enable_mergejoin = off")
        yield


def _already(ids: list[int], month: dt.date) -> set[int]:
    """Of these entitlements, those with a payment or a stop for the month: one probe of the unique
    (entitlement, month) index per id. On PostgreSQL a LATERAL … LIMIT 1 per element of the array: it cannot be
    turned into a scan of the month's payments (which, with statistics taken before the month's rows were
    inserted, the planner would otherwise choose for ``= ANY(array)`` or ``EXISTS``: a scan per chunk)."""
    if not ids:
        return set()
    found: set[int] = set()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT t.e FROM unnest(%s::bigint[]) AS t(e), LATERAL (SELECT 1 FROM payments_payment p "
                "WHERE p.entitlement_id = t.e AND p.month = %s LIMIT 1) AS x "
                "UNION ALL SELECT t.e FROM unnest(%s::bigint[]) AS t(e), LATERAL (SELECT 1 FROM payments_paymentskip s "
                "WHERE s.entitlement_id = t.e AND s.month = %s AND s.kind = %s LIMIT 1) AS y",
                [ids, month, ids, month, SkipKind.STOPPED])
            found.update(row[0] for row in cursor.fetchall())
        return found
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        found.update(Payment.objects.filter(month=month, entitlement_id__in=part)
                     .values_list("entitlement_id", flat=True))
        found.update(PaymentSkip.objects.filter(month=month, kind=SkipKind.STOPPED, entitlement_id__in=part)
                     .values_list("entitlement_id", flat=True))
    return found


def _condition_stops(chunk: Chunk, rows: list[tuple], *, month: dt.date, recognised: dict[int, str]
                     ) -> dict[int, str]:
    """{entitlement id: reason} for the rows whose talent no longer meets the policy's conditions on their
    current registry record, evaluated by the batch engine as of the schedule's start month."""
    from rencai.policies.batch import evaluate_frame
    from rencai.policies.presenting import decision_label
    from rencai.policies.registry import COLUMNS, _chunk_frame

    catalog = default_catalog()
    policy = catalog.policies.get(chunk.policy)
    if policy is None:  # a policy no longer in the catalog: its approved schedules run on unchanged
        return {}
    as_of = min(_month_end(month), timezone.localdate())
    with _index_probes():
        talents = list(Talent.objects.filter(chunk.entitlements("entitlements__")).order_by()
                       .values_list(*COLUMNS))
        others = list(Entitlement.objects.filter(status=EntitlementStatus.ACTIVE)
                      .filter(chunk.entitlements("talent__entitlements__")).exclude(policy=chunk.policy)
                      .values_list("talent_id", "policy").distinct())
    if not talents:
        return {}
    # What else they receive (exclusive groups): their other active entitlements; the one being paid is
    # itself "received" and must not count against it.
    received: dict[int, list[str]] = defaultdict(list)
    for talent_id, other in others:
        received[talent_id].append(other)
    frame = _chunk_frame(talents, as_of, recognised, received)
    result = evaluate_frame(frame, as_of=chunk.start, policies=[chunk.policy], catalog=catalog)
    failed = result.filter(pl.col(f"{chunk.policy}.status") == 0)
    if failed.is_empty():
        return {}
    codes = dict(zip(failed["person_id"].to_list(), failed[f"{chunk.policy}.code"].cast(pl.String).to_list(),
                     strict=True))
    stops: dict[int, str] = {}
    for row in rows:
        code = codes.get(row[1])
        if code is None:
            continue
        if code.endswith("/jurisdiction"):
            reason = f"已不在政策适用地区（{policy.jurisdiction}）：迁出或所在区县变更"
        else:
            reason = f"本月复核不再符合条件：{decision_label(code)}"
        stops[row[0]] = reason[:300]
    return stops


def _notify_stops(stopped: dict[int, str], month: dt.date) -> None:
    from .services import notify

    users = dict(Entitlement.objects.filter(pk__in=list(stopped), talent__user__isnull=False)
                 .values_list("pk", "talent__user_id"))
    for entitlement_id, user_id in users.items():
        notify(recipients=[user_id], kind="payment", title=f"{month:%Y年%m月}的政策待遇已停发",
               body=f"原因：{stopped[entitlement_id]}。如有异议，请联系经办部门。", link="/me/payments/",
               key=f"payment-stop-{entitlement_id}-{month:%Y-%m}")


def _insert_payments(payments: list[tuple[int, int]], policy_id: str, month: dt.date) -> None:
    """(entitlement id, fen) pairs. One statement per chunk on PostgreSQL (arrays unnested, ``ON CONFLICT DO
    NOTHING``); bulk inserts on SQLite. Under the line's lock nothing can conflict; if something did, the chunk
    is rolled back."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO payments_payment (entitlement_id, policy, month, amount_fen, status, reason, "
                "created_at) SELECT e, %s, %s, a, %s, '', now() FROM unnest(%s::bigint[], %s::bigint[]) AS t(e, a) "
                "ON CONFLICT (entitlement_id, month) DO NOTHING",
                [policy_id, month, PaymentStatus.PREPARED, [e for e, _a in payments], [a for _e, a in payments]])
            inserted = cursor.rowcount
    else:
        inserted = len(Payment.objects.bulk_create(
            [Payment(entitlement_id=e, policy=policy_id, month=month, amount_fen=a) for e, a in payments],
            batch_size=2000))
    if inserted != len(payments):
        raise RuntimeError(f"payments of {month:%Y-%m} for {policy_id} were inserted concurrently; chunk rolled back")


def _pay_chunk(chunk: Chunk, month: dt.date, rows: list[tuple], stops: dict[int, str],
               result: RunResult) -> None:
    """One transaction: lock the line, drop what another run has paid meanwhile, insert what fits."""
    policy_id = chunk.policy
    with transaction.atomic():
        line = BudgetLine.objects.select_for_update().filter(policy=policy_id, year=month.year).first()
        done = _already([row[0] for row in rows], month)
        remaining = None if line is None else line.amount_fen - line.prepared_fen
        payments, held, stopped = [], {}, {}
        for entitlement_id, _talent, start, monthly_fen, one_time_fen, end in rows:
            if entitlement_id in done:
                continue
            if entitlement_id in stops:
                stopped[entitlement_id] = stops[entitlement_id]
                continue
            amount = (monthly_fen or 0) if start <= month <= end else 0
            amount += (one_time_fen or 0) if month == start else 0
            if amount <= 0:
                continue
            if remaining is None:
                held[entitlement_id] = f"该政策{month.year}年度尚未安排预算额度"
                continue
            if amount > remaining:
                held[entitlement_id] = (f"该政策{month.year}年度预算额度不足（剩余{fen_to_yuan(remaining)}元，"
                                        f"本月应发{fen_to_yuan(amount)}元）")
                continue
            remaining -= amount
            payments.append((entitlement_id, amount))
        if payments:
            _insert_payments(payments, policy_id, month)
            created_fen = sum(amount for _e, amount in payments)
            line.prepared_fen += created_fen
            line.save(update_fields=["prepared_fen", "updated_at"])
            if PaymentSkip.objects.filter(month=month, kind=SkipKind.HELD, entitlement__policy=policy_id).exists():
                PaymentSkip.objects.filter(chunk.entitlements("entitlement__"), month=month,
                                           entitlement_id__in=[e for e, _amount in payments]).delete()
            result.created += len(payments)
            result.amount_created_fen += created_fen
        skips = [PaymentSkip(entitlement_id=e, month=month, kind=SkipKind.STOPPED, reason=r)
                 for e, r in stopped.items()]
        skips += [PaymentSkip(entitlement_id=e, month=month, kind=SkipKind.HELD, reason=r) for e, r in held.items()]
        if skips:
            PaymentSkip.objects.bulk_create(skips, batch_size=5000, update_conflicts=True,
                                            unique_fields=["entitlement", "month"], update_fields=["kind", "reason"])
        result.held += len(held)
        if stopped:
            _notify_stops(stopped, month)


def pay_month(*, month: dt.date, policies: list[str] | None = None,
              progress: Callable[[str], None] | None = None, chunk: int = CHUNK, pause: float = 0) -> RunResult:
    from rencai.recognition.selectors import categories_on

    result = RunResult(month=month)
    active = (Entitlement.objects.exclude(status=EntitlementStatus.CANCELLED)
              .filter(start_month__lte=month, end_month__gte=month))
    if policies:
        active = active.filter(policy__in=policies)
    policy_ids = policies or sorted(set(active.order_by().values_list("policy", flat=True).distinct()))
    total = active.count() if progress else 0
    seen = 0
    recognised = None
    for policy_id in policy_ids:
        # Start month by start month (the conditions are evaluated as of it: one evaluation per chunk), then by
        # id: a fixed order, so that a rerun after a crash allocates the budget as one run would have.
        starts = sorted(set(active.filter(policy=policy_id).order_by().values_list("start_month", flat=True)
                            .distinct()))
        for start in starts:
            last = 0
            while True:
                chunk_rows = list(active.filter(policy=policy_id, start_month=start, pk__gt=last).order_by("pk")
                                  .values_list("pk", "talent_id", "start_month", "monthly_fen", "one_time_fen",
                                               "end_month")[:chunk])
                if not chunk_rows:
                    break
                first, last = chunk_rows[0][0], chunk_rows[-1][0]
                seen += len(chunk_rows)
                if progress:
                    progress(f"{policy_id}: {seen}/{total}")
                done = _already([row[0] for row in chunk_rows], month)
                rows = [row for row in chunk_rows if row[0] not in done]
                if not rows:
                    continue
                if recognised is None:
                    recognised = categories_on(on=min(_month_end(month), timezone.localdate()))
                chunk_of = Chunk(policy_id, start, first, last)
                stops = _condition_stops(chunk_of, rows, month=month, recognised=recognised)
                _pay_chunk(chunk_of, month, rows, stops, result)
                if pause:
                    time.sleep(pause)
    scope = Q(month=month) if not policies else Q(month=month, policy__in=policies)
    totals = Payment.objects.filter(scope).aggregate(n=Count("pk"), fen=Sum("amount_fen"))
    result.payments_month = totals["n"] or 0
    result.amount_month_fen = totals["fen"] or 0
    result.existing = result.payments_month - result.created
    skips = PaymentSkip.objects.filter(month=month, kind=SkipKind.STOPPED)
    if policies:
        skips = skips.filter(entitlement__policy__in=policies)
    result.stopped = skips.count()
    return result


def progress_printer() -> Callable[[str], None] | None:
    """Progress on a terminal only (standard error), never in piped or JSON output."""
    if not sys.stderr.isatty():
        return None

    def show(message: str) -> None:
        sys.stderr.write(f"\r进度 / progress: {message}   ")
        sys.stderr.flush()

    return show
