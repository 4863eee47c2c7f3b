from django.urls import path

from . import views

app_name = "services"
urlpatterns = [
    path("services/", views.catalog, name="catalog"),
    path("services/mine/", views.mine, name="mine"),
    path("services/items/<str:item_key>/request/", views.request_item, name="request_item"),
    path("services/bundles/<str:bundle_key>/request/", views.request_bundle, name="request_bundle"),
    path("services/requests/<int:service_request_id>/", views.detail, name="detail"),
    path("services/parts/<int:part_id>/act/", views.act, name="act"),
    path("services/queue/", views.queue, name="queue"),
    path("services/queue/bulk/", views.bulk, name="bulk"),
    path("services/specialist/", views.specialist, name="specialist"),
    path("services/specialists/<int:specialist_id>/", views.specialist_of, name="specialist_of"),
    path("services/specialist/talents/<int:talent_id>/", views.specialist_talent, name="specialist_talent"),
    path("services/messages/<int:talent_id>/", views.message, name="message"),
    path("services/supervision/", views.supervision, name="supervision"),
    path("services/supervision/reassign/", views.reassign, name="reassign"),
]
