from django.contrib import admin

from .models import Application, Interest, Meeting, Opportunity, ShortageCatalog, ShortageEntry


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "district", "closes_on")
    list_filter = ("kind", "status")
    search_fields = ("title",)
    raw_id_fields = ("organization", "shortage_entry", "created_by", "reviewed_by")


@admin.register(ShortageCatalog)
class ShortageCatalogAdmin(admin.ModelAdmin):
    list_display = ("year", "industry", "status")


admin.site.register([Application, Interest, Meeting, ShortageEntry])
