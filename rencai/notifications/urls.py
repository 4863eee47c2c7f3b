from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:notification_id>/open/", views.open_message, name="open"),
    path("inbox/read-all/", views.read_all, name="read_all"),
]
