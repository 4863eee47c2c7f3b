from django.urls import path

from . import catalog_views, views

app_name = "policies"
urlpatterns = [
    path("calc/", catalog_views.calculator, name="calculator"),
    path("policies/", catalog_views.policy_list, name="list"),
    path("policies/documents/<str:key>/", views.document, name="document"),
    path("policies/catalog/<str:policy>/", catalog_views.policy_detail, name="detail"),
    path("policies/matches/", views.match_summary, name="matches"),
    path("policies/whatif/", catalog_views.whatif, name="whatif"),
    path("policies/matches/recompute/", views.match_recompute, name="match_recompute"),
    path("policies/matches/<str:policy>/", views.match_list, name="match_list"),
    path("policies/matches/<str:policy>/export.xlsx", views.match_export, name="match_export"),
]
