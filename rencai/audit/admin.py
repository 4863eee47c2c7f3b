from django.contrib import admin

from rencai.core.admin import ReadOnlyAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_name", "actor_role", "action", "object_type", "object_id", "summary", "row_count",
                    "ip_address")
    list_filter = ("action", "actor_role")
    search_fields = ("actor_name", "object_id", "summary")
    date_hierarchy = "at"

    def get_actions(self, request):
        return {}  # not even the bulk "delete selected"
