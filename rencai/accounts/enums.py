from django.db import models


class Role(models.TextChoices):
    TALENT = "talent", "人才"
    EMPLOYER = "employer", "用人单位"
    STAFF = "staff", "政府工作人员"
    LEADER = "leader", "领导"
    ADMIN = "admin", "系统管理员"
    EXPERT = "expert", "评审专家"
    AUDITOR = "auditor", "审计员"
