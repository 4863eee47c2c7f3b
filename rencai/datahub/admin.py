from django.contrib import admin

from .models import Discrepancy, Feed, Load


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    """Feeds are registered here (or by `rencai datahub_setup` for the standard ones); the push token is generated
    and rotated by staff on the feed's page, never shown or edited here."""

    list_display = ("name", "department", "kind", "cadence", "due_working_day", "active")
    list_filter = ("kind", "cadence", "active")
    readonly_fields = ("token_hint", "token_rotated_at", "token_rotated_by")


@admin.register(Load)
class LoadAdmin(admin.ModelAdmin):
    list_display = ("pk", "feed", "source", "status", "total_rows", "facts_new", "facts_changed", "unmatched_rows",
                    "rejected_rows", "created_at")
    list_filter = ("status", "source", "feed")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Discrepancy)
class DiscrepancyAdmin(admin.ModelAdmin):
    list_display = ("talent", "field", "declared", "verified", "status", "raised_at")
    list_filter = ("status",)
    raw_id_fields = ("talent", "fact", "load")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
