"""The expert pool, specialties and scoring sheets are configuration an administrator edits here. Panels,
assignments and scores change only through the services (回避, one score per expert), so they are not edited
here; declared conflicts are shown read-only (what was declared, when and why stays as it was). A sheet's
criteria are fixed once a panel scores on it: a new sheet is made for new rules."""

from django.apps import apps
from django.contrib import admin

from rencai.core.admin import ReadOnlyAdmin

from . import subjects
from .models import ConflictDeclaration, Criterion, Expert, Sheet, Specialty


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin):
    list_display = ("name", "position")
    search_fields = ("name",)


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ("name", "affiliation", "organization", "specialty", "active")
    list_filter = ("active", "specialties")
    search_fields = ("name", "affiliation", "specialty")
    raw_id_fields = ("user", "organization")
    filter_horizontal = ("specialties",)


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ("position", "label", "code", "maximum", "weight")
    extra = 0

    def _in_use(self, obj) -> bool:
        return obj is not None and obj.panels.exists()

    def has_add_permission(self, request, obj=None):
        return not self._in_use(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._in_use(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._in_use(obj) and super().has_delete_permission(request, obj)


@admin.register(Sheet)
class SheetAdmin(admin.ModelAdmin):
    list_display = ("name", "outlier_threshold", "outlier_min_gap", "trim")
    fields = ("name", "code", "note", "outlier_threshold", "outlier_min_gap", "trim")
    inlines = [CriterionInline]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyAdmin):
    list_display = ("expert", "subject", "reason", "declared_by", "declared_at")
    search_fields = ("expert__name", "reason")

    @admin.display(description="回避对象")
    def subject(self, obj) -> str:
        try:
            model = apps.get_model(obj.kind)
        except (LookupError, ValueError):
            return subjects.kind_label(obj.kind)
        return f"{model._meta.verbose_name}：{model.objects.filter(pk=obj.object_id).first() or '（已删除）'}"
