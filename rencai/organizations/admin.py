from django.contrib import admin

from .models import Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "kind", "industry", "district")
    list_filter = ("kind", "industry", "district")
    search_fields = ("name", "uscc")
