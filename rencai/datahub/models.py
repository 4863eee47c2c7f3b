"""The data centre (数据中心): departments' feeds, each load of a feed, the dated facts they vouch for, and the
discrepancies between a fact and what a talent or an officer declared.

- ``Feed``: a data source registered with its owner department, the kind of fact it vouches for (kinds.py), its
  columns and its schedule; a push token per feed, stored as a SHA-256 digest only.
- ``Load``: one file or push of a feed — who, when, what (file name, SHA-256), the counts, the row-by-row report
  in Chinese — loaded in the background, all-or-nothing for its valid rows (services.load_run).
- ``Fact``: one row of a feed about one subject and one period, unique per (feed, period, subject key), so that
  loading the same rows again changes nothing. The subject key is the keyed hash of the ID number (as the
  registry's ``Talent.id_number_hash``) or the 统一社会信用代码; a row whose subject is not in the registry is
  kept with the number masked (``subject_masked``) and listed as unmatched, and matched when the person or
  employer is registered later.
- ``Discrepancy``: a fact contradicting a declared field (a talent declares renting; 不动产登记 shows a home
  bought), open until staff resolve it.

The fact table is the large one (a monthly feed of a million people adds a million rows a month): its links to the
feed, load, talent and organization are plain columns without database foreign-key constraints (the checks of a
million rows at commit would double a load's time); the code that writes them takes the ids from the rows it has
just locked or joined, and Django still applies ``on_delete`` when a talent or organization is deleted.
"""

from django.conf import settings
from django.db import models

from .enums import Cadence, DiscrepancyStatus, FactKind, LoadSource, LoadStatus, Resolution


