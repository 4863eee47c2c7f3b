from django.contrib.auth.models import AbstractUser
from django.db import models

from .enums import Role


class Department(models.Model):
    """A government body (市人社局, 和平区人社局, ...); its region bounds what its staff may see."""

    name = models.CharField("部门名称", max_length=100)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, verbose_name="管辖区域")

    class Meta:
        verbose_name = verbose_name_plural = "部门"
        constraints = [models.UniqueConstraint(fields=["name", "region"], name="department_unique_name_region")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField("角色", max_length=10, choices=Role.choices, default=Role.TALENT)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, verbose_name="所属部门"
    )
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, verbose_name="所属单位"
    )
    display_name = models.CharField("姓名", max_length=50, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=["staff", "leader"]) | models.Q(department__isnull=False),
                name="user_government_roles_have_department",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="employer") | models.Q(organization__isnull=False),
                name="user_employer_role_has_organization",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_government(self) -> bool:
        return self.role in (Role.STAFF, Role.LEADER)

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser
