from django.contrib import admin, messages

from .models import CalendarDay, HolidayYear
from .services import calendar_changed, holiday_year_load, shipped_years


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 3


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "provisional", "updated_by", "updated_at"]
    readonly_fields = ["updated_by", "updated_at"]
    inlines = [CalendarDayInline]
    actions = ["reload_from_file"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        calendar_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        calendar_changed()

    @admin.action(description="用系统内置的放假安排重置所选年度")
    def reload_from_file(self, request, queryset):
        for row in queryset:
            if row.year in shipped_years():
                holiday_year_load(row.year, actor=request.user)
            else:
                self.message_user(request, f"{row.year}年没有内置的放假安排", messages.WARNING)
