"""Money (资金发放): bank accounts, entitlements and their schedules, budget lines, monthly payments, payment
batches and the bank's returned files.

Money is integer fen in the database (``*_fen``, BigInteger) and ``Decimal`` yuan in code; never a float.
A month is stored as the first day of that month.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

FEN = Decimal("0.01")


def fen_to_yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else (Decimal(fen) / 100).quantize(FEN)


def yuan_to_fen(amount: Decimal) -> int:
    return int((Decimal(amount) * 100).to_integral_value())


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + (month.month - 1) + n
    return dt.date(index // 12, index % 12 + 1, 1)


class Payee(models.TextChoices):
    TALENT = "talent", "人才本人账户"
    EMPLOYER = "employer", "用人单位账户"


class BankAccount(models.Model):
    """Where money goes: a talent's own account (collected once, on their page) or an employer's account for
    policies that pay the unit ("直接发到企业账户", 001). The number is encrypted (``core.crypto``), looked up
    by a keyed hash and shown masked; revealing it is logged."""

    talent = models.OneToOneField("talents.Talent", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="bank_account", verbose_name="人才")
    organization = models.OneToOneField("organizations.Organization", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="bank_account",
                                        verbose_name="用人单位")
    bank_name = models.CharField("开户银行", max_length=100)
    account_name = models.CharField("户名", max_length=100)
    account_number_cipher = models.TextField("银行账号（密文）", editable=False)
    account_number_hash = models.CharField("银行账号（检索摘要）", max_length=64, db_index=True, editable=False)
    account_number_masked = models.CharField("银行账号", max_length=40, editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "收款账户"
        constraints = [
            models.CheckConstraint(
                condition=(Q(talent__isnull=False, organization__isnull=True)
                           | Q(talent__isnull=True, organization__isnull=False)),
                name="bankaccount_one_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.bank_name} {self.account_number_masked}"


class EntitlementStatus(models.TextChoices):
    ACTIVE = "active", "发放中"
    ENDED = "ended", "已结束"
    CANCELLED = "cancelled", "已终止"


class Entitlement(models.Model):
    """An approved benefit with its schedule: ``monthly_fen`` a month for ``months`` months from
    ``start_month``, and/or ``one_time_fen`` once in the start month (a schedule of one). One active
    entitlement per (talent, policy), guarded by a partial unique constraint.

    A programme grant's stage (项目申报, ``grant_reference`` e.g. "XM0000012-2", unique when set) is an
    entitlement too: several of one talent and policy may be active at once (the stages of one grant, or grants
    of one programme for different people paid to the same employer), and a unit's grant (a station's 设站资助)
    has no talent at all — it is paid to the organization (payee employer), and scoped by the organization's
    current district (``selectors.entitlement_scope_q``)."""

    talent = models.ForeignKey("talents.Talent", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="entitlements", verbose_name="人才")
    policy = models.CharField("政策", max_length=80, db_index=True)
    application_ref = models.BigIntegerField("申请编号", null=True, blank=True, db_index=True)
    monthly_fen = models.BigIntegerField("每月金额（分）", null=True, blank=True)
    months = models.PositiveSmallIntegerField("发放月数", null=True, blank=True)
    one_time_fen = models.BigIntegerField("一次性金额（分）", null=True, blank=True)
    start_month = models.DateField("起始月份")
    end_month = models.DateField("最后发放月份")
    payee = models.CharField("收款方", max_length=10, choices=Payee.choices, default=Payee.TALENT)
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name="收款单位")
    status = models.CharField("状态", max_length=10, choices=EntitlementStatus.choices,
                              default=EntitlementStatus.ACTIVE)
    end_reason = models.CharField("终止原因", max_length=200, blank=True)
    grant_reference = models.CharField("项目资助编号", max_length=40, blank=True, default="", db_default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("批准时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "享受资格"
        ordering = ["-start_month", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["talent", "policy"], condition=Q(status="active", grant_reference=""),
                                    name="entitlement_one_active_per_policy"),
            models.UniqueConstraint(fields=["grant_reference"], condition=~Q(grant_reference=""),
                                    name="entitlement_one_per_grant_reference"),
            models.CheckConstraint(condition=Q(talent__isnull=False) | Q(payee="employer", organization__isnull=False),
                                   name="entitlement_talent_or_unit"),
            models.CheckConstraint(
                condition=(Q(monthly_fen__isnull=True, months__isnull=True)
                           | Q(monthly_fen__gt=0, months__gt=0, months__lte=600)),
                name="entitlement_monthly_schedule"),
            models.CheckConstraint(condition=Q(one_time_fen__isnull=True) | Q(one_time_fen__gt=0),
                                   name="entitlement_one_time_positive"),
            models.CheckConstraint(condition=Q(monthly_fen__isnull=False) | Q(one_time_fen__isnull=False),
                                   name="entitlement_has_amount"),
            models.CheckConstraint(condition=Q(end_month__gte=models.F("start_month")),
                                   name="entitlement_end_after_start"),
            models.CheckConstraint(condition=Q(payee="talent") | Q(organization__isnull=False),
                                   name="entitlement_employer_payee_named"),
        ]
        indexes = [models.Index(fields=["status", "start_month", "end_month"], name="entitlement_active_idx"),
                   # the monthly run walks a policy's entitlements start month by start month, in id order
                   models.Index(fields=["policy", "start_month", "id"], name="entitlement_run_order_idx")]

    def __str__(self) -> str:
        return f"{self.policy} · {self.talent_id or self.organization_id}"

    @property
    def payee_name(self) -> str:
        """Who the row is for, as people read it: the talent's name, or the unit's for a unit's grant."""
        return self.talent.name if self.talent_id else self.organization.name

    @property
    def district_name(self) -> str:
        """The talent's current district, or the unit's for a unit's grant."""
        return (self.talent if self.talent_id else self.organization).district.name

    @property
    def monthly_amount(self) -> Decimal | None:
        return fen_to_yuan(self.monthly_fen)

    @property
    def policy_title(self) -> str:
        from .selectors import policy_title

        return policy_title(self.policy)

    @property
    def one_time_amount(self) -> Decimal | None:
        return fen_to_yuan(self.one_time_fen)

    def amount_fen_for(self, month: dt.date) -> int:
        fen = 0
        if self.monthly_fen and self.start_month <= month <= self.end_month:
            fen += self.monthly_fen
        if self.one_time_fen and month == self.start_month:
            fen += self.one_time_fen
        return fen

    @property
    def total_fen(self) -> int:
        return (self.monthly_fen or 0) * (self.months or 0) + (self.one_time_fen or 0)

    @property
    def total(self) -> Decimal:
        return fen_to_yuan(self.total_fen)


