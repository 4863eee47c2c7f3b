"""Expert review (专家评审), shared by every kind of reviewed item (recognition's 评审认定 now, programmes' 项目申报
later): the expert pool and its specialties, experts' declared conflicts, scoring sheets as data, and — per
reviewed item, named by a generic reference (``kind`` "app_label.model" + ``object_id``) — the panel, each
expert's assignment and scores. Writes go through ``services``, reads through ``selectors``; the rules that must
hold whatever the code does (one panel per item and stage, one assignment per expert per panel, one score per
criterion, a scored assignment has its total) are database constraints."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from .enums import Stage


class Specialty(models.Model):
    """A field an expert is qualified in (专业领域): data, kept by administrators, so that a panel can be drawn
    from the experts of a field."""

    name = models.CharField("名称", max_length=50, unique=True)
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = verbose_name_plural = "专业领域"

    def __str__(self) -> str:
        return self.name


class Expert(models.Model):
    """A member of the expert pool (专家库). ``organization`` is where the expert works: an expert never
    reviews an item of an organization the item names (the applicant's, a team member's: 回避). The table is
    recognition's, where the pool began (moved here without moving a row)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert")
    name = models.CharField("姓名", max_length=50)
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True, on_delete=models.PROTECT,
                                     verbose_name="所在单位（用于回避）")
    affiliation = models.CharField("工作单位", max_length=200, blank=True)
    specialty = models.CharField("专业领域", max_length=100, blank=True)
    specialties = models.ManyToManyField(Specialty, blank=True, related_name="experts",
                                         db_table="reviews_expert_specialties", verbose_name="专业领域（用于遴选）")
    active = models.BooleanField("在库", default=True)

    class Meta:
        db_table = "recognition_expert"
        ordering = ["name", "id"]
        verbose_name = verbose_name_plural = "评审专家"

    def __str__(self) -> str:
        return self.name


class ConflictDeclaration(models.Model):
    """An expert's declared conflict of interest (主动申报回避) with an item or a party of one (an applicant, a
    talent, an organization), by generic reference: kept, with the reason and the time; a declared expert is
    never placed on a panel the reference concerns."""

    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="conflicts")
    kind = models.CharField("对象类型", max_length=60)
    object_id = models.PositiveBigIntegerField("对象编号")
    reason = models.CharField("回避理由", max_length=200)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="申报人")
    declared_at = models.DateTimeField("申报时间")

    class Meta:
        ordering = ["-declared_at", "-id"]
        verbose_name = verbose_name_plural = "专家回避申报"
        constraints = [models.UniqueConstraint(fields=["expert", "kind", "object_id"],
                                               name="conflict_unique_per_subject")]
        indexes = [models.Index(fields=["kind", "object_id"], name="conflict_subject")]

    def __str__(self) -> str:
        return f"{self.expert}：{self.reason}"


class Sheet(models.Model):
    """A scoring sheet (评分表): ordered criteria, each with a maximum and a weight; an expert's total is the
    weighted sum (``scoring.weighted_total``). The sheet also sets how the panel's totals are read: the outlier
    threshold (``scoring.outliers``) and how many highest and lowest totals the result leaves out
    (``scoring.panel_result``). ``code`` is how the owner finds its sheet (recognition's is
    "recognition.review"; a programme call will own its own) and is never shown."""

    code = models.SlugField("代码", max_length=60, unique=True)
    name = models.CharField("名称", max_length=100)
    note = models.TextField("说明", blank=True)
    outlier_threshold = models.DecimalField(
        "离群判定阈值", max_digits=4, decimal_places=2, default=Decimal("3.5"),
        help_text="修正Z分数（0.6745×与中位数之差÷绝对中位差）超过此值的总分标为离群，推荐3.5（Iglewicz & Hoaglin）")
    outlier_min_gap = models.DecimalField(
        "离群最小分差", max_digits=6, decimal_places=2, default=Decimal(0),
        help_text="与专家组总分中位数相差不足此分数的，不标为离群")
    trim = models.PositiveSmallIntegerField(
        "去掉最高分、最低分各几个", default=0, help_text="0为取全部专家总分的平均分")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = verbose_name_plural = "评分表"
        constraints = [models.CheckConstraint(condition=Q(outlier_threshold__gt=0), name="sheet_threshold_positive")]

    def __str__(self) -> str:
        return self.name

    @property
    def total_max(self) -> Decimal:
        return sum((c.maximum * c.weight for c in self.criteria.all()), Decimal(0))


class Criterion(models.Model):
    """One line of a sheet: scored in whole points from 0 to ``maximum``, counted ``weight`` times in the
    total. ``code`` names the form field and the API key; people read ``label``."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField("代码", max_length=40)
    label = models.CharField("评分项", max_length=60)
    maximum = models.PositiveSmallIntegerField("满分")
    weight = models.DecimalField("权重", max_digits=6, decimal_places=3, default=Decimal(1))
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["sheet", "position", "id"]
        verbose_name = verbose_name_plural = "评分项"
        constraints = [
            models.UniqueConstraint(fields=["sheet", "code"], name="criterion_unique_code"),
            models.CheckConstraint(condition=Q(maximum__gte=1), name="criterion_maximum_positive"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.label}（满分{self.maximum}）"


class Panel(models.Model):
    """The experts reviewing one item at one stage, formed once (a unique constraint: two staff forming it at
    once cannot both succeed), with the sheet they score on and the working days they have."""

    kind = models.CharField("评审事项类型", max_length=60)
    object_id = models.PositiveBigIntegerField("评审事项编号")
    stage = models.CharField("评审环节", max_length=10, choices=Stage.choices, default=Stage.REVIEW)
    sheet = models.ForeignKey(Sheet, on_delete=models.PROTECT, related_name="panels", verbose_name="评分表")
    review_days = models.PositiveSmallIntegerField("评分期限（工作日）")
    formed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="组建人")
    formed_at = models.DateTimeField("组建时间")

    class Meta:
        ordering = ["kind", "object_id", "stage"]
        verbose_name = verbose_name_plural = "评审专家组"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id", "stage"], name="panel_one_per_stage")]

    def __str__(self) -> str:
        return f"{self.kind}#{self.object_id} {self.get_stage_display()}"


class Assignment(models.Model):
    """One expert of a panel, and the scores the expert gave (kept, never changed)."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments")
    assigned_at = models.DateTimeField("分配时间")
    total = models.DecimalField("总分", max_digits=8, decimal_places=2, null=True, blank=True)
    comment = models.TextField("评审意见", blank=True)
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)

    class Meta:
        ordering = ["panel", "id"]
        verbose_name = verbose_name_plural = "专家评审任务"
        indexes = [models.Index(fields=["expert", "scored_at"], name="assignment_expert_open")]
        constraints = [
            models.UniqueConstraint(fields=["panel", "expert"], name="assignment_one_per_expert"),
            models.CheckConstraint(condition=Q(scored_at__isnull=True) | Q(total__isnull=False),
                                   name="review_assignment_scored_has_total"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.panel}"


class Score(models.Model):
    """An expert's score on one criterion."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField("得分")

    class Meta:
        ordering = ["assignment", "criterion__position", "criterion_id"]
        verbose_name = verbose_name_plural = "评分"
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="score_one_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion.label}：{self.value}"
