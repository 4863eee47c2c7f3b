from django.contrib import admin

from .models import Job, ScheduleSlot, WorkerHeartbeat


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(ReadOnly):
    list_display = ["id", "title", "status", "done", "total", "created_by", "created_at", "finished_at", "attempts"]
    list_filter = ["status", "kind"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnly):
    list_display = ["worker_id", "host", "pid", "started_at", "seen_at"]


@admin.register(ScheduleSlot)
class ScheduleSlotAdmin(ReadOnly):
    list_display = ["name", "slot", "job", "created_at"]
