from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("jobs/<int:pk>/", views.job_page, name="job"),
    path("jobs/<int:pk>/progress/", views.progress, name="progress"),
]
