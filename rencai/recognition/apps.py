from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "rencai.recognition"
    label = "recognition"
    verbose_name = "人才认定"

    def ready(self):
        from .review import register

        register()  # its applications on the experts' task lists (rencai.reviews)
