from django.contrib import admin

from .models import Organization, Station


class StationInline(admin.TabularInline):
    """The stations and bases a unit holds (what its programme page lists and the engine reads)."""

    model = Station
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "kind", "industry", "industry_field", "key_enterprise", "chain_leader", "district")
    list_filter = ("kind", "industry", "industry_field", "key_enterprise", "chain_leader", "district")
    search_fields = ("name", "uscc")
    inlines = [StationInline]
