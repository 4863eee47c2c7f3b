from django.contrib import admin

from rencai.core.admin import ReadOnlyAdmin

from .models import ImportBatch, Talent


@admin.register(Talent)
class TalentAdmin(ReadOnlyAdmin):
    list_display = ("name", "id_number_masked", "phone_masked", "district", "talent_category", "highest_degree",
                    "source")
    list_filter = ("talent_category", "highest_degree", "returnee", "source")
    search_fields = ("name",)
    exclude = ("honors",)
    readonly_fields = ("id_number_masked", "phone_masked")
    list_select_related = ("district",)


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "file_name", "actor", "status", "total_rows", "imported_rows")
