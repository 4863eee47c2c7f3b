from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "rencai.jobs"
    verbose_name = "后台任务"
