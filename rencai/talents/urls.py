from django.urls import path

from . import views

app_name = "talents"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("me/", views.me, name="me"),
    path("me/edit/", views.me_edit, name="me_edit"),
    path("talents/", views.staff_list, name="staff_list"),
    path("talents/export.xlsx", views.staff_export, name="export"),
    path("talents/new/", views.talent_create, name="create"),
    path("talents/import/", views.import_page, name="import"),
    path("talents/import/template.xlsx", views.import_template, name="import_template"),
    path("talents/<int:talent_id>/", views.talent_detail, name="detail"),
    path("talents/<int:talent_id>/reveal/", views.talent_reveal, name="reveal"),
    path("talents/<int:talent_id>/edit/", views.talent_edit, name="edit"),
    path("talents/claims/", views.claims, name="claims"),
    path("talents/claims/<int:talent_id>/<slug:decision>/", views.claim_decide, name="claim_decide"),
]
