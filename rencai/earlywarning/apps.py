from django.apps import AppConfig


class EarlyWarningConfig(AppConfig):
    name = "rencai.earlywarning"
    label = "earlywarning"
    verbose_name = "决策预警"
