from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Department, User


@admin.register(User)
class RencaiUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "department", "organization", "is_active")
    list_filter = ("role", "department", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("平台角色", {"fields": ("role", "display_name", "department", "organization")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("平台角色", {"fields": ("role", "display_name", "department",
                                                                       "organization")}))
    raw_id_fields = ("organization",)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "region")
