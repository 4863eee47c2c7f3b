from django.apps import AppConfig


class FulfilmentConfig(AppConfig):
    name = "rencai.fulfilment"
    label = "fulfilment"
    verbose_name = "政策兑现"
