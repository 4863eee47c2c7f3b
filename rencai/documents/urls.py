from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("me/documents/", views.mine, name="mine"),
    path("talents/<int:talent_id>/documents/", views.talent_documents, name="talent"),
    path("documents/review/", views.queue, name="queue"),
    path("documents/<int:document_id>/", views.detail, name="detail"),
    path("documents/<int:document_id>/file/", views.document_file, name="file"),
    path("documents/<int:document_id>/<slug:action>/", views.review, name="review"),
]
