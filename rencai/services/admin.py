from django.contrib import admin

from .models import AssignmentChange, RequestPart, ServiceBundle, ServiceItem, ServiceRequest, Specialist


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    """The office edits the catalog here: the time limit a document leaves open (marked as set by the office),
    the department, materials and whether the item is offered."""

    list_display = ["title", "jurisdiction", "department", "level", "deadline_days", "deadline_set_by_office",
                    "active"]
    list_filter = ["jurisdiction", "active", "deadline_set_by_office"]
    readonly_fields = ["key", "source_document", "source_quote", "also_sources", "deadline_quote"]


@admin.register(ServiceBundle)
class ServiceBundleAdmin(admin.ModelAdmin):
    list_display = ["title", "jurisdiction", "active"]
    filter_horizontal = ["items"]
    readonly_fields = ["key", "source_document", "source_quote"]


@admin.register(Specialist)
class SpecialistAdmin(admin.ModelAdmin):
    list_display = ["user", "active", "created_at"]
    raw_id_fields = ["user"]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    """Read-only: requests change only through the services (the pages)."""

    list_display = ["number", "title", "status", "submitted_at", "finished_at"]
    list_filter = ["status"]
    raw_id_fields = ["talent", "requested_by", "bundle"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(RequestPart)
class RequestPartAdmin(ServiceRequestAdmin):
    list_display = ["title", "department", "status", "escalation", "promised_due"]
    list_filter = ["status", "escalation"]
    raw_id_fields = ["request", "talent", "service_item", "handled_by", "decided_by"]


@admin.register(AssignmentChange)
class AssignmentChangeAdmin(ServiceRequestAdmin):
    list_display = ["talent", "from_specialist", "to_specialist", "at", "reason"]
    list_filter = []
    raw_id_fields = ["talent", "from_specialist", "to_specialist", "by"]
