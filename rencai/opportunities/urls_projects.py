"""Patterns of the projects part of 人才对接 (included by urls.py under the "opportunities" namespace): 项目推介
and 科技成果 — the library, publishing, interests, roadshows and matchmaking meetings. A project's own page is
opportunities:detail."""

from django.urls import path

from . import views_projects as views

urlpatterns = [
    path("projects/", views.library, name="projects"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/export/", views.projects_export, name="projects_export"),
    path("projects/<int:project_id>/interest/", views.interest, name="project_interest"),
    path("projects/<int:project_id>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("projects/interests/", views.interests, name="interests"),
    path("projects/interests/export/", views.interests_export, name="interests_export"),
    path("projects/meetings/", views.meetings, name="meetings"),
    path("projects/meetings/export/", views.meetings_export, name="meetings_export"),
    path("projects/meetings/<int:meeting_id>/outcome/", views.meeting_outcome, name="meeting_outcome"),
]
