from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "rencai.services"
    label = "services"
    verbose_name = "人才服务（一件事）"
