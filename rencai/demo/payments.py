"""Demo money (资金发放): a believable history up to the day it runs.

Entitlements of the graduate living subsidy (sy-living-subsidy-graduate: 本科600/硕士1200/博士2500 a month for
36 months) with start months spread over the past three years, bank accounts, one payment batch per month paid
through last month (a few failed and retried in the next month's batch, two failed last month still to retry),
budget lines for each year, and a finance officer who approves batches. The current month is left unpaid, so
that `rencai pay --month <this month>` has work to do on a fresh demo of any --size (only the 社保 feed's example,
``payments_demo_feed_check``, runs its own policy's month). Deterministic for a seed on a given day.
"""

import datetime as dt
from decimal import Decimal

import numpy as np
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import Department, User
from rencai.core import crypto
from rencai.core.bulk import insert_objects
from rencai.demo.accounts import demo_password_hash
from rencai.payments.models import (
    BankAccount,
    BatchLine,
    BatchStatus,
    BudgetCommitment,
    BudgetLine,
    Entitlement,
    LineResult,
    Payment,
    PaymentBatch,
    PaymentSkip,
    PaymentStatus,
    add_months,
)
from rencai.payments.services import mask_account
from rencai.talents.models import Talent

POLICY = "sy-living-subsidy-graduate"
MONTHLY_FEN = {"doctor": 250_000, "master": 120_000, "bachelor": 60_000}
BANKS = ["中国工商银行沈阳分行", "中国建设银行沈阳分行", "中国银行辽宁省分行", "中国农业银行沈阳分行", "盛京银行"]
FAIL_REASONS = ["账户已冻结", "户名与账号不符", "账户已销户"]
DEMO_PASSWORD = "rencai-demo"  # noqa: S105 — the published demo password (demo.accounts)


def payments_demo_clear() -> None:
    BatchLine.objects.all().delete()
    PaymentBatch.objects.all().delete()
    PaymentSkip.objects.all().delete()
    Payment.objects.all().delete()
    Entitlement.objects.all().delete()
    BankAccount.objects.all().delete()
    BudgetCommitment.objects.all().delete()
    BudgetLine.objects.all().delete()


def _finance_user() -> tuple[str, str, str]:
    department, _ = Department.objects.get_or_create(name="沈阳市财政局", region_id="210100")
    user, _ = User.objects.update_or_create(username="finance", defaults={
        "role": Role.STAFF, "department": department, "display_name": "孙立平"})  # the header adds （沈阳市财政局）
    user.password = demo_password_hash()
    user.save()
    approve = Permission.objects.get(codename="approve_batch", content_type__app_label="payments")
    user.user_permissions.add(approve)
    for officer in User.objects.filter(department__name__contains="财政局"):
        officer.user_permissions.add(approve)
    return ("finance", DEMO_PASSWORD, "市财政局（审批发放批次）")


