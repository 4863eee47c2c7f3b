from django.urls import path

from . import views

urlpatterns = [
    path("workbench/", views.home, name="home"),
    path("workbench/officers/", views.officers, name="officers"),
    path("workbench/rules/<str:policy>/", views.policy, name="policy"),
    path("workbench/rules/<str:policy>/edit/", views.edit, name="edit"),
    path("workbench/rules/<str:policy>/compare/", views.compare, name="compare"),
    path("workbench/rules/<str:policy>/points/<str:point>/decide/", views.decide, name="decide"),
    path("workbench/revisions/<int:revision_id>/", views.revision, name="revision"),
    path("workbench/revisions/<int:revision_id>/export.yaml", views.revision_export, name="revision_export"),
    path("workbench/revisions/<int:revision_id>/publish/", views.publish, name="publish"),
    path("workbench/revisions/<int:revision_id>/discard/", views.discard, name="discard"),
]
