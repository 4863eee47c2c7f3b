"""Patterns of the jobs part of 人才对接 (included by urls.py under the "opportunities" namespace): the detail of
an opportunity of any kind, jobs and 见习 for employers, staff and talent, and the public page (no login)."""

from django.urls import path

from . import views_jobs as views

urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/apply/", views.apply, name="apply"),
    path("<int:pk>/act/", views.opportunity_act, name="act"),
    path("mine/", views.mine, name="mine"),
    path("jobs/browse/", views.browse, name="browse"),
    path("applications/<int:opportunity_application_id>/act/", views.application_act, name="application_act"),
    path("applications/<int:opportunity_application_id>/internship-end/", views.internship_end,
         name="internship_end"),
    path("jobs/", views.jobs_mine, name="jobs_mine"),
    path("jobs/new/", views.job_new, name="job_new"),
    path("jobs/<int:pk>/edit/", views.job_edit, name="job_edit"),
    path("jobs/<int:pk>/applicants/", views.applicants, name="applicants"),
    path("jobs/<int:pk>/applicants.xlsx", views.applicants_export, name="applicants_export"),
    path("review/", views.review_queue, name="review_queue"),
    path("all/", views.all_list, name="all"),
    path("all.xlsx", views.all_export, name="all_export"),
    path("internships/retention/", views.retention, name="retention"),
    path("open/", views.public, name="public"),
    path("open/<int:pk>/", views.public_detail, name="public_detail"),
]
