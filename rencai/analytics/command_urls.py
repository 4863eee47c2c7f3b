"""The command display (指挥调度展示平台): one page, and each panel as an htmx fragment of the same URL
(``?panel=<key>``), so the page refreshes itself panel by panel."""

from django.urls import path

from . import command_views

app_name = "command"

urlpatterns = [
    path("analytics/command/", command_views.display, name="display"),
]
