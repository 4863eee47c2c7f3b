from django.urls import path

from . import views

app_name = "fulfilment"
urlpatterns = [
    path("fulfilment/", views.mine, name="mine"),
    path("fulfilment/apply/<str:policy_id>/", views.apply, name="apply"),
    path("fulfilment/applications/<int:fulfilment_id>/", views.detail, name="detail"),
    path("fulfilment/applications/<int:fulfilment_id>/decide/", views.decide, name="decide"),
    path("fulfilment/applications/<int:fulfilment_id>/withdraw/", views.withdraw, name="withdraw"),
    path("fulfilment/applications/<int:fulfilment_id>/finalize/", views.finalize, name="finalize"),
    path("fulfilment/objections/<int:objection_id>/answer/", views.answer_objection, name="answer_objection"),
    path("fulfilment/queue/", views.queue, name="queue"),
    path("fulfilment/queue/bulk/", views.bulk, name="bulk"),
    path("fulfilment/queue/export/", views.export, name="export"),
    path("fulfilment/offers/<int:offer_id>/confirm/", views.offer_confirm, name="offer_confirm"),
    path("fulfilment/offers/<int:offer_id>/decline/", views.offer_decline, name="offer_decline"),
    path("fulfilment/invite/<str:policy_id>/", views.invite, name="invite"),
    path("gongshi/", views.notices, name="notices"),
    path("gongshi/<int:notice_id>/objection/", views.object_to, name="object"),
]
