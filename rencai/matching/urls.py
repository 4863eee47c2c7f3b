from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("matching/", views.for_me, name="for_me"),
    path("matching/settings/", views.settings_page, name="settings"),
    path("matching/contacts/", views.contacts, name="contacts"),
    path("matching/contacts/<int:contact_id>/answer/", views.contact_answer, name="contact_answer"),
    path("matching/jobs/", views.employer_jobs, name="employer_jobs"),
    path("matching/jobs/<int:match_job_id>/", views.job_talents, name="job_talents"),
    path("matching/jobs/<int:match_job_id>/talents/<int:match_talent_id>/", views.talent, name="talent"),
    path("matching/jobs/<int:match_job_id>/talents/<int:match_talent_id>/contact/", views.contact_request,
         name="contact_request"),
]
