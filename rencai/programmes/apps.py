from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "rencai.programmes"
    label = "programmes"
    verbose_name = "项目申报"

    def ready(self):
        from . import notices, review

        review.register()  # its applications on the experts' task lists (rencai.reviews)
        notices.register()  # its awards on 公示 (rencai.fulfilment.notices)
