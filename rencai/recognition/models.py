"""Talent recognition (人才认定): the standard as dated data, applications and their event log, evidence,
employer authorisations with quotas, and the recognitions (the talent card's record). Expert review (the pool,
panels, scores) is rencai.reviews' (``review.py`` says how an application is reviewed there).

Every status change goes through ``services.application_transition``; the models only hold the data and the
database guards (unique and check constraints) that must hold whatever the code does."""

import datetime as dt
import secrets
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q

from rencai.documents.enums import DocumentKind
from rencai.talents.enums import TalentCategory

from .enums import (
    CATEGORY_NAMES,
    OPEN_STATUSES,
    TOTAL_MAX,
    Action,
    Kind,
    RecognitionStatus,
    Status,
    Way,
)

EXAMPLE_NOTICE = "示例标准：依据公开文件拟定的参考条目，须替换为本市正式发布的人才认定标准"


class Standard(models.Model):
    """One dated version of the recognition standard; the version in force on a day is the latest one
    whose ``valid_from`` is not after that day. Decisions keep the version they were made under."""

    name = models.CharField("名称", max_length=100)
    valid_from = models.DateField("施行日期", unique=True)
    is_example = models.BooleanField(
        "示例标准", default=False, help_text="勾选表示为示例数据，页面上会醒目提示“须替换为本市正式标准”")
    source_note = models.TextField("依据与说明", blank=True)
    review_panel_size = models.PositiveSmallIntegerField("评审专家组最少人数", default=3)
    # No document sets how long an expert may take: 10 working days is the example's figure (the standard is
    # flagged as an example); the expert's task list and home page show the day it falls due.
    review_days = models.PositiveSmallIntegerField(
        "专家评分期限（工作日）", default=10, help_text="专家组组建后，专家应在多少个工作日内完成评分")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = verbose_name_plural = "认定标准（版本）"
        constraints = [models.CheckConstraint(condition=Q(review_panel_size__gte=1), name="standard_panel_positive"),
                       models.CheckConstraint(condition=Q(review_days__gte=1), name="standard_review_days_positive")]

    def __str__(self) -> str:
        return f"{self.name}（{self.valid_from}起）"

    def rule_for(self, category: str) -> "CategoryRule":
        return self.rules.get(category=category)


