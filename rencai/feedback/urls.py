from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("feedback/", views.mine, name="mine"),
    path("feedback/ask/", views.ask, name="ask"),
    path("feedback/questions/", views.queue, name="queue"),
    path("feedback/questions/<int:consultation_id>/", views.question, name="question"),
    path("feedback/questions/<int:consultation_id>/act/", views.consultation_act, name="consultation_act"),
    path("feedback/rate/", views.rate, name="rate"),
    path("feedback/complain/", views.complain, name="complain"),
    path("feedback/cases/", views.cases, name="cases"),
    path("feedback/cases/<int:case_id>/", views.case, name="case"),
    path("feedback/cases/<int:case_id>/act/", views.case_act, name="case_act"),
    path("feedback/satisfaction/", views.satisfaction, name="satisfaction"),
]
