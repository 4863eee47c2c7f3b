from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("events/", views.event_list, name="list"),
    path("events/export.xlsx", views.event_export, name="export"),
    path("events/new/", views.event_create, name="create"),
    path("events/<int:event_id>/", views.event_detail, name="detail"),
    path("events/<int:event_id>/register/", views.event_register, name="register"),
    path("events/<int:event_id>/walk-in/", views.walk_in, name="walk_in"),
    path("events/<int:event_id>/registrations.xlsx", views.registrations_export, name="registrations_export"),
    path("events/registrations/<int:registration_id>/", views.registration_detail, name="registration"),
    path("events/checkin/<str:checkin_token>/", views.checkin, name="checkin"),
    path("events/followups/", views.followup_list, name="followups"),
    path("events/followups/export.xlsx", views.followup_export, name="followups_export"),
    path("events/followups/<int:followup_id>/", views.followup_detail, name="followup"),
    path("events/followups/<int:followup_id>/act/", views.followup_act, name="followup_act"),
]
