from django.contrib import admin

from .models import BankAccount, BudgetLine, Entitlement, PaymentBatch


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    """Budget amounts as the finance bureau allots them; committed, prepared and paid are kept by the
    platform."""

    list_display = ("policy", "year", "amount_fen", "committed_fen", "prepared_fen", "paid_fen", "note")
    list_filter = ("year",)
    readonly_fields = ("committed_fen", "prepared_fen", "paid_fen")


@admin.register(BankAccount)
class BankAccountAdmin(admin.ModelAdmin):
    list_display = ("talent", "organization", "bank_name", "account_number_masked")
    readonly_fields = ("account_number_masked",)
    exclude = ("account_number_cipher", "account_number_hash")
    raw_id_fields = ("talent", "organization")

    def has_add_permission(self, request) -> bool:  # through the talent's page or the services only
        return False


@admin.register(Entitlement)
class EntitlementAdmin(admin.ModelAdmin):
    list_display = ("talent", "organization", "policy", "grant_reference", "monthly_fen", "months", "one_time_fen",
                    "start_month", "status")
    list_filter = ("status", "policy")
    search_fields = ("=grant_reference",)
    raw_id_fields = ("talent", "organization")

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PaymentBatch)
class PaymentBatchAdmin(admin.ModelAdmin):
    list_display = ("number", "month", "count", "total_fen", "status")

    def has_change_permission(self, request, obj=None) -> bool:
        return False
