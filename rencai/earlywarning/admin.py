from django import forms
from django.contrib import admin

from rencai.core.errors import ValidationFailed

from .models import EarlyWarning, WarningEvent, WarningRule
from .params import NAMES, params_check


class WarningRuleForm(forms.ModelForm):
    class Meta:
        model = WarningRule
        fields = ["name", "kind", "params", "basis", "department", "level", "active"]

    def clean(self):
        data = super().clean()
        if "kind" in data and "params" in data:
            try:
                data["params"] = params_check(data["kind"], data["params"])
            except ValidationFailed as bad:
                self.add_error("params", "；".join(e.message for e in bad.errors))
        return data


@admin.register(WarningRule)
class WarningRuleAdmin(admin.ModelAdmin):
    """The office sets each rule's thresholds here (checked per kind: a bad value is a Chinese error on the
    field), its owning department and level, and whether it is evaluated."""

    form = WarningRuleForm
    list_display = ["name", "kind", "params", "department", "level", "active", "updated_at"]
    list_filter = ["kind", "active"]
    readonly_fields = ["key"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        names = "；".join(f"{key}：{label}" for key, label in NAMES.items())
        form.base_fields["params"].help_text = f"JSON，如 {{\"days\": 90}}。参数：{names}"
        return form


class WarningEventInline(admin.TabularInline):
    model = WarningEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_state", "to_state", "actor_label", "at", "note"]
    exclude = ["actor"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(EarlyWarning)
class EarlyWarningAdmin(admin.ModelAdmin):
    """Read-only: warnings change through the evaluation and the transition (the pages and the API)."""

    list_display = ["title", "kind", "state", "raised_at", "closed_at"]
    list_filter = ["kind", "state"]
    raw_id_fields = ["talent"]
    inlines = [WarningEventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
