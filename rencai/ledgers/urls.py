from django.urls import path

from . import views

app_name = "ledgers"

urlpatterns = [
    path("ledgers/", views.index, name="index"),
    path("ledgers/<int:ledger_year>/", views.year_page, name="year"),
    path("ledgers/<int:ledger_year>/targets/", views.targets, name="targets"),
    path("ledgers/<int:ledger_year>/ledger.xlsx", views.export, name="export"),
    path("ledgers/<int:ledger_year>/report.pdf", views.report, name="report"),
]
