"""人才地图's pages (issue 10)."""

from django.urls import path

from . import views

app_name = "analytics"

urlpatterns = [
    path("analytics/map/", views.map_page, name="map"),
    path("analytics/map/districts/<str:district_code>/", views.district_page, name="district"),
    path("analytics/map/boundaries/", views.boundaries_page, name="boundaries"),
    path("analytics/sources/", views.sources_page, name="sources"),
    path("analytics/flows/", views.flows_page, name="flows"),
]
