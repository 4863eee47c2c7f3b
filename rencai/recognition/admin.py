"""The standard (versions, items, evidence, category rules) and employer authorisations are configuration an
administrator edits here (the expert pool is the reviews app's). Applications, events and recognitions change
only through the services (state machine, locks, quota), so the admin shows them read-only."""

from django.contrib import admin, messages
from django.db import transaction

from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.admin import ReadOnlyAdmin

from . import services
from .models import (
    Application,
    ApplicationEvent,
    CategoryRule,
    EmployerAuthorization,
    EmployerQuota,
    EvidenceRequirement,
    Recognition,
    Standard,
    StandardItem,
)


class CategoryRuleInline(admin.TabularInline):
    model = CategoryRule
    extra = 0


class StandardEvidenceInline(admin.TabularInline):
    """Documents for every application (认定方式 empty) or for one way; item-level ones are edited per item."""

    model = EvidenceRequirement
    fk_name = "standard"
    fields = ("way", "label", "hint", "required", "position")
    extra = 0
    verbose_name_plural = "通用及各认定方式的申报材料"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(item__isnull=True)


class ItemInline(admin.TabularInline):
    model = StandardItem
    fields = ("code", "category", "title", "description", "position")
    extra = 0
    show_change_link = True


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ("name", "valid_from", "is_example", "review_panel_size", "review_days")
    inlines = [CategoryRuleInline, StandardEvidenceInline, ItemInline]
    actions = ["copy_as_new_version"]

    @admin.action(description="复制为新版本（次日施行，可再修改名称、施行日期和条目）")
    def copy_as_new_version(self, request, queryset):
        # Decided applications keep the version they were decided under: a change is a new version.
        for standard in queryset:
            services.standard_copy(actor=request.user, standard_id=standard.pk)
        messages.success(request, "已复制为新版本，请修改名称、施行日期和条目")


class ItemEvidenceInline(admin.TabularInline):
    model = EvidenceRequirement
    fk_name = "item"
    fields = ("label", "hint", "required", "position")
    extra = 0
    verbose_name_plural = "本条目须提交的材料"


@admin.register(StandardItem)
class StandardItemAdmin(admin.ModelAdmin):
    list_display = ("code", "category", "title", "standard")
    list_filter = ("standard", "category")
    inlines = [ItemEvidenceInline]

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            instance.standard_id = form.instance.standard_id
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()


class QuotaInline(admin.TabularInline):
    model = EmployerQuota
    fields = ("category", "quota", "used", "min_annual_salary", "min_annual_tax")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(EmployerAuthorization)
class EmployerAuthorizationAdmin(admin.ModelAdmin):
    list_display = ("organization", "valid_from", "valid_until", "revoked", "granted_by")
    list_filter = ("revoked",)
    inlines = [QuotaInline]
    # New authorisations go through the 自主认定授权 page (services.employer_authorize checks them);
    # here an administrator may only revoke one.
    readonly_fields = ("organization", "valid_from", "valid_until", "criteria", "granted_by")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if "revoked" in form.changed_data:
                audit_record(actor=request.user, action=AuditAction.AUTHORIZATION, obj=obj,
                             region_code=obj.organization.district_id,
                             summary=f"{'撤销' if obj.revoked else '恢复'}{obj.organization}的自主认定授权"
                                     f"（{obj.valid_from}至{obj.valid_until}）")


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    fields = ("at", "action", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("number", "talent", "way", "category", "status", "submitted_at")
    list_filter = ("status", "way", "category")
    exclude = ("form_token",)
    inlines = [EventInline]


@admin.register(Recognition)
class RecognitionAdmin(ReadOnlyAdmin):
    list_display = ("serial", "talent", "category", "way", "valid_from", "valid_until", "status")
    list_filter = ("status", "category", "way")
