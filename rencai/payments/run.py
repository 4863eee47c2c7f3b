"""The monthly payment run (发放), per ../shared/contracts/payments.md.

Set-based first, chunk by chunk after. One query reads the month's work: the entitlements active in the month
that have neither a payment nor a stop for it (on PostgreSQL by COPY into a Polars frame, a million rows in
seconds; a rerun that finds everything there ends here). Their talents are re-checked in one go: the policy's
conditions on the talent's *current* registry record and recognition, read by the same reader as 政策找人
(policies.registry.registry_frame) and evaluated by the same batch engine, as of the schedule's start month, so
that "graduated within N years" keeps holding for the schedule it granted; a talent who moved out of the
policy's area, bought a home where renting is required, lost an expired recognition … fails; and, where the
policy requires work in the city, the talent's month of the data centre's 社保 feed is read in one go
(compliance.py: no paid row in the city for the month the feed has delivered → the month stops, the feed named in
the reason). Then, policy by
policy in a fixed order (start month, id), one transaction per chunk holding the budget line's row lock inserts
the payments that fit the line (on PostgreSQL by COPY) and records the rest as held. What protects the promises:

- one payment per entitlement and month: the unique constraint ``payment_one_per_entitlement_month``;
- concurrent runs: on PostgreSQL a run holds its month alone (a session advisory lock: a second run waits, then
  finds the month done); on SQLite every transaction is IMMEDIATE and each chunk, under the line's lock, drops
  what another run has paid meanwhile. The unique constraint is the last guard: a conflict rolls a chunk back;
- crash safety: every chunk commits on its own (the advisory lock goes with the killed process's session); a
  rerun finds the committed chunks' payments and stops and continues from the first entitlement without one,
  in the same order, so it ends where one run would have;
- budget: ``prepared_fen`` of the (policy, year) line, raised under the line's row lock (``SELECT … FOR
  UPDATE``), never past ``amount_fen``.

The talents whose month was stopped or held are told why (one message per entitlement and month). A programme
grant's stage (``grant_reference``, paid for a talent or to a unit) goes through the same run, budget line, batches
and files, but is never stopped by the re-check or the 社保 feed: its eligibility was decided at award.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import polars as pl
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from rencai.policies.calculator import default_catalog
from rencai.talents.models import Talent

from .compliance import feed_stops
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

CHUNK = 50_000
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class PayInputError(Exception):
    """Bad input: one line in Chinese and English, exit 2, nothing written. ``chinese`` alone is what a page
    shows."""

    def __init__(self, chinese: str, english: str):
        super().__init__(f"{chinese} / {english}")
        self.chinese = chinese


def parse_month(text: str, *, today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    match = _MONTH.match((text or "").strip())
    if not match:
        raise PayInputError(f"月份格式有误，应为 YYYY-MM（如 2025-04）：{text!r}", "malformed month, expected YYYY-MM")
    month = dt.date(int(match.group(1)), int(match.group(2)), 1)
    if month.year < 2000:
        raise PayInputError(f"月份过早：{text}", "month out of range")
    if month > today.replace(day=1):
        raise PayInputError(f"不能发放未来月份：{text}（本月为 {today:%Y-%m}）", "cannot pay a future month")
    return month


def check_policies(policies: Iterable[str]) -> list[str]:
    catalog = default_catalog()
    known = set(catalog.policies) | set(Entitlement.objects.order_by().values_list("policy", flat=True).distinct())
    policies = list(dict.fromkeys(policies))
    for policy in policies:
        if policy not in known:
            raise PayInputError(f"未知政策编号：{policy}", "unknown policy id")
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


TODO_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64, "talent_id": pl.Int64, "policy": pl.String, "start_month": pl.Date,
    "monthly_fen": pl.Int64, "one_time_fen": pl.Int64, "end_month": pl.Date, "grant_reference": pl.String,
}


def _active(month: dt.date, policies: list[str] | None):
    active = (Entitlement.objects.exclude(status=EntitlementStatus.CANCELLED)
              .filter(start_month__lte=month, end_month__gte=month))
    return active.filter(policy__in=policies) if policies else active


def _todo(month: dt.date, policies: list[str] | None):
    """The month's work: active entitlements with neither a payment nor a stop for the month (held ones are
    tried again: the line may have been raised)."""
    paid = Payment.objects.filter(entitlement_id=OuterRef("pk"), month=month)
    stopped = PaymentSkip.objects.filter(entitlement_id=OuterRef("pk"), month=month, kind=SkipKind.STOPPED)
    return _active(month, policies).filter(~Exists(paid), ~Exists(stopped))


def _frame_of(queryset, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """A values_list queryset as a Polars frame: by COPY on PostgreSQL, through the ORM elsewhere."""
    if connection.vendor == "postgresql":
        from rencai.core.bulk import read_frame

        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
        with connection.cursor() as cursor:
            return read_frame(cursor, sql, list(params), schema)
    return pl.DataFrame(list(queryset.iterator(chunk_size=10_000)), schema=schema, orient="row")


_PAY_LOCK = 0x7061_7900  # the advisory-lock class of the monthly run ("pay")


@contextlib.contextmanager
def _month_lock(month: dt.date, say: Callable[..., None]):
    """On PostgreSQL, one run of a month at a time: a session advisory lock, released when the run ends or its
    process dies. A second run started meanwhile waits, then finds the month done (it creates nothing). Yields
    whether the run holds the month alone (then no other run can insert a payment of the month under it).
    SQLite has no such lock: each chunk checks what other runs have inserted (its transactions are IMMEDIATE)."""
    if connection.vendor != "postgresql":
        yield False
        return
    key = [_PAY_LOCK, month.year * 100 + month.month]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
        if not cursor.fetchone()[0]:
            say(f"{month:%Y年%m月}的另一次发放运行正在进行，等待其完成")
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", key)
    try:
        yield True
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)


def _already(ids: list[int], month: dt.date) -> set[int]:
    """Of these entitlements, those with a payment or a stop for the month (made by another run meanwhile:
    SQLite, where runs of a month are not serialised as a whole)."""
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        found.update(Payment.objects.filter(month=month, entitlement_id__in=part)
                     .values_list("entitlement_id", flat=True))
        found.update(PaymentSkip.objects.filter(month=month, kind=SkipKind.STOPPED, entitlement_id__in=part)
                     .values_list("entitlement_id", flat=True))
    return found


def _condition_stops(todo: pl.DataFrame, month: dt.date, talents) -> dict[int, str]:
    """{entitlement id: reason} for the entitlements whose talent no longer meets the policy's conditions on
    their current registry record, evaluated by the batch engine as of the schedule's start month. What else
    they receive (exclusive groups) is their other active entitlements: the one being paid is itself
    "received" and must not count against it."""
    from rencai.policies.batch import evaluate_frame
    from rencai.policies.presenting import decision_label
    from rencai.policies.registry import registry_frame

    catalog = default_catalog()
    checked = todo.filter(pl.col("policy").is_in(list(catalog.policies)))
    if checked.is_empty():  # policies no longer in the catalog: their approved schedules run on unchanged
        return {}
    as_of = min(_month_end(month), timezone.localdate())
    registry = registry_frame(as_of=as_of, queryset=talents, with_received=False).drop("district", "received")
    # Only a talent with entitlements of two policies can receive something else: read just theirs.
    another = (Entitlement.objects.filter(talent_id=OuterRef("talent_id")).exclude(policy=OuterRef("policy"))
               .exclude(status=EntitlementStatus.CANCELLED))
    held = _frame_of(Entitlement.objects.filter(Exists(another), status=EntitlementStatus.ACTIVE, talent__in=talents)
                     .order_by().values_list("talent_id", "policy"),
                     {"person_id": pl.Int64, "held_policy": pl.String})
    stops: dict[int, str] = {}
    for (policy_id,), of_policy in checked.group_by("policy", maintain_order=True):
        policy = catalog.policies[policy_id]
        received = (held.filter(pl.col("held_policy") != policy_id).group_by("person_id")
                    .agg(pl.col("held_policy").unique().sort().alias("received")))
        for (start,), group in of_policy.group_by("start_month", maintain_order=True):
            frame = (group.select(pl.col("talent_id").alias("person_id")).unique()
                     .join(registry, on="person_id", how="inner").join(received, on="person_id", how="left")
                     .with_columns(pl.col("received").fill_null(pl.lit([], dtype=pl.List(pl.String)))))
            result = evaluate_frame(frame, as_of=start, policies=[policy_id], catalog=catalog)
            failed = result.filter(pl.col(f"{policy_id}.status") == 0).select(
                "person_id", pl.col(f"{policy_id}.code").cast(pl.String).alias("code"))
            if failed.is_empty():
                continue
            for entitlement_id, code in (group.join(failed, left_on="talent_id", right_on="person_id")
                                         .select("id", "code").iter_rows()):
                if code.endswith("/jurisdiction"):
                    reason = f"已不在政策适用地区（{policy.jurisdiction}）：迁出或所在区县变更"
                else:
                    reason = f"本月复核不再符合条件：{decision_label(code)}"
                stops[entitlement_id] = reason[:300]
    return stops


def _tell(skipped: dict[int, str], month: dt.date, *, held: bool) -> None:
    """Tell the talents — for a unit's grant, the unit's employer users — why a month was stopped or held: one
    message per entitlement, month and person."""
    from rencai.notifications.services import Message, notify_many

    from .selectors import entitlement_recipients

    if not skipped:
        return
    what, key = ("暂缓发放", "payment-held") if held else ("已停发", "payment-stop")
    after = "预算追加后将补发，无需重新申请。" if held else "如有异议，请联系经办部门。"
    notify_many((Message(recipient_id=user_id, title=f"{month:%Y年%m月}的政策待遇{what}",
                         body=f"原因：{skipped[entitlement_id]}。{after}", link=link,
                         key=f"{key}-{entitlement_id}-{month:%Y-%m}")
                 for entitlement_id, (users, link) in entitlement_recipients(skipped).items() for user_id in users),
                kind="payment")


def _insert_payments(payments: list[tuple[int, int]], policy_id: str, month: dt.date) -> None:
    """(entitlement id, fen) pairs. On PostgreSQL one COPY into the table (the run holds the month alone: the
    unique constraint is only the last guard, and a conflict would roll the chunk back); bulk inserts on
    SQLite, where a conflict rolls the chunk back too."""
    if connection.vendor == "postgresql":
        from rencai.core.bulk import copy_frame

        frame = pl.DataFrame(payments, schema={"entitlement_id": pl.Int64, "amount_fen": pl.Int64}, orient="row"
                             ).with_columns(policy=pl.lit(policy_id), month=pl.lit(month),
                                            status=pl.lit(str(PaymentStatus.PREPARED)), reason=pl.lit(""),
                                            created_at=pl.lit(timezone.now().isoformat()))
        with connection.cursor() as cursor:
            copy_frame(cursor, Payment._meta.db_table, frame)
        return
    inserted = len(Payment.objects.bulk_create(
        [Payment(entitlement_id=e, policy=policy_id, month=month, amount_fen=a) for e, a in payments],
        batch_size=2000))
    if inserted != len(payments):
        raise RuntimeError(f"payments of {month:%Y-%m} for {policy_id} were inserted concurrently; chunk rolled back")


def _pay_chunk(policy_id: str, month: dt.date, rows: list[tuple], stops: dict[int, str],
               result: RunResult, *, alone: bool) -> None:
    """One transaction: lock the line, drop what another run has paid meanwhile (unless this run holds the
    month alone), insert what fits. ``rows``: (entitlement id, start month, monthly fen, one-time fen, end
    month, grant reference)."""
    with transaction.atomic():
        line = BudgetLine.objects.select_for_update().filter(policy=policy_id, year=month.year).first()
        done = set() if alone else _already([row[0] for row in rows], month)
        # A programme grant's stage cancelled since the month's work was read (grants.grant_stage_cancel takes
        # this line's lock first, so it is either cancelled by now or sees this chunk's payment and refuses).
        stages = [row[0] for row in rows if row[5]]
        if stages:
            done |= set(Entitlement.objects.filter(pk__in=stages, status=EntitlementStatus.CANCELLED)
                        .values_list("pk", flat=True))
        remaining = None if line is None else line.amount_fen - line.prepared_fen
        payments, held, stopped = [], {}, {}
        for entitlement_id, start, monthly_fen, one_time_fen, end, _stage in rows:
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
                paid_ids = [e for e, _amount in payments]
                for part in range(0, len(paid_ids), 5000):
                    PaymentSkip.objects.filter(month=month, kind=SkipKind.HELD,
                                               entitlement_id__in=paid_ids[part:part + 5000]).delete()
            result.created += len(payments)
            result.amount_created_fen += created_fen
        skips = [PaymentSkip(entitlement_id=e, month=month, kind=SkipKind.STOPPED, reason=r)
                 for e, r in stopped.items()]
        skips += [PaymentSkip(entitlement_id=e, month=month, kind=SkipKind.HELD, reason=r) for e, r in held.items()]
        if skips:
            PaymentSkip.objects.bulk_create(skips, batch_size=5000, update_conflicts=True,
                                            unique_fields=["entitlement", "month"], update_fields=["kind", "reason"])
        result.held += len(held)
        _tell(stopped, month, held=False)
        _tell(held, month, held=True)


def pay_month(*, month: dt.date, policies: list[str] | None = None,
              progress: Callable[..., None] | None = None, chunk: int = CHUNK, pause: float = 0) -> RunResult:
    """The month's run. ``progress(message, done=None, total=None)`` is told what is being done, in Chinese
    (policies by their titles), with the count of entitlements handled so far where there is one."""
    result = RunResult(month=month)
    say = progress or (lambda _message, **_counts: None)
    with _month_lock(month, say) as alone:
        todo_of = _todo(month, policies)
        # A fixed order — policy, start month (the conditions are evaluated as of it), id — so that a rerun after
        # a crash allocates the budget as one run would have.
        todo = _frame_of(todo_of.order_by("policy", "start_month", "pk").values_list(*_TODO_FIELDS), TODO_SCHEMA)
        if todo.height:
            from .selectors import policy_title

            say(f"本月待处理 {todo.height} 笔，正在复核条件")
            # A programme grant's stage (grant_reference set) is neither re-checked nor stopped by the 社保 feed:
            # a competitive programme's eligibility was decided once, at application and review, and frozen
            # with the award; a stage paid two years later (acceptance) must not fail on what has changed since
            # (an age limit passed, a move). Only the ordinary schedules, which promise money while conditions
            # keep holding, are re-checked. A unit's grant has no talent to check anyway.
            checked, checked_of = todo.filter(pl.col("grant_reference") == ""), todo_of.filter(grant_reference="")
            stops = _condition_stops(checked, month, Talent.objects.filter(pk__in=checked_of.values("talent_id")))
            # 社保 from the data centre's feed (compliance.py): where the conditions still hold.
            stops = feed_stops(checked, month, checked_of, frame_of=_frame_of) | stops
            seen = 0
            for (policy_id,), of_policy in todo.group_by("policy", maintain_order=True):
                for part in of_policy.iter_slices(chunk):
                    rows = part.select("id", "start_month", "monthly_fen", "one_time_fen", "end_month",
                                       "grant_reference").rows()
                    _pay_chunk(policy_id, month, rows, stops, result, alone=alone)
                    seen += part.height
                    say(f"正在生成发放记录：{policy_title(policy_id)}", done=seen, total=todo.height)
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


_TODO_FIELDS = ("pk", "talent_id", "policy", "start_month", "monthly_fen", "one_time_fen", "end_month",
                "grant_reference")


def progress_printer() -> Callable[..., None] | None:
    """Progress on a terminal only (standard error), never in piped or JSON output."""
    if not sys.stderr.isatty():
        return None

    def show(message: str, done: int | None = None, total: int | None = None) -> None:
        counted = f" {done}/{total}" if total else ""
        sys.stderr.write(f"\r进度 / progress: {message}{counted}   ")
        sys.stderr.flush()

    return show
