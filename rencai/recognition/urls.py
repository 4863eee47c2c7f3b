from django.urls import path

from rencai.reviews import views as reviews

from . import views

app_name = "recognition"
urlpatterns = [
    path("recognition/", views.index, name="index"),
    path("recognition/standard/", views.standard, name="standard"),
    path("recognition/mine/", views.mine, name="mine"),
    path("recognition/employer/", views.employer, name="employer"),
    path("recognition/authorizations/", views.authorizations, name="authorizations"),
    path("recognition/apply/", views.apply, name="apply"),
    path("recognition/queue/", views.queue, name="queue"),
    path("recognition/reviews/", reviews.assignments, name="reviews"),  # the expert's tasks of every kind
    path("recognition/reviews/<int:assignment_id>/", views.score, name="score"),
    path("recognition/applications/<int:application_id>/", views.detail, name="detail"),
    path("recognition/applications/<int:application_id>/upload/", views.upload, name="upload"),
    path("recognition/applications/<int:application_id>/files/<int:attachment_id>/", views.attachment_file,
         name="file"),
    path("recognition/applications/<int:application_id>/<slug:action>/", views.act, name="act"),
    path("recognition/cards/<int:recognition_id>/", views.card, name="card"),
    path("recognition/cards/<int:recognition_id>/card.pdf", views.card_pdf, name="card_pdf"),
    path("recognition/cards/<int:recognition_id>/revoke/", views.revoke, name="revoke"),
    path("verify/<str:token>", views.verify, name="verify"),
]
