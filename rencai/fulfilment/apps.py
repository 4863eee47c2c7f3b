from django.apps import AppConfig


class FulfilmentConfig(AppConfig):
    name = "rencai.fulfilment"
    label = "fulfilment"
    verbose_name = "政策兑现"

    def ready(self):
        from . import notices  # noqa: F401  (registers its own 公示 kind, "fulfilment.application")
