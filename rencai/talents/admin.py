from django.contrib import admin

from .models import ImportBatch, SensitiveAccessLog, Talent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Registry records change only through the services (validation, encryption, jurisdiction);
    the admin shows them, masked, and never edits them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Talent)
class TalentAdmin(ReadOnlyAdmin):
    list_display = ("name", "id_number_masked", "phone_masked", "district", "talent_category", "highest_degree",
                    "source")
    list_filter = ("talent_category", "highest_degree", "returnee", "source")
    search_fields = ("name",)
    exclude = ("honors",)
    readonly_fields = ("id_number_masked", "phone_masked")
    list_select_related = ("district",)


@admin.register(SensitiveAccessLog)
class SensitiveAccessLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "talent", "field", "reason", "ip_address")
    list_filter = ("field",)


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "file_name", "actor", "status", "total_rows", "imported_rows")
