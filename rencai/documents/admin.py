"""Documents change only through their services (content checked, one review, audit log): the admin site shows
them read-only; the file itself opens through the permission-checked page."""

from django.contrib import admin

from rencai.core.admin import ReadOnlyAdmin

from .models import Document


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("number", "talent", "kind", "status", "uploaded_at", "reviewed_at")
    list_filter = ("status", "kind")
    exclude = ("file", "sha256")
    raw_id_fields = ("talent",)
