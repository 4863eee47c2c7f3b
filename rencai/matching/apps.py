from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "rencai.matching"
    label = "matching"
    verbose_name = "人岗匹配"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (the index follows opportunities as they open and close)
