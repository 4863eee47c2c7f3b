from django.contrib import admin
from django.urls import include, path

from rencai.core.views import home

from .api import api

admin.site.site_header = admin.site.site_title = "人才服务数字化平台 · 系统管理"

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("rencai.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("rencai.talents.urls")),
    path("", include("rencai.policies.urls")),
    path("", include("rencai.recognition.urls")),
    path("", include("rencai.reviews.urls")),
    path("", include("rencai.audit.urls")),
    path("", include("rencai.payments.urls")),
    path("", include("rencai.documents.urls")),
    path("", include("rencai.fulfilment.urls")),
    path("", include("rencai.services.urls")),
    path("", include("rencai.notifications.urls")),
    path("", include("rencai.jobs.urls")),
    path("", include("rencai.datahub.urls")),
    path("", include("rencai.feedback.urls")),
    path("", include("rencai.programmes.urls")),
    path("", include("rencai.analytics.command_urls")),
    path("", include("rencai.analytics.urls")),
    path("", include("rencai.ledgers.urls")),
    path("", include("rencai.earlywarning.urls")),
    path("", include("rencai.opportunities.urls")),
    path("", include("rencai.events.urls")),
    path("", include("rencai.matching.urls")),
    path("", include("rencai.workbench.urls")),
]
