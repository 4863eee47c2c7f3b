"""Patterns of the shortage part of 人才对接 (included by urls.py under the "opportunities" namespace): the
急需紧缺人才需求目录 for staff and employers, its Excel in and out, and its public page."""

from django.urls import path

from . import views_shortage as views

urlpatterns = [
    path("shortage/", views.index, name="shortage_index"),
    path("shortage/new/", views.catalog_new, name="shortage_catalog_new"),
    path("shortage/<int:shortage_catalog_id>/", views.catalog, name="shortage_catalog"),
    path("shortage/<int:shortage_catalog_id>/entries/new/", views.entry_new, name="shortage_entry_new"),
    path("shortage/<int:shortage_catalog_id>/act/", views.catalog_act, name="shortage_catalog_act"),
    path("shortage/<int:shortage_catalog_id>/import/", views.catalog_import, name="shortage_import"),
    path("shortage/<int:shortage_catalog_id>/catalog.xlsx", views.catalog_export, name="shortage_catalog_export"),
    path("shortage/entries/<int:shortage_entry_id>/", views.entry_edit, name="shortage_entry_edit"),
    path("shortage/entries/<int:shortage_entry_id>/delete/", views.entry_delete, name="shortage_entry_delete"),
    path("shortage/template.xlsx", views.import_template, name="shortage_template"),
    path("shortage/demands/", views.demands, name="shortage_demands"),
    path("shortage/demands/new/", views.demand_new, name="shortage_demand_new"),
    path("shortage/demands/<int:shortage_entry_id>/decide/", views.demand_decide, name="shortage_demand_decide"),
    path("shortage/published/", views.public, name="shortage_public"),
    path("shortage/published/<int:shortage_year>.xlsx", views.year_export, name="shortage_year_export"),
]