class Feed(models.Model):
    """A department's data source (数据源)."""

    name = models.CharField("数据源名称", max_length=100, unique=True)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="feeds",
                                   verbose_name="数据提供部门")
    kind = models.CharField("核验事项", max_length=20, choices=FactKind.choices)
    columns = models.JSONField("列名", default=dict, blank=True,
                               help_text="本数据源自己的列名，如 {\"id_number\": \"身份证号\"}；留空则用标准列名")
    description = models.TextField("说明", blank=True)
    cadence = models.CharField("报送周期", max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY)
    due_working_day = models.PositiveSmallIntegerField(
        "报送时限（第几个工作日）", default=10,
        help_text="按月报送：上月数据应在本月第几个工作日前报送；按年报送：上年数据应在报送月份第几个工作日前报送")
    due_month = models.PositiveSmallIntegerField("按年报送的月份", default=3,
                                                 help_text="按年报送时，上年数据在次年几月报送")
    active = models.BooleanField("启用", default=True)
    token_digest = models.CharField("推送令牌摘要", max_length=64, blank=True, editable=False)
    token_hint = models.CharField("推送令牌末四位", max_length=8, blank=True, editable=False)
    token_rotated_at = models.DateTimeField("令牌生成时间", null=True, blank=True, editable=False)
    token_rotated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", editable=False, verbose_name="令牌生成人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = verbose_name_plural = "数据源"
        constraints = [
            models.UniqueConstraint(fields=["token_digest"], condition=~models.Q(token_digest=""),
                                    name="feed_token_digest_unique"),
            models.CheckConstraint(condition=models.Q(due_working_day__gte=1, due_working_day__lte=23),
                                   name="feed_due_working_day_range"),
            models.CheckConstraint(condition=models.Q(due_month__gte=1, due_month__lte=12),
                                   name="feed_due_month_range"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def spec(self):
        from .kinds import spec_of

        return spec_of(self.kind)

    def header_of(self, key: str) -> str:
        """The header this feed's files use for a column: its own name for it, else the standard label."""
        return str((self.columns or {}).get(key) or self.spec.column(key).label)


class Load(models.Model):
    """One delivery of a feed (数据装载): a file uploaded on the page or by `rencai datahub_load`, or a push."""

    feed = models.ForeignKey(Feed, on_delete=models.PROTECT, related_name="loads", verbose_name="数据源")
    source = models.CharField("方式", max_length=10, choices=LoadSource.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name="装载人")
    file_name = models.CharField("文件名", max_length=200, blank=True)
    sha256 = models.CharField("内容摘要（SHA-256）", max_length=64)
    size = models.BigIntegerField("大小（字节）", default=0)
    idempotency_key = models.CharField("幂等键", max_length=100, null=True, blank=True)
    stored = models.CharField("暂存文件", max_length=100, blank=True, editable=False)  # removed once loaded
    status = models.CharField("状态", max_length=10, choices=LoadStatus.choices, default=LoadStatus.QUEUED)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                            verbose_name="后台任务")
    attempts = models.PositiveIntegerField("执行次数", default=0)
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    rejected_rows = models.PositiveIntegerField("错误行数", default=0)
    facts_new = models.PositiveIntegerField("新增", default=0)
    facts_changed = models.PositiveIntegerField("更新", default=0)
    facts_unchanged = models.PositiveIntegerField("未变化", default=0)
    unmatched_rows = models.PositiveIntegerField("未匹配", default=0)
    rematched = models.PositiveIntegerField("补匹配", default=0, help_text="此前未匹配、本次装载时已能匹配的记录")
    period_min = models.DateField("最早期间", null=True, blank=True)
    period_max = models.DateField("最晚期间", null=True, blank=True)
    errors = models.JSONField("逐行报告", default=list, blank=True)  # [{row, field, message}], numbers masked
    error_count = models.PositiveIntegerField("错误数", default=0)
    failure = models.CharField("失败原因", max_length=500, blank=True)
    seconds = models.JSONField("各步用时（秒）", default=dict, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = verbose_name_plural = "数据装载"
        constraints = [
            models.UniqueConstraint(fields=["feed", "idempotency_key"], name="load_one_per_idempotency_key"),
        ]
        indexes = [models.Index(fields=["feed", "status", "-id"], name="load_feed_status")]

    def __str__(self) -> str:
        return f"{self.feed} 第{self.pk}批"

    @property
    def valid_rows(self) -> int:
        return self.facts_new + self.facts_changed + self.facts_unchanged

    @property
    def matched_rows(self) -> int:
        return self.valid_rows - self.unmatched_rows

    @property
    def match_rate(self) -> float | None:
        """Share of this load's valid rows matched to the registry (0–100), or None without valid rows."""
        return round(self.matched_rows * 100 / self.valid_rows, 1) if self.valid_rows else None

    @property
    def written(self) -> int:
        return self.facts_new + self.facts_changed


class Fact(models.Model):
    """A verified fact (已核验): one row of a feed, about one person or organization and one period."""

    id = models.BigAutoField(primary_key=True)
    feed = models.ForeignKey(Feed, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
                             related_name="facts", verbose_name="数据源")
    kind = models.CharField("核验事项", max_length=20, choices=FactKind.choices)
    subject_key = models.CharField("主体标识", max_length=64, editable=False)  # keyed hash of the ID, or the uscc
    subject_masked = models.CharField("证件号码", max_length=32, editable=False)
    subject_name = models.CharField("姓名（名称）", max_length=200, blank=True)
    talent = models.ForeignKey("talents.Talent", null=True, blank=True, on_delete=models.SET_NULL,
                               db_constraint=False, db_index=False, related_name="facts", verbose_name="人才")
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True, on_delete=models.SET_NULL,
                                     db_constraint=False, db_index=False, related_name="facts",
                                     verbose_name="单位")
    period = models.DateField("期间")
    value = models.JSONField("内容")
    digest = models.BigIntegerField("内容摘要", editable=False)  # of the value's JSON: a reload compares these
    load = models.ForeignKey(Load, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
                             related_name="+", verbose_name="最近写入批次")
    as_of = models.DateField("核验日期")  # the day the feed vouched for it (its load)
    created_at = models.DateTimeField("首次写入", auto_now_add=True)
    updated_at = models.DateTimeField("最近更新", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "核验数据"
        constraints = [
            models.UniqueConstraint(fields=["feed", "period", "subject_key"], name="fact_one_per_feed_period_subject"),
        ]
        indexes = [
            models.Index(fields=["talent", "kind", "period"], name="fact_talent_kind",
                         condition=models.Q(talent__isnull=False)),
            models.Index(fields=["organization", "kind", "period"], name="fact_organization_kind",
                         condition=models.Q(organization__isnull=False)),
            models.Index(fields=["feed", "id"], name="fact_unmatched",
                         condition=models.Q(talent__isnull=True, organization__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject_masked} {self.period}"

    @property
    def matched(self) -> bool:
        return self.talent_id is not None or self.organization_id is not None


class Discrepancy(models.Model):
    """疑点: a feed contradicting what was declared for a talent, raised by a load of the feed. Its evidence is a
    verified fact (a row saying otherwise: once per (talent, fact, field)), or a month the feed delivered without
    the talent (``period``, with the load: a talent declaring social insurance paid in the city, absent from the
    month's 社保 data; once per (talent, feed, field, month)). Resolved by staff of the talent's jurisdiction with a
    resolution and a note (services.discrepancy_transition)."""

    talent = models.ForeignKey("talents.Talent", on_delete=models.CASCADE, related_name="discrepancies",
                               verbose_name="人才")
    fact = models.ForeignKey(Fact, null=True, blank=True, on_delete=models.CASCADE, related_name="discrepancies",
                             verbose_name="核验数据")
    feed = models.ForeignKey(Feed, on_delete=models.PROTECT, related_name="discrepancies", verbose_name="数据源")
    load = models.ForeignKey(Load, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name="发现批次")
    period = models.DateField("缺少记录的月份", null=True, blank=True)  # evidence without a fact: the month
    field = models.CharField("申报事项", max_length=40)  # a registry field key, shown by its label
    declared = models.CharField("申报内容", max_length=200)
    verified = models.CharField("核验内容", max_length=300)
    status = models.CharField("状态", max_length=10, choices=DiscrepancyStatus.choices,
                              default=DiscrepancyStatus.OPEN)
    resolution = models.CharField("处理结果", max_length=20, choices=Resolution.choices, blank=True)
    note = models.TextField("处理说明", blank=True)
    raised_at = models.DateTimeField("发现时间", auto_now_add=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="处理人")
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = verbose_name_plural = "数据疑点"
        constraints = [
            models.UniqueConstraint(fields=["talent", "fact", "field"], name="discrepancy_once_per_fact_field"),
            models.UniqueConstraint(fields=["talent", "feed", "field", "period"], condition=models.Q(fact__isnull=True),
                                    name="discrepancy_once_per_missing_month"),
            models.CheckConstraint(condition=models.Q(fact__isnull=False)
                                   | models.Q(load__isnull=False, period__isnull=False),
                                   name="discrepancy_has_evidence"),
            models.CheckConstraint(
                condition=(models.Q(status="open", resolution="", resolved_at__isnull=True)
                           | models.Q(status="resolved", resolved_at__isnull=False) & ~models.Q(resolution="")),
                name="discrepancy_resolution_matches_status"),
        ]
        indexes = [models.Index(fields=["status", "talent"], name="discrepancy_status")]

    def __str__(self) -> str:
        return f"{self.talent} {self.field}（{self.get_status_display()}）"


class Verification(models.Model):
    """What the feeds vouch for about one talent now (核验结果): the engine's profile takes these over what was
    declared (policies/registry.py), and 免申即享 offers need them (fulfilment.services.offers_generate).

    One row per talent with a matched fact, kept up to date by each load (verification.refresh) from the facts
    it wrote; ``rencai datahub_verify`` rebuilds every row from all facts. ``changed_at`` moves only when a value
    the engine reads changes (not when another month confirms the same), so that 政策找人's incremental run
    re-evaluates just those talents (policies.changes)."""

    talent = models.OneToOneField("talents.Talent", primary_key=True, on_delete=models.CASCADE, db_constraint=False,
                                  related_name="verification", verbose_name="人才")
    degree = models.CharField("核验学历", max_length=20, blank=True)  # the highest verified
    graduation_date = models.DateField("核验毕业日期", null=True, blank=True)
    degree_fact = models.ForeignKey(Fact, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
                                    db_index=False, related_name="+")
    returnee = models.BooleanField("已核验留学回国", default=False)
    returnee_fact = models.ForeignKey(Fact, null=True, blank=True, on_delete=models.DO_NOTHING,
                                      db_constraint=False, db_index=False, related_name="+")
    skill_level = models.CharField("核验技能等级", max_length=30, blank=True)  # the highest verified, any level
    skill_fact = models.ForeignKey(Fact, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
                                   db_index=False, related_name="+")
    owns_home = models.BooleanField("已登记住宅", default=False)
    home_fact = models.ForeignKey(Fact, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
                                  db_index=False, related_name="+")
    insured_month = models.DateField("最近社保月份", null=True, blank=True)
    insured_in_city = models.BooleanField("该月在本市正常缴费", null=True, blank=True)
    insured_fact = models.ForeignKey(Fact, null=True, blank=True, on_delete=models.DO_NOTHING,
                                     db_constraint=False, db_index=False, related_name="+")
    resident_month = models.DateField("最近户籍/居住证月份", null=True, blank=True)
    resident_district = models.CharField("户籍/居住证所在区县", max_length=6, blank=True)
    resident_fact = models.ForeignKey(Fact, null=True, blank=True, on_delete=models.DO_NOTHING,
                                      db_constraint=False, db_index=False, related_name="+")
    changed_at = models.DateTimeField("核验结果变化时间")
    updated_at = models.DateTimeField("最近更新")

    class Meta:
        # No index on changed_at: every load writes many rows, and the incremental run's one look at it reads
        # a narrow table of at most one row per talent.
        verbose_name = verbose_name_plural = "人才核验结果"

    def __str__(self) -> str:
        return f"{self.talent_id} 核验结果"