class CategoryRule(models.Model):
    """Per category of a standard: how long a recognition stays valid and the review pass mark."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="rules")
    category = models.CharField("人才类别", max_length=1, choices=TalentCategory.choices)
    validity_years = models.PositiveSmallIntegerField("有效期（年）")
    review_threshold = models.PositiveSmallIntegerField(f"评审认定分数线（满分{TOTAL_MAX}）")

    class Meta:
        ordering = ["standard", "category"]
        verbose_name = verbose_name_plural = "类别规则"
        constraints = [
            models.UniqueConstraint(fields=["standard", "category"], name="category_rule_unique"),
            models.CheckConstraint(condition=Q(validity_years__gte=1) & Q(validity_years__lte=20),
                                   name="category_rule_validity_range"),
            models.CheckConstraint(condition=Q(review_threshold__lte=TOTAL_MAX), name="category_rule_threshold_max"),
        ]

    def __str__(self) -> str:
        return f"{self.category}类：有效期{self.validity_years}年，评审分数线{self.review_threshold}"


class StandardItem(models.Model):
    """One qualifying item (e.g. 两院院士 → A): meeting it on the evidence is a direct recognition."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="items")
    code = models.CharField("条目编号", max_length=10)
    category = models.CharField("人才类别", max_length=1, choices=TalentCategory.choices)
    title = models.CharField("认定条件", max_length=200)
    description = models.TextField("说明", blank=True)
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["standard", "category", "position", "code"]
        verbose_name = verbose_name_plural = "认定条目"
        constraints = [models.UniqueConstraint(fields=["standard", "code"], name="standard_item_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class EvidenceRequirement(models.Model):
    """A document an application must attach: for one item (``item``), for one way (``way``), or for
    every application under the standard (neither)."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="evidence")
    item = models.ForeignKey(StandardItem, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    way = models.CharField("认定方式", max_length=10, choices=Way.choices, blank=True)
    label = models.CharField("材料名称", max_length=100)
    document_kind = models.CharField(
        "材料类型", max_length=24, choices=DocumentKind.choices, default=DocumentKind.OTHER,
        help_text="对应材料库中的哪类材料：人才材料库中已有该类材料的，申请时直接使用，不再重复提交")
    hint = models.CharField("说明", max_length=200, blank=True)
    required = models.BooleanField("必交", default=True)
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = verbose_name_plural = "申报材料要求"
        constraints = [models.CheckConstraint(condition=Q(item__isnull=True) | Q(way=""),
                                              name="evidence_item_or_way")]

    def __str__(self) -> str:
        return self.label


class EmployerAuthorization(models.Model):
    """An employer authorised for 自主认定 in a period, with the criteria it declared (salary, tax paid,
    market value created) and its quota per category (``quotas``)."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="recognition_authorizations", verbose_name="用人单位")
    valid_from = models.DateField("授权起始日")
    valid_until = models.DateField("授权截止日")
    criteria = models.TextField("单位申报的认定标准",
                                help_text="如：薪酬待遇、创造的市场价值、缴纳的个人所得税等衡量指标")
    revoked = models.BooleanField("已收回授权", default=False)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="授权人")
    granted_at = models.DateTimeField("授权时间", auto_now_add=True)

    class Meta:
        ordering = ["-valid_from", "organization"]
        verbose_name = verbose_name_plural = "自主认定授权"
        constraints = [
            models.UniqueConstraint(fields=["organization", "valid_from"], name="authorization_unique_period"),
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")),
                                   name="authorization_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.organization}（{self.valid_from}至{self.valid_until}）"

    def in_force(self, on: dt.date) -> bool:
        return not self.revoked and self.valid_from <= on <= self.valid_until


class EmployerQuota(models.Model):
    """How many talents of one category the employer may recognise in the authorisation's period.
    ``used`` counts recognitions still standing; it is changed only under a row lock and can never exceed
    ``quota`` (a check constraint)."""

    authorization = models.ForeignKey(EmployerAuthorization, on_delete=models.CASCADE, related_name="quotas")
    category = models.CharField("人才类别", max_length=1, choices=TalentCategory.choices)
    quota = models.PositiveIntegerField("名额")
    used = models.PositiveIntegerField("已使用", default=0)
    min_annual_salary = models.DecimalField("年薪不低于（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    min_annual_tax = models.DecimalField("年缴个人所得税不低于（元）", max_digits=12, decimal_places=2, null=True,
                                         blank=True)

    class Meta:
        ordering = ["authorization", "category"]
        verbose_name = verbose_name_plural = "自主认定名额"
        constraints = [
            models.UniqueConstraint(fields=["authorization", "category"], name="quota_unique_category"),
            models.CheckConstraint(condition=Q(used__lte=models.F("quota")), name="quota_not_exceeded"),
        ]

    def __str__(self) -> str:
        return f"{self.category}类 {self.used}/{self.quota}"

    @property
    def remaining(self) -> int:
        return self.quota - self.used


class Application(models.Model):
    """One request for a recognition (申请). Its status changes only through
    ``services.application_transition``, which writes an ``ApplicationEvent`` for each change."""

    talent = models.ForeignKey("talents.Talent", on_delete=models.PROTECT, related_name="recognition_applications",
                               verbose_name="人才")
    way = models.CharField("认定方式", max_length=10, choices=Way.choices)
    kind = models.CharField("申请类型", max_length=8, choices=Kind.choices, default=Kind.NEW)
    category = models.CharField("申请类别", max_length=1, choices=TalentCategory.choices)
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+", verbose_name="认定标准")
    item = models.ForeignKey(StandardItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name="申报条目")
    # The talent's employer when applying: the organization whose experts must stand aside (回避).
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name="申请时工作单位")
    statement = models.TextField("申请说明（业绩、成果、薪酬等）", blank=True)
    # The registry's category when applying. For a category recognised before the platform (registry only,
    # no recognition record) it is what remains if a later recognition ends (see selectors.category_on).
    previous_category = models.CharField("申请时人才类别", max_length=1, choices=TalentCategory.choices, blank=True)
    previous_recognized_on = models.DateField("原类别认定日期", null=True, blank=True)

    # 自主认定: what the employer declares, checked against its authorisation's criteria.
    authorization = models.ForeignKey(EmployerAuthorization, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="applications", verbose_name="自主认定授权")
    annual_salary = models.DecimalField("年薪（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    annual_tax = models.DecimalField("年缴个人所得税（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    market_value = models.DecimalField("创造的市场价值（元）", max_digits=14, decimal_places=2, null=True, blank=True)

    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="申请人")
    # One token per form shown: posting the same form twice finds the first application instead of a second.
    form_token = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="决定人")
    decision_reason = models.TextField("决定理由", blank=True)
    review_score = models.DecimalField("评审平均分", max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "认定申请"
        indexes = [models.Index(fields=["status", "submitted_at"], name="application_queue")]
        constraints = [
            models.UniqueConstraint(fields=["talent"], condition=Q(status__in=OPEN_STATUSES),
                                    name="application_one_open_per_talent"),
            models.UniqueConstraint(fields=["created_by", "form_token"], name="application_unique_form_token"),
            models.CheckConstraint(condition=~Q(way=Way.DIRECT) | Q(item__isnull=False),
                                   name="application_direct_has_item"),
            models.CheckConstraint(condition=~Q(way=Way.EMPLOYER) | Q(authorization__isnull=False),
                                   name="application_employer_has_authorization"),
            models.CheckConstraint(
                condition=(~Q(status__in=[Status.APPROVED, Status.REJECTED, Status.REVOKED])
                           | Q(decided_at__isnull=False)),
                name="application_decided_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.talent.name}"

    @property
    def number(self) -> str:
        return f"RD{self.pk:07d}"

    @property
    def category_name(self) -> str:
        return CATEGORY_NAMES.get(self.category, "")


class ApplicationEvent(models.Model):
    """One step of an application's timeline: who, when, from which status to which, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=10, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name="操作人")
    at = models.DateTimeField("时间", db_index=True)
    reason = models.TextField("说明", blank=True)
    data = models.JSONField("附加信息", default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "认定申请记录"

    def __str__(self) -> str:
        return f"{self.get_action_display()}：{self.from_status} → {self.to_status}"


def evidence_path(instance, filename: str) -> str:
    # Where evidence files were stored before the document store (kept for the historical migrations).
    suffix = PurePosixPath(filename).suffix.lower()
    return f"recognition/{instance.application_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """An evidence file for one requirement of an application: a document of the talent's document store
    (材料库), so what is uploaded here is on file for every later application, and a document already on file
    is attached instead of being asked for again. The file itself lives with the document (under MEDIA_ROOT,
    outside the web root, served only through a permission-checked view). A document is attached to a
    requirement once."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    requirement = models.ForeignKey(EvidenceRequirement, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="材料要求")
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="attachments",
                                 verbose_name="材料")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    problem = models.CharField("核验意见（需补正）", max_length=200, blank=True)

    class Meta:
        ordering = ["requirement__position", "requirement_id", "uploaded_at", "id"]
        verbose_name = verbose_name_plural = "申报材料"
        constraints = [models.UniqueConstraint(fields=["application", "requirement", "document"],
                                               name="attachment_unique_document")]

    def __str__(self) -> str:
        return self.original_name

    # The file's facts are the document's.
    @property
    def file(self):
        return self.document.file

    @property
    def original_name(self) -> str:
        return self.document.original_name

    @property
    def content_type(self) -> str:
        return self.document.content_type

    @property
    def size(self) -> int:
        return self.document.size

    @property
    def sha256(self) -> str:
        return self.document.sha256


def new_card_token() -> str:
    """256 random bits, URL-safe: the talent card's verification token."""
    return secrets.token_urlsafe(32)


class Recognition(models.Model):
    """A category granted to a talent for a period: what the talent card shows and verifies. It is valid
    on a day from ``valid_from`` to ``valid_until`` unless ended earlier (``ended_on``: revoked, or
    superseded by an upgrade). A talent has at most one active recognition (a partial unique constraint)."""

    talent = models.ForeignKey("talents.Talent", on_delete=models.PROTECT, related_name="recognitions")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="recognition")
    category = models.CharField("人才类别", max_length=1, choices=TalentCategory.choices)
    way = models.CharField("认定方式", max_length=10, choices=Way.choices)
    # The matched item, copied: later edits of the standard never change what was decided.
    item_code = models.CharField("符合条目", max_length=10, blank=True)
    item_title = models.CharField("条目内容", max_length=200, blank=True)
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name="自主认定单位")
    valid_from = models.DateField("生效日期")
    valid_until = models.DateField("有效期至")
    ended_on = models.DateField("提前终止日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=RecognitionStatus.choices,
                              default=RecognitionStatus.ACTIVE)
    serial = models.CharField("人才卡编号", max_length=20, unique=True)
    # What the card's QR code carries: random, unrelated to the serial, so no card can be guessed or forged.
    card_token = models.CharField("人才卡核验码", max_length=64, unique=True, default=new_card_token, editable=False)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField("认定时间")
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = verbose_name_plural = "认定结果（人才卡）"
        constraints = [
            models.UniqueConstraint(fields=["talent"], condition=Q(status=RecognitionStatus.ACTIVE),
                                    name="recognition_one_active_per_talent"),
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")),
                                   name="recognition_period_ordered"),
            models.CheckConstraint(condition=Q(status=RecognitionStatus.ACTIVE) | Q(ended_on__isnull=False),
                                   name="recognition_ended_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.serial} {self.category}类"

    def valid_on(self, on: dt.date) -> bool:
        return self.valid_from <= on <= self.valid_until and (self.ended_on is None or on < self.ended_on)

    def state_on(self, on: dt.date) -> str:
        """What the card says on a day: 有效, 已撤销, 已升级, 已过期, 未生效."""
        if self.status == RecognitionStatus.REVOKED and self.ended_on <= on:
            return "已撤销"
        if self.status == RecognitionStatus.SUPERSEDED and self.ended_on <= on:
            return "已升级为更高类别，本卡失效"
        if on > self.valid_until:
            return "已过期"
        if on < self.valid_from:
            return "未生效"
        return "有效"
