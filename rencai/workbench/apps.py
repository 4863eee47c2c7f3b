from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "rencai.workbench"
    label = "workbench"
    verbose_name = "政策工作台"
