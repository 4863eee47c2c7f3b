from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("programmes/", views.index, name="index"),
    path("programmes/export/", views.export, name="export"),
    path("programmes/employer/", views.employer, name="employer"),
    path("programmes/calls/new/", views.call_new, name="call_new"),
    path("programmes/calls/<int:call_id>/", views.call, name="call"),
    path("programmes/calls/<int:call_id>/publish/", views.call_publish, name="call_publish"),
    path("programmes/calls/<int:call_id>/apply/", views.apply, name="apply"),
    path("programmes/calls/<int:call_id>/export/", views.call_export, name="call_export"),
    path("programmes/calls/<int:call_id>/rank/", views.rank, name="rank"),
    path("programmes/calls/<int:call_id>/awards/", views.award_propose, name="award_propose"),
    path("programmes/calls/<int:call_id>/approve/", views.approve, name="approve"),
    path("programmes/awards/<int:award_id>/cancel/", views.award_cancel, name="award_cancel"),
    path("programmes/programme/<str:programme>/", views.programme, name="programme"),
    path("programmes/programme/<str:programme>/export/", views.programme_export, name="programme_export"),
    path("programmes/applications/<int:programme_application_id>/", views.application, name="application"),
    path("programmes/applications/<int:programme_application_id>/act/", views.act, name="act"),
    path("programmes/applications/<int:programme_application_id>/documents/", views.document_add, name="document_add"),
    path("programmes/applications/<int:programme_application_id>/member/", views.member_answer, name="member_answer"),
    path("programmes/applications/<int:programme_application_id>/endorse/", views.endorse, name="endorse"),
    path("programmes/applications/<int:programme_application_id>/shortage/", views.shortage_entry,
         name="shortage_entry"),
    path("programmes/score/<int:programme_assignment_id>/", views.score, name="score"),
    path("programmes/reports/<int:report_id>/submit/", views.report_submit, name="report_submit"),
    path("programmes/reports/<int:report_id>/decide/", views.report_decide, name="report_decide"),
]
