from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "rencai.feedback"
    label = "feedback"
    verbose_name = "咨询与评价"

    def ready(self):
        from .subjects import register_installed

        register_installed()