def _choose_talents(rng: np.random.Generator, count: int) -> list[tuple[int, str, str]]:
    """(talent id, degree, name) of graduates living in 沈阳 with no active subsidy yet, the demo talent first.
    Drawn from the ids alone (the primary key's index: no scan of a million wide rows); only the drawn talents
    are read, in the order drawn, until ``count`` of them fit."""
    taken = Entitlement.objects.filter(policy=POLICY, status="active").values("talent_id")
    graduates = (Talent.objects.filter(district__parent_id="210100", highest_degree__in=list(MONTHLY_FEN))
                 .exclude(pk__in=taken))
    sql, params = Talent.objects.order_by("pk").values_list("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1)
    demo = list(graduates.filter(user__username="talent").values_list("pk", flat=True))
    ids = ids[~np.isin(ids, demo)]
    order = rng.permutation(len(ids))
    found: dict[int, tuple[str, str]] = {}
    for begin in range(0, len(order), 4 * count):
        drawn = ids[order[begin:begin + 4 * count]].tolist()
        rows = dict((pk, (degree, name)) for pk, degree, name in
                    graduates.filter(pk__in=drawn).values_list("pk", "highest_degree", "name"))
        for pk in drawn:
            if pk in rows and len(found) < count:
                found[pk] = rows[pk]
        if len(found) == count:
            break
    rows = dict((pk, (degree, name)) for pk, degree, name in
                graduates.filter(pk__in=demo).values_list("pk", "highest_degree", "name"))
    return [(pk, *rows[pk]) for pk in demo] + [(pk, *found[pk]) for pk in sorted(found)]


@transaction.atomic
def payments_demo_load(*, seed: int, size: int) -> list[tuple[str, str, str]]:
    if Entitlement.objects.filter(application_ref__isnull=True).exists():
        return [_finance_user()]  # already loaded
    rng = np.random.default_rng(seed + 7)
    today = timezone.localdate()
    this_month = today.replace(day=1)
    first_month = add_months(this_month, -38)
    count = max(30, min(2000, size // 80))
    talents = _choose_talents(rng, count)
    finance = _finance_user()
    city = User.objects.filter(username="city_staff").first()
    finance_user = User.objects.get(username="finance")

    entitlements, accounts = [], []
    for index, (talent_id, degree, name) in enumerate(talents):
        # The demo talent started a year ago; the others spread over the past three years (some ended).
        offset = 12 if index == 0 else int(rng.integers(0, 39))
        start = add_months(this_month, -offset)
        if start < dt.date(2022, 1, 1):
            start = dt.date(2022, 1, 1)
        entitlements.append(Entitlement(talent_id=talent_id, policy=POLICY, monthly_fen=MONTHLY_FEN[degree], months=36,
                                        start_month=start, end_month=add_months(start, 35),
                                        status="ended" if add_months(start, 35) < this_month else "active",
                                        end_reason="发放期满" if add_months(start, 35) < this_month else "",
                                        created_by=city))
        number = f"6222{int(rng.integers(10**14, 10**15 - 1))}"
        accounts.append(BankAccount(talent_id=talent_id, bank_name=BANKS[int(rng.integers(len(BANKS)))],
                                    account_name=name, account_number_cipher=crypto.encrypt(number),
                                    account_number_hash=crypto.lookup_hash(number),
                                    account_number_masked=mask_account(number), updated_by=city))
    Entitlement.objects.bulk_create(entitlements, batch_size=2000)
    existing_accounts = set(BankAccount.objects.filter(talent_id__in=[t[0] for t in talents])
                            .values_list("talent_id", flat=True))
    BankAccount.objects.bulk_create([a for a in accounts if a.talent_id not in existing_accounts], batch_size=2000)

    # Payments month by month through last month, one batch per month, paid; a few failures retried next month.
    # Every payment's last state is known before anything is written: each table is written once, in bulk.
    entitlements = list(Entitlement.objects.filter(policy=POLICY, application_ref__isnull=True).order_by("pk"))
    now = timezone.now()
    prepared: dict[int, int] = {}
    paid: dict[int, int] = {}
    payments: list[Payment] = []
    batches: list[PaymentBatch] = []
    lines: list[tuple[int, int, BatchLine]] = []  # (batch index, payment index, line)
    retry: list[int] = []
    month = max(first_month, min((e.start_month for e in entitlements), default=this_month))
    while month < this_month:
        due = [e for e in entitlements if e.start_month <= month <= e.end_month]
        if not due and not retry:
            month = add_months(month, 1)
            continue
        first = len(payments)
        payments += [Payment(entitlement=e, policy=POLICY, month=month, amount_fen=e.monthly_fen) for e in due]
        prepared[month.year] = prepared.get(month.year, 0) + sum(e.monthly_fen for e in due)
        batch = PaymentBatch(number=f"PB{month:%Y%m}-D{month:%y%m}", month=month, status=BatchStatus.RETURNED,
                             created_by=city, approved_by=finance_user, approved_at=now, returned_at=now)
        batches.append(batch)
        is_last = add_months(month, 1) == this_month
        failing = set() if len(due) < 10 else {int(i) for i in rng.choice(len(due), size=2, replace=False)}
        failed_now, first_line = [], len(lines)
        for i, index in enumerate(retry + list(range(first, len(payments)))):
            payment = payments[index]
            fails = i - len(retry) in failing and (is_last or month.month % 4 == 0)
            reason = FAIL_REASONS[i % len(FAIL_REASONS)] if fails else ""
            lines.append((len(batches) - 1, index, BatchLine(
                reference=f"{batch.number}-{i + 1:07d}", amount_fen=payment.amount_fen,
                result=LineResult.FAILED if fails else LineResult.PAID, bank_reason=reason)))
            payment.status = PaymentStatus.FAILED if fails else PaymentStatus.PAID
            payment.reason, payment.paid_at = reason, None if fails else now
            if fails:
                failed_now.append(index)
            else:
                paid[payment.month.year] = paid.get(payment.month.year, 0) + payment.amount_fen
        batch.count = len(retry) + len(due)
        batch.total_fen = sum(line.amount_fen for _, _, line in lines[first_line:])
        retry = failed_now
        month = add_months(month, 1)
    insert_objects(Payment, payments)
    PaymentBatch.objects.bulk_create(batches)
    if batches and batches[0].pk is None:
        by_number = dict(PaymentBatch.objects.filter(number__in=[b.number for b in batches])
                         .values_list("number", "pk"))
        for batch in batches:
            batch.pk = by_number[batch.number]
    for batch_index, payment_index, line in lines:
        line.batch_id, line.payment_id = batches[batch_index].pk, payments[payment_index].pk
    insert_objects(BatchLine, [line for _, _, line in lines])

    # Budget lines: each year's need with room to spare (this year's with room for this month's run too).
    from rencai.payments.budgets import schedule_fen_in_year

    for year in range(first_month.year, this_month.year + 1):
        need = sum(schedule_fen_in_year(monthly_fen=e.monthly_fen, months=e.months, one_time_fen=None,
                                        start_month=e.start_month, year=year) for e in entitlements)
        amount = max(need * 13 // 10, 3_000_000_000 if year == this_month.year else 0)
        BudgetLine.objects.update_or_create(policy=POLICY, year=year, defaults={
            "amount_fen": amount, "committed_fen": need, "prepared_fen": prepared.get(year, 0),
            "paid_fen": paid.get(year, 0), "note": "演示数据：高校毕业生生活补贴年度预算（示例）"})
    return [finance]


FEED_POLICY = "sy-urgent-talent-reward"  # 产业急需紧缺人才奖励: for enterprises' employees, checked against 社保
REWARD_FEN = 6_000_000  # its first tier, 6万元, once


def payments_demo_feed_check() -> int:
    """After the data centre's demo: months stopped by the 社保 feed beside months paid. A few employees of
    enterprises (employment confirmed, in 沈阳; never the demo talent) are granted 产业急需紧缺人才奖励 (one-time,
    this month), a policy the run checks against the feed (payments.compliance: its condition reads the
    employment): most of them paid in the city in the month the feed has delivered, up to three not (暂停缴费 or
    paid elsewhere in the feed's demo file, or not in it at all). This month's run of that policy then pays the
    first and stops the others with the feed as the reason; the graduate living subsidy's month stays for staff to
    run. Returns the months stopped; nothing without a delivered 社保 month, nothing more once done."""
    from rencai.datahub.discrepancies import city_prefix
    from rencai.datahub.models import Fact
    from rencai.datahub.selectors import insurance_month
    from rencai.payments.budgets import budget_line_set
    from rencai.payments.run import pay_month

    this_month = timezone.localdate().replace(day=1)
    checked = insurance_month(month=this_month)
    if checked is None or Entitlement.objects.filter(policy=FEED_POLICY, application_ref__isnull=True,
                                                     grant_reference="").exists():
        return 0
    employees = list(Talent.objects.filter(district__parent_id="210100", employer_type="enterprise",
                                           employment_status="confirmed")
                     .exclude(user__username="talent").order_by("pk").values_list("pk", flat=True)[:5000])
    rows = list(Fact.objects.filter(kind="social_insurance", feed_id__in=checked.feed_ids, period=checked.period,
                                    talent_id__in=employees).order_by("talent_id").values_list("talent_id", "value"))
    prefix = city_prefix()
    paid = {talent_id for talent_id, value in rows if (value.get("status") or "paid") == "paid"
            and str(value.get("district") or prefix).startswith(prefix)}
    contradicted = list(dict.fromkeys(pk for pk, _value in rows if pk not in paid))
    absent = [pk for pk in employees if pk not in paid and pk not in contradicted]
    chosen = [pk for pk in employees if pk in paid][:6] + (contradicted[:2] + absent)[:3]
    if not chosen:
        return 0
    city = User.objects.filter(username="city_staff").first()
    Entitlement.objects.bulk_create([Entitlement(talent_id=pk, policy=FEED_POLICY, one_time_fen=REWARD_FEN,
                                                 start_month=this_month, end_month=this_month, created_by=city)
                                     for pk in chosen])
    # On top of the line the programme's demo may have set for its calls (项目申报: the same policy's awards).
    held = BudgetLine.objects.filter(policy=FEED_POLICY, year=this_month.year).values_list("amount_fen", flat=True)
    budget_line_set(policy_id=FEED_POLICY, year=this_month.year,
                    amount=Decimal((held.first() or 0) + REWARD_FEN * len(chosen)) / 100,
                    note="演示数据：产业急需紧缺人才奖励年度预算（示例）")
    return pay_month(month=this_month, policies=[FEED_POLICY]).stopped
