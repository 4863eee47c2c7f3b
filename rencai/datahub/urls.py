from django.urls import path

from . import views

app_name = "datahub"
urlpatterns = [
    path("datahub/", views.dashboard, name="dashboard"),
    path("datahub/feeds/<int:feed_id>/", views.feed_detail, name="feed"),
    path("datahub/feeds/<int:feed_id>/upload/", views.feed_upload, name="upload"),
    path("datahub/feeds/<int:feed_id>/token/", views.feed_token, name="token"),
    path("datahub/feeds/<int:feed_id>/template.xlsx", views.feed_template, name="template"),
    path("datahub/feeds/<int:feed_id>/unmatched/", views.unmatched, name="unmatched"),
    path("datahub/feeds/<int:feed_id>/unmatched.xlsx", views.unmatched_export, name="unmatched_export"),
    path("datahub/loads/<int:load_id>/", views.load_detail, name="load"),
    path("datahub/loads/<int:load_id>/report.xlsx", views.load_report, name="load_report"),
    path("datahub/discrepancies/", views.discrepancies, name="discrepancies"),
    path("datahub/discrepancies.xlsx", views.discrepancies_export, name="discrepancies_export"),
    path("datahub/discrepancies/<int:discrepancy_id>/", views.discrepancy_detail, name="discrepancy"),
    path("datahub/discrepancies/<int:discrepancy_id>/resolve/", views.discrepancy_resolve,
         name="discrepancy_resolve"),
]
