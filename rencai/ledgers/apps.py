from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "rencai.ledgers"
    label = "ledgers"
    verbose_name = "工作台账"
