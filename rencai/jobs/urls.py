from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("jobs/<int:job_id>/", views.job_page, name="job"),
    path("jobs/<int:job_id>/progress/", views.progress, name="progress"),
]
