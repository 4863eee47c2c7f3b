"""人才对接's pages. Each part keeps its own patterns module (jobs and internships, challenges, projects, the
shortage catalog, the public page), included here under one namespace."""

from django.urls import include, path

app_name = "opportunities"

urlpatterns = [
    path("opportunities/", include("rencai.opportunities.urls_jobs")),
    path("opportunities/", include("rencai.opportunities.urls_challenges")),
    path("opportunities/", include("rencai.opportunities.urls_projects")),
    path("opportunities/", include("rencai.opportunities.urls_shortage")),
]
