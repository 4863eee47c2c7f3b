from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "rencai.opportunities"
    label = "opportunities"
    verbose_name = "人才对接"
