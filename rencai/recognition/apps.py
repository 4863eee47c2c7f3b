from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "rencai.recognition"
    label = "recognition"
    verbose_name = "人才认定"
