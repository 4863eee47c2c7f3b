from django.conf import settings
from django.db import models

from rencai.core import crypto
from rencai.organizations.enums import EmployerType

from .enums import (
    Degree,
    EmploymentStatus,
    Gender,
    HousingStatus,
    IdType,
    ProfessionalTitle,
    SkillLevel,
    SocialInsurance,
    Source,
    TalentCategory,
)


class Talent(models.Model):
    """One person in the registry (人才信息库). Personal numbers are stored encrypted with a keyed hash
    for look-up and a masked copy for display; the clear number is read only through
    ``services.talent_reveal``, which checks permission and writes an access-log entry."""

    # Identity
    name = models.CharField("姓名", max_length=50, db_index=True)
    id_type = models.CharField("证件类型", max_length=12, choices=IdType.choices, default=IdType.RESIDENT_ID)
    id_number_cipher = models.TextField("证件号码（密文）", editable=False)
    id_number_hash = models.CharField("证件号码（检索摘要）", max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField("证件号码", max_length=32, editable=False)
    gender = models.CharField("性别", max_length=6, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    nationality = models.CharField("国籍", max_length=50, default="中国")

    # Contact
    phone_cipher = models.TextField("手机号码（密文）", blank=True, editable=False)
    phone_hash = models.CharField("手机号码（检索摘要）", max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField("手机号码", max_length=20, blank=True, editable=False)
    email = models.EmailField("电子邮箱", blank=True)

    # Highest education, mirrored from Education for filtering and the policy engine
    highest_degree = models.CharField("最高学历", max_length=16, choices=Degree.choices, blank=True, db_index=True)
    graduation_date = models.DateField("最高学历毕业日期", null=True, blank=True)
    returnee = models.BooleanField("留学回国人员", default=False, db_index=True)

    # Current employment; the district is the jurisdiction anchor of the record
    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, verbose_name="所在区县")
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, verbose_name="工作单位"
    )
    employer_type = models.CharField("单位性质", max_length=14, choices=EmployerType.choices, blank=True)
    employment_start = models.DateField("入职日期", null=True, blank=True)
    social_insurance = models.CharField(
        "社保状态", max_length=12, choices=SocialInsurance.choices, default=SocialInsurance.UNKNOWN
    )
    # The employment above counts (the employer sees the person; policies rely on it) only once confirmed by
    # the employer or by staff. Staff-created and imported records are confirmed by staff when written.
    employment_status = models.CharField("任职确认", max_length=10, choices=EmploymentStatus.choices,
                                         default=EmploymentStatus.CLAIMED)
    employment_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="任职确认人"
    )
    employment_confirmed_at = models.DateTimeField("任职确认时间", null=True, blank=True)

    # Qualifications
    professional_title = models.CharField("职称", max_length=20, choices=ProfessionalTitle.choices, blank=True)
    skill_level = models.CharField("技能等级", max_length=20, choices=SkillLevel.choices, blank=True)
    honors = models.JSONField("荣誉", default=list, blank=True)
    talent_category = models.CharField(
        "人才类别", max_length=1, choices=TalentCategory.choices, blank=True, db_index=True
    )
    category_recognized_on = models.DateField("认定日期", null=True, blank=True)

    # Housing
    housing_status = models.CharField("住房情况", max_length=10, choices=HousingStatus.choices, blank=True)
    monthly_rent = models.DecimalField("月租金（元）", max_digits=10, decimal_places=2, null=True, blank=True)
    rent_area_sqm = models.DecimalField("租住面积（㎡）", max_digits=8, decimal_places=2, null=True, blank=True)

    # Provenance
    source = models.CharField("来源", max_length=8, choices=Source.choices)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="talent"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "人才"
        permissions = [("reveal_personal_data", "查看完整证件号码和手机号码")]
        indexes = [models.Index(fields=["district", "talent_category"], name="talent_district_category"),
                   models.Index(fields=["organization", "employment_status"], name="talent_employment"),
                   # 任职确认 waiting in an office's jurisdiction (its queue and its home page's count): the few
                   # claimed rows, not a scan of the registry.
                   models.Index(fields=["district"], condition=models.Q(employment_status="claimed"),
                                name="talent_claims_pending")]
        constraints = [
            models.CheckConstraint(condition=models.Q(monthly_rent__gte=0), name="talent_rent_not_negative"),
            models.CheckConstraint(condition=models.Q(rent_area_sqm__gte=0), name="talent_area_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    def set_id_number(self, value: str) -> None:
        from rencai.core.masking import mask_id_number

        self.id_number_cipher = crypto.encrypt(value)
        self.id_number_hash = crypto.lookup_hash(value)
        self.id_number_masked = mask_id_number(value)

    def set_phone(self, value: str) -> None:
        from rencai.core.masking import mask_phone

        if not value:
            self.phone_cipher = self.phone_hash = self.phone_masked = ""
            return
        self.phone_cipher = crypto.encrypt(value)
        self.phone_hash = crypto.lookup_hash(value)
        self.phone_masked = mask_phone(value)

    @property
    def employment_confirmed(self) -> bool:
        return self.employment_status == EmploymentStatus.CONFIRMED

    def honor_labels(self) -> list[str]:
        from .enums import Honor

        return [Honor(h).label for h in self.honors if h in Honor.values]


class Education(models.Model):
    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="educations")
    degree = models.CharField("学历", max_length=16, choices=Degree.choices)
    school = models.CharField("毕业院校", max_length=100)
    country = models.CharField("国家/地区", max_length=50, default="中国")
    overseas = models.BooleanField("境外学历", default=False)
    graduation_date = models.DateField("毕业日期")
    major = models.CharField("专业", max_length=100, blank=True)

    class Meta:
        ordering = ["-graduation_date"]
        verbose_name = verbose_name_plural = "教育经历"

    def __str__(self) -> str:
        return f"{self.get_degree_display()} {self.school}"


class ImportBatch(models.Model):
    """One Excel import: what was uploaded, by whom, and how every row fared."""

    class Status(models.TextChoices):
        REJECTED = "rejected", "有错误，未导入"
        IMPORTED = "imported", "已全部导入"
        PARTIAL = "partial", "仅导入正确行"

    file_name = models.CharField("文件名", max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices)
    total_rows = models.PositiveIntegerField("总行数")
    imported_rows = models.PositiveIntegerField("导入行数")
    errors = models.JSONField("错误", default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "导入批次"

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_status_display()}）"


class TalentChange(models.Model):
    """One maintenance of a registry record (信息维护): who changed which fields, from what to what.
    Personal numbers are recorded masked."""

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    changes = models.JSONField("变更内容")  # {field: {"label": 中文, "from": text, "to": text}}

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = "人才信息变更记录"

    def __str__(self) -> str:
        return f"{self.talent} {self.at:%Y-%m-%d}"


class TalentCount(models.Model):
    """Kept aggregate (issue 15): how many talents there are per district, category, returnee, highest degree
    and year of recognition. The database keeps it, by triggers on the talents table (talents.triggers), on
    every insert, update and delete whatever wrote them (services, imports, the demo's COPY, a migration), in
    the writer's transaction; home counts and list totals read these few thousand rows instead of counting a
    million. ``recognized_year`` is 0 for no recognition date."""

    district = models.ForeignKey("regions.Region", on_delete=models.DO_NOTHING, db_constraint=False,
                                 related_name="+")
    talent_category = models.CharField("人才类别", max_length=1, blank=True)
    returnee = models.BooleanField("留学回国人员")
    highest_degree = models.CharField("最高学历", max_length=16, blank=True)
    recognized_year = models.PositiveSmallIntegerField("认定年份")
    n = models.BigIntegerField("人数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "人才数统计"
        constraints = [models.UniqueConstraint(
            fields=["district", "talent_category", "returnee", "highest_degree", "recognized_year"],
            name="talent_count_unique_bucket")]

    def __str__(self) -> str:
        return f"{self.district_id} {self.talent_category or '-'} {self.n}"