class BudgetLine(models.Model):
    """A policy's budget for a year (专项资金): the amount, what approvals have committed and what has been
    paid. ``committed_fen <= amount_fen`` is checked by the database as the last guard."""

    policy = models.CharField("政策", max_length=80)
    year = models.PositiveSmallIntegerField("年度")
    amount_fen = models.BigIntegerField("预算金额（分）")
    committed_fen = models.BigIntegerField("已承诺（分）", default=0)
    paid_fen = models.BigIntegerField("已支付（分）", default=0)
    # What the monthly runs have prepared against the line this year (payments of its months, paid or not):
    # the run's budget check reads and raises it under the line's row lock, never summing all payments.
    prepared_fen = models.BigIntegerField("已安排发放（分）", default=0)
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "预算额度"
        ordering = ["-year", "policy"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "year"], name="budgetline_one_per_policy_year"),
            models.CheckConstraint(condition=Q(amount_fen__gte=0, committed_fen__gte=0, paid_fen__gte=0,
                                               prepared_fen__gte=0),
                                   name="budgetline_not_negative"),
            models.CheckConstraint(condition=Q(committed_fen__lte=models.F("amount_fen")),
                                   name="budgetline_committed_within_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} {self.year}"

    @property
    def amount(self) -> Decimal:
        return fen_to_yuan(self.amount_fen)

    @property
    def committed(self) -> Decimal:
        return fen_to_yuan(self.committed_fen)

    @property
    def paid(self) -> Decimal:
        return fen_to_yuan(self.paid_fen)

    @property
    def prepared(self) -> Decimal:
        return fen_to_yuan(self.prepared_fen)

    @property
    def remaining(self) -> Decimal:
        return fen_to_yuan(self.amount_fen - self.committed_fen)


class BudgetCommitment(models.Model):
    """One approval's commitment on a line; ``reference`` (e.g. the application number) makes committing
    twice a no-op and lets a withdrawal release exactly what was committed."""

    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="commitments")
    reference = models.CharField("业务编号", max_length=80)
    amount_fen = models.BigIntegerField("金额（分）")
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField("释放时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "预算承诺"
        constraints = [
            models.UniqueConstraint(fields=["line", "reference"], name="budgetcommitment_one_per_reference"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="budgetcommitment_positive"),
        ]

    def __str__(self) -> str:
        return self.reference


class PaymentStatus(models.TextChoices):
    PREPARED = "prepared", "待发放"
    BATCHED = "batched", "已编入批次"
    PAID = "paid", "已到账"
    FAILED = "failed", "发放失败"


class Payment(models.Model):
    """One entitlement's payment for one month: at most one, ever (a unique constraint)."""

    # No index of its own: the unique (entitlement, month) constraint's index leads with it (a million fewer
    # index entries to write in a monthly run).
    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="payments", db_index=False)
    policy = models.CharField("政策", max_length=80)  # the entitlement's, for budget sums without a join
    month = models.DateField("所属月份")
    amount_fen = models.BigIntegerField("金额（分）")
    status = models.CharField("状态", max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PREPARED)
    reason = models.CharField("银行反馈", max_length=200, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    paid_at = models.DateTimeField("到账时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "发放记录"
        ordering = ["-month", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["entitlement", "month"], name="payment_one_per_entitlement_month"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="payment_positive"),
        ]
        # No index leads with the month: the run probes (entitlement, month) through the unique index, and a
        # month index would tempt the planner into scanning the whole month per chunk (stale statistics).
        indexes = [models.Index(fields=["policy", "month"], name="payment_policy_month_idx"),
                   models.Index(fields=["status"], name="payment_status_idx")]

    def __str__(self) -> str:
        return f"{self.policy} {self.month:%Y-%m}"

    @property
    def amount(self) -> Decimal:
        return fen_to_yuan(self.amount_fen)


class SkipKind(models.TextChoices):
    STOPPED = "stopped", "停发"
    HELD = "held", "暂缓（预算不足）"


class PaymentSkip(models.Model):
    """Why an entitlement got no payment for a month: a condition no longer held (stopped) or the budget line
    would have been exceeded (held). One per (entitlement, month); the talent sees it on their page."""

    entitlement = models.ForeignKey(Entitlement, on_delete=models.CASCADE, related_name="skips")
    month = models.DateField("所属月份")
    kind = models.CharField("类型", max_length=10, choices=SkipKind.choices)
    reason = models.CharField("原因", max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "停发与暂缓"
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["entitlement", "month"], name="paymentskip_one_per_month")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.month:%Y-%m}"


