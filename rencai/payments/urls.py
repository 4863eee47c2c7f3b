from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("me/payments/", views.mine, name="mine"),
    path("me/payments/account/", views.account_set, name="account_set"),
    path("payments/accounts/<int:account_id>/reveal/", views.account_reveal, name="account_reveal"),
    path("payments/", views.overview, name="overview"),
    path("payments/budgets/", views.budgets, name="budgets"),
    path("payments/entitlements/", views.entitlements, name="entitlements"),
    path("payments/runs/new/", views.run_start, name="run_start"),
    path("payments/batches/new/", views.batch_create, name="batch_create"),
    path("payments/batches/<int:batch_id>/", views.batch_detail, name="batch"),
    path("payments/batches/<int:batch_id>/bank.csv", views.batch_bank_file, name="bank_file"),
    path("payments/batches/<int:batch_id>/export.xlsx", views.batch_export, name="batch_export"),
    path("payments/batches/<int:batch_id>/return/", views.batch_return, name="batch_return"),
    path("payments/batches/<int:batch_id>/<str:action>/", views.batch_act, name="batch_act"),
]
