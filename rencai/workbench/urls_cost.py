from django.urls import path

from . import views_cost

urlpatterns = [
    path("workbench/revisions/<int:revision_id>/cost/", views_cost.revision_cost, name="revision_cost"),
    path("workbench/revisions/<int:revision_id>/cost/losers/", views_cost.revision_losers, name="revision_losers"),
    path("workbench/revisions/<int:revision_id>/cost/losers.xlsx", views_cost.revision_losers_export,
         name="revision_losers_export"),
]
