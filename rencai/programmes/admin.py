"""Calls and their tiers are configuration an administrator may correct here; applications, awards, stages and
milestones change only through the services (the state machine, the budget guard, 公示), so they are shown
read-only."""

from django.contrib import admin

from rencai.core.admin import ReadOnlyAdmin

from .models import Application, Award, Call, GrantStage, Report, Tier


class TierInline(admin.TabularInline):
    model = Tier
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("title", "policy_title", "year", "opens_on", "closes_on", "published", "ranked_at", "approved_at")
    list_filter = ("year", "published", "subject")
    search_fields = ("title", "policy_title")
    readonly_fields = ("policy", "policy_title", "subject", "ranked_by", "ranked_at", "approved_by", "approved_at",
                       "created_by")
    inlines = [TierInline]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("number", "call", "subject", "project_title", "status", "rank")
    list_filter = ("status", "subject", "call")
    search_fields = ("project_title", "team_name")


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ("number", "call", "application", "tier", "amount_fen", "status")
    list_filter = ("status", "call")


@admin.register(GrantStage)
class GrantStageAdmin(ReadOnlyAdmin):
    list_display = ("award", "position", "trigger", "amount_fen", "status", "month")
    list_filter = ("status", "trigger")


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("award", "milestone", "due_on", "status")
    list_filter = ("status", "milestone")
