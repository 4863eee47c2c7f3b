"""The document store (材料库): a talent's documents, uploaded once, checked once by staff, reused by every
application and recognition that needs them.

A document's review state changes only through ``services.document_transition``; the database guards what must
hold whatever the code does: one document per talent and content (the SHA-256 of the file), and a decided
document has its reviewer's time (a rejection also its reason)."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q

from .enums import DocumentKind, DocumentStatus


def document_path(instance: "Document", filename: str) -> str:
    # A random name under MEDIA_ROOT (outside the web root): the uploader's file name never reaches the disk.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"documents/{instance.talent_id}/{uuid.uuid4().hex}{suffix}"


class Document(models.Model):
    talent = models.ForeignKey("talents.Talent", on_delete=models.PROTECT, related_name="documents",
                               verbose_name="人才")
    kind = models.CharField("材料类型", max_length=24, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    file = models.FileField("文件", upload_to=document_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件格式", max_length=40)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("摘要", max_length=64)
    status = models.CharField("核验状态", max_length=10, choices=DocumentStatus.choices,
                              default=DocumentStatus.PENDING, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="核验人")
    reviewed_at = models.DateTimeField("核验时间", null=True, blank=True)
    review_reason = models.CharField("退回理由", max_length=200, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = verbose_name_plural = "材料"
        indexes = [models.Index(fields=["status", "uploaded_at"], name="document_queue")]
        constraints = [
            models.UniqueConstraint(fields=["talent", "sha256"], name="document_unique_content_per_talent"),
            models.CheckConstraint(condition=Q(status=DocumentStatus.PENDING) | Q(reviewed_at__isnull=False),
                                   name="document_reviewed_has_time"),
            models.CheckConstraint(condition=~Q(status=DocumentStatus.REJECTED) | ~Q(review_reason=""),
                                   name="document_rejected_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.original_name}"

    @property
    def number(self) -> str:
        return f"CL{self.pk:07d}"
