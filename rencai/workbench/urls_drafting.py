from django.urls import path

from . import views_drafting

urlpatterns = [
    path("workbench/drafting/", views_drafting.drafting_page, name="drafting"),
    path("workbench/drafting/start/", views_drafting.drafting_start, name="drafting_start"),
    path("workbench/drafting/source/", views_drafting.source_document_add, name="source_document_add"),
    path("workbench/drafting/compare/", views_drafting.drafting_compare, name="drafting_compare"),
    path("workbench/ambiguity/", views_drafting.ambiguity_page, name="ambiguity"),
    path("workbench/ambiguity/example/", views_drafting.ambiguity_example, name="ambiguity_example"),
]
