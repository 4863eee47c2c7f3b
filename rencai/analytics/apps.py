from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "rencai.analytics"
    label = "analytics"
    verbose_name = "人才地图"