class BatchStatus(models.TextChoices):
    DRAFT = "draft", "待审批"
    APPROVED = "approved", "已审批"
    RETURNED = "returned", "已回盘"


class PaymentBatch(models.Model):
    """Payments grouped for finance to approve; an approved batch is exported as a bank file and its returned
    file imported line by line."""

    number = models.CharField("批次号", max_length=30, unique=True)
    month = models.DateField("所属月份")
    status = models.CharField("状态", max_length=10, choices=BatchStatus.choices, default=BatchStatus.DRAFT)
    count = models.PositiveIntegerField("笔数", default=0)
    total_fen = models.BigIntegerField("合计（分）", default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    returned_at = models.DateTimeField("回盘时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "发放批次"
        ordering = ["-created_at"]
        permissions = [("approve_batch", "审批发放批次（财政）")]

    def __str__(self) -> str:
        return self.number

    @property
    def total(self) -> Decimal:
        return fen_to_yuan(self.total_fen)


class LineResult(models.TextChoices):
    PENDING = "pending", "待银行反馈"
    PAID = "paid", "已到账"
    FAILED = "failed", "失败"


class BatchLine(models.Model):
    """One payment in one batch, with its unique payment reference (the bank file's line). A failed payment is
    put in a later batch as a new line; a payment has at most one line pending or paid (never paid twice)."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="lines")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="lines")
    reference = models.CharField("支付流水号", max_length=40, unique=True)
    amount_fen = models.BigIntegerField("金额（分）")
    result = models.CharField("结果", max_length=10, choices=LineResult.choices, default=LineResult.PENDING)
    bank_reason = models.CharField("银行反馈", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "批次明细"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["payment"], condition=~Q(result="failed"),
                                    name="batchline_one_live_per_payment"),
        ]

    def __str__(self) -> str:
        return self.reference
