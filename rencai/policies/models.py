"""What the batch match (政策找人 / 免申即享) found: who is entitled to what and has not received it."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce


class MatchRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "进行中"
        FINISHED = "finished", "已完成"
        FAILED = "failed", "失败"

    class Mode(models.TextChoices):
        FULL = "full", "全量"
        INCREMENTAL = "incremental", "增量"

    as_of = models.DateField("评估日")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RUNNING)
    talents = models.PositiveIntegerField("评估人数", default=0)
    matches = models.PositiveIntegerField("匹配条数", default=0)
    evaluation_ms = models.PositiveIntegerField("计算用时（毫秒）", default=0)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    error = models.TextField("错误", blank=True)
    # Incremental runs (matching.match_run): the catalog the rows were computed with, whether the last run
    # re-evaluated everyone or only the talents whose inputs changed (and how many), and where its time went.
    mode = models.CharField("方式", max_length=12, choices=Mode.choices, default=Mode.FULL)
    catalog_version = models.CharField("政策目录版本", max_length=64, blank=True)
    reevaluated = models.PositiveIntegerField("本次重新计算人数", default=0)
    seconds = models.JSONField("各阶段用时（秒）", default=dict, blank=True)
    # Every change of a talent's inputs made before this moment is in the set (policies.changes).
    covers_until = models.DateTimeField("已计入此前的变化", null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = verbose_name_plural = "政策找人批次"

    def __str__(self) -> str:
        return f"{self.as_of} 政策找人（{self.get_status_display()}）"


class PolicyMatch(models.Model):
    """One person entitled (or case-by-case) to one policy, on the run's evaluation day."""

    class Eligibility(models.TextChoices):
        ELIGIBLE = "true", "符合"
        MANUAL = "manual", "一人一议/需评审"

    # No index of their own on the run and the policy: every index here leads with them (a million talents give
    # three million rows; each index is one more to write and to build).
    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="policy_matches", db_index=False)
    # No index of its own on the talent either: the unique key leads with it (a talent's rows, the cascade when
    # a talent is deleted, and the incremental run's look-up of the talents it re-evaluated all use it).
    talent = models.ForeignKey("talents.Talent", on_delete=models.CASCADE, related_name="policy_matches",
                               db_index=False)
    policy = models.CharField("政策", max_length=80)
    eligible = models.CharField("结果", max_length=6, choices=Eligibility.choices)
    decided_by = models.CharField("决定条件", max_length=120)
    # 不可兼得: the group this option belongs to for this person, and whether another option of it is the
    # recommended one (then this one is not counted in the totals).
    exclusive_group = models.CharField("不可兼得组", max_length=80, blank=True)
    alternative = models.BooleanField("可选其一（非推荐项）", default=False)
    # Integer fen, the batch engine's unit: exact on every backend, sums included (SQLite would sum a
    # NUMERIC column as binary floating point).
    monthly_fen = models.BigIntegerField("每月金额（分）", null=True)
    one_time_fen = models.BigIntegerField("一次性金额（分）", null=True)
    total_fen = models.BigIntegerField("合计（分）", null=True)

    class Meta:
        verbose_name = verbose_name_plural = "政策找人结果"
        constraints = [models.UniqueConstraint(fields=["talent", "run", "policy"], name="match_unique_per_talent")]
        # No copy of the talent's district here: every list, count and export is scoped through the talent's
        # current record (accounts.permissions.scope_related), so a move takes effect at once (issue 14, item 3).
        # The per-policy list's order (amounts first, then the talent), read as a keyset by core.paging: page 1
        # and page 10,000 are the same short index range scan. It leads with (run, policy), so it also serves
        # every look-up by run and policy (no index of those two alone: one index less to write and build).
        indexes = [models.Index(F("run"), F("policy"), Coalesce("total_fen", -1).desc(),
                                Coalesce("monthly_fen", -1).desc(), F("talent").desc(), name="match_list_order")]

    def __str__(self) -> str:
        return f"{self.talent_id} → {self.policy}"

    @property
    def district(self):
        """The talent's *current* district (select_related("talent__district") to read it without a query)."""
        return self.talent.district

    @property
    def monthly_amount(self):
        return fen_to_yuan(self.monthly_fen)

    @property
    def one_time_amount(self):
        return fen_to_yuan(self.one_time_fen)

    @property
    def total(self):
        return fen_to_yuan(self.total_fen)


class MatchCount(models.Model):
    """Kept counts of a run's rows per policy and the talent's current district (policies.counts): what
    /policies/matches/ and the per-policy totals read. Sums are integer fen over rows with an amount
    (``monthly_n``, ``total_n`` of them)."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="+")
    policy = models.CharField("政策", max_length=80)
    district = models.ForeignKey("regions.Region", on_delete=models.DO_NOTHING, db_constraint=False,
                                 related_name="+")
    eligible = models.CharField("结果", max_length=6, choices=PolicyMatch.Eligibility.choices)
    alternative = models.BooleanField("可选其一（非推荐项）")
    n = models.BigIntegerField("条数")
    monthly_n = models.BigIntegerField("有每月金额的条数")
    monthly_fen = models.BigIntegerField("每月金额合计（分）")
    total_n = models.BigIntegerField("有合计金额的条数")
    total_fen = models.BigIntegerField("合计金额（分）")

    class Meta:
        verbose_name = verbose_name_plural = "政策找人统计"
        constraints = [models.UniqueConstraint(fields=["run", "policy", "district", "eligible", "alternative"],
                                               name="match_count_unique_bucket")]

    def __str__(self) -> str:
        return f"{self.run_id} {self.policy} {self.district_id} {self.n}"


def fen_to_yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else Decimal(fen).scaleb(-2)


class PolicyRecord(models.Model):
    """A catalog file as loaded into the database (`rencai load_policies`): what is in force, since when,
    and the rule's text as the office published it. The YAML files in the repository stay the source."""

    policy = models.CharField("政策编号", max_length=80, unique=True)
    title = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=12)
    subject = models.CharField("对象", max_length=12)
    jurisdiction = models.CharField("适用地区代码", max_length=6)
    document = models.CharField("依据文件", max_length=100)
    quote = models.TextField("原文")
    in_force_from = models.DateField("施行日期")
    in_force_until = models.DateField("截止日期", null=True, blank=True)
    no_application = models.BooleanField("免申即享", default=False)
    rule_text = models.TextField("规则文本（YAML）")
    content_hash = models.CharField("内容摘要", max_length=64)
    active = models.BooleanField("在目录中", default=True)
    loaded_at = models.DateTimeField("载入时间")

    class Meta:
        ordering = ["policy"]
        verbose_name = verbose_name_plural = "政策目录"

    def __str__(self) -> str:
        return f"{self.title}（{self.policy}）"


class PolicyRevision(models.Model):
    """Every distinct version of a rule ever loaded, kept so that past decisions can cite the rule they
    were made under."""

    record = models.ForeignKey(PolicyRecord, on_delete=models.PROTECT, related_name="revisions")
    content_hash = models.CharField("内容摘要", max_length=64)
    rule_text = models.TextField("规则文本（YAML）")
    loaded_at = models.DateTimeField("载入时间")

    class Meta:
        ordering = ["-loaded_at"]
        verbose_name = verbose_name_plural = "政策版本"
        constraints = [models.UniqueConstraint(fields=["record", "content_hash"], name="revision_unique_hash")]

    def __str__(self) -> str:
        return f"{self.record.policy} @ {self.content_hash[:8]}"
