"""The policy workbench (政策工作台, issue 13): every revision of a catalog rule an officer writes, and the test
cases a revision must pass before it is published.

A rule's text is the catalog's own language (the YAML of ``rencai/policies/catalog``); the shipped file stays
the default and the export format. What talent see is the shipped file overlaid by the revision *in force*
(``policies.published``): nothing an officer writes changes a result until it is published.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

EDIT_PERMISSION = "workbench.edit_rules"


class RevisionState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    DISCARDED = "discarded", "已放弃"


class RuleRevision(models.Model):
    """One version of one catalog file (a policy's ``<id>.yaml`` or an exclusive group's ``<id>.group.yaml``).
    Numbered per file from 1; the shipped file is version 0 and is not stored. Every revision is kept."""

    file = models.CharField("文件", max_length=100)
    policy = models.CharField("政策编号", max_length=80)
    number = models.PositiveIntegerField("版本号")
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="基于版本")
    text = models.TextField("规则文本")
    content_hash = models.CharField("内容摘要", max_length=64)
    state = models.CharField("状态", max_length=10, choices=RevisionState.choices, default=RevisionState.DRAFT)
    note = models.TextField("修改说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="起草人")
    created_at = models.DateTimeField("起草时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    # Publication: who, when and why. ``in_force``: the one revision of the file that talent see (the latest
    # published); the database keeps it to one per file.
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name="发布人")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    publish_reason = models.TextField("发布理由", blank=True)
    in_force = models.BooleanField("现行版本", default=False)
    # The checks run when it was published (the policy's test cases), and the last cost computed for it.
    checks = models.JSONField("测试结果", default=dict, blank=True)
    cost = models.JSONField("测算结果", default=dict, blank=True)

    class Meta:
        ordering = ["file", "-number"]
        verbose_name = verbose_name_plural = "规则版本"
        permissions = [("edit_rules", "编写、测试和发布政策规则")]
        constraints = [
            models.UniqueConstraint(fields=["file", "number"], name="revision_unique_number"),
            models.UniqueConstraint(fields=["file"], condition=Q(in_force=True), name="revision_one_in_force"),
            models.CheckConstraint(condition=Q(in_force=False) | Q(state="published"),
                                   name="revision_in_force_is_published"),
            models.CheckConstraint(condition=~Q(state="published") | Q(published_at__isnull=False),
                                   name="revision_published_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} 第{self.number}版（{self.get_state_display()}）"


class CaseStatus(models.TextChoices):
    """The result a test case expects, as the calculator states it."""

    TRUE = "true", "符合"
    FALSE = "false", "不符合"
    MANUAL = "manual", "一人一议/需评审"
    UNKNOWN = "unknown", "信息不足"


class RuleCase(models.Model):
    """A test case an officer wrote in the browser (the shipped ones live beside the catalog, in
    ``catalog/cases/``): a profile, the evaluation day, the expected result and amount."""

    policy = models.CharField("政策编号", max_length=80, db_index=True)
    name = models.CharField("用例名称", max_length=200)
    profile = models.JSONField("人员情况")
    as_of = models.DateField("评估日")
    expected_status = models.CharField("预期结果", max_length=8, choices=CaseStatus.choices)
    expected_monthly = models.DecimalField("预期每月金额（元）", max_digits=14, decimal_places=2, null=True,
                                           blank=True)
    expected_one_time = models.DecimalField("预期一次性金额（元）", max_digits=14, decimal_places=2, null=True,
                                            blank=True)
    active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="编写人")
    created_at = models.DateTimeField("编写时间", auto_now_add=True)

    class Meta:
        ordering = ["policy", "pk"]
        verbose_name = verbose_name_plural = "规则测试用例"
        constraints = [models.UniqueConstraint(fields=["policy", "name"], name="case_unique_name")]

    def __str__(self) -> str:
        return f"{self.policy}：{self.name}"


SOURCE_FIRST_NUMBER = 100  # the five seed documents are 000–004
SOURCE_LAST_NUMBER = 998  # three digits, as the catalog names a document; 999 is the reader's placeholder


class SourceDocument(models.Model):
    """A source document an office added (依据文件): a policy text a rule may cite, beside the five seed
    documents. Named like them — ``<number>_<first 16 hex of the text's sha256>.txt`` — so a rule's
    ``source.document`` names it; its text never changes once stored (a new text is a new document)."""

    number = models.PositiveSmallIntegerField("编号", unique=True)
    file = models.CharField("文件名", max_length=40, unique=True)
    text_sha256 = models.CharField("正文摘要", max_length=64, unique=True)
    title = models.CharField("标题", max_length=300)
    issuer = models.CharField("发文机关", max_length=200, blank=True)
    date = models.CharField("成文日期", max_length=50, blank=True)  # as the document states it
    text = models.TextField("正文")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="收录人")
    added_at = models.DateTimeField("收录时间", auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = verbose_name_plural = "依据文件"
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=SOURCE_FIRST_NUMBER) & Q(number__lte=SOURCE_LAST_NUMBER),
                                   name="source_document_number_range"),
            models.CheckConstraint(condition=~Q(title=""), name="source_document_has_title"),
            models.CheckConstraint(condition=~Q(text=""), name="source_document_has_text"),
        ]

    def __str__(self) -> str:
        return self.title
