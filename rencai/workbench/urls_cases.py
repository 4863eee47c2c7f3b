from django.urls import path

from . import views_cases

urlpatterns = [
    path("workbench/rules/<str:policy>/cases/", views_cases.cases, name="cases"),
    path("workbench/rules/<str:policy>/cases/new/", views_cases.case_new, name="case_new"),
    path("workbench/rules/<str:policy>/cases.yaml", views_cases.cases_export, name="cases_export"),
    path("workbench/cases/<int:case_id>/edit/", views_cases.case_edit, name="case_edit"),
    path("workbench/rules/<str:policy>/cases/<str:case_name>/edit/", views_cases.case_edit, name="case_edit"),
    path("workbench/rules/<str:policy>/cases/<str:case_name>/retire/", views_cases.case_retire, name="case_retire"),
    path("workbench/revisions/<int:revision_id>/cases/", views_cases.revision_cases, name="revision_cases"),
]
