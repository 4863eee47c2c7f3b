from django.urls import path

from . import views

app_name = "earlywarning"
urlpatterns = [
    path("warnings/", views.warning_list, name="list"),
    path("warnings/export/", views.warning_export, name="export"),
    path("warnings/<int:warning_id>/", views.warning_detail, name="detail"),
    path("warnings/<int:warning_id>/act/", views.warning_act, name="act"),
]
