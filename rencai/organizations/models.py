from django.db import models

from .enums import EMPLOYER_TYPE_OF_KIND, Industry, OrganizationKind


class Organization(models.Model):
    """An employer (用人单位), identified by its 统一社会信用代码."""

    name = models.CharField("单位名称", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    kind = models.CharField("单位类型", max_length=12, choices=OrganizationKind.choices)
    industry = models.CharField("所属产业", max_length=20, choices=Industry.choices, blank=True)
    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, verbose_name="所在区县")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "用人单位"

    def __str__(self) -> str:
        return self.name

    @property
    def employer_type(self) -> str:
        return EMPLOYER_TYPE_OF_KIND[OrganizationKind(self.kind)]
