from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "rencai.workdays"
    verbose_name = "工作日历"
