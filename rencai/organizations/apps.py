from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "rencai.organizations"
    label = "organizations"
    verbose_name = "用人单位"
