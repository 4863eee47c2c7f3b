from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "rencai.reviews"
    label = "reviews"
    verbose_name = "专家评审"
