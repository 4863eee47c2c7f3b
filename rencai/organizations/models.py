from django.db import models

from .enums import EMPLOYER_TYPE_OF_KIND, Industry, IndustryField, OrganizationKind, StationKind


class Organization(models.Model):
    """An employer (用人单位), identified by its 统一社会信用代码."""

    name = models.CharField("单位名称", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    kind = models.CharField("单位类型", max_length=12, choices=OrganizationKind.choices)
    industry = models.CharField("所属产业", max_length=20, choices=Industry.choices, blank=True)
    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, verbose_name="所在区县")
    # What programmes read of an employer (004: 重点企业, 链主; 主导产业 or 新兴产业), kept by staff.
    key_enterprise = models.BooleanField("重点企业", default=False)
    chain_leader = models.BooleanField("产业链链主企业", default=False)
    industry_field = models.CharField("产业领域", max_length=10, choices=IndustryField.choices,
                                      default=IndustryField.OTHER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "用人单位"

    def __str__(self) -> str:
        return self.name

    @property
    def employer_type(self) -> str:
        return EMPLOYER_TYPE_OF_KIND[OrganizationKind(self.kind)]


class Station(models.Model):
    """A station or base an organization holds (博士后科研工作站, 技能大师工作室, 院士工作站 ...): what its account
    lists, and what the engine reads as ``organization.stations`` (held) and ``new_stations`` (set up this
    year)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="stations",
                                     verbose_name="单位")
    kind = models.CharField("类型", max_length=40, choices=StationKind.choices)
    name = models.CharField("名称", max_length=200, blank=True)
    established_on = models.DateField("设立（批准）日期")
    approval = models.CharField("批准文件", max_length=200, blank=True)

    class Meta:
        ordering = ["organization", "established_on", "id"]
        verbose_name = verbose_name_plural = "工作站和基地"
        constraints = [models.UniqueConstraint(fields=["organization", "kind"], name="station_one_per_kind")]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()
