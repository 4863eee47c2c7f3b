from django.apps import AppConfig


class DatahubConfig(AppConfig):
    name = "rencai.datahub"
    label = "datahub"
    verbose_name = "数据中心"
