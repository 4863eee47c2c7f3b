from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone

from rencai.core.errors import ValidationFailed

from .models import PolicySetting
from .routes import validate_route


class PolicySettingForm(forms.ModelForm):
    class Meta:
        model = PolicySetting
        fields = ["policy", "no_application", "example", "note", "route", "documents", "public_notice_days",
                  "employer_may_apply", "payee"]

    def clean_route(self):
        try:
            return validate_route(self.cleaned_data.get("route"), field="route")
        except ValidationFailed as failed:
            raise ValidationError([e.message for e in failed.errors]) from None

    def clean_documents(self):
        from rencai.documents.enums import DocumentKind

        kinds = self.cleaned_data.get("documents") or []
        if not isinstance(kinds, list) or any(k not in DocumentKind.values for k in kinds):
            raise ValidationError("所需材料须为材料种类的列表，可用：" + "、".join(DocumentKind.values))
        return kinds

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("no_application") and not (cleaned.get("note") or "").strip():
            self.add_error("note", "设为免申即享时须写明依据或理由")
        return cleaned


@admin.register(PolicySetting)
class PolicySettingAdmin(admin.ModelAdmin):
    """免申即享, the route across departments, materials, 公示 and payee, per policy; who decided 免申即享 and
    when is recorded on save."""

    form = PolicySettingForm
    list_display = ["policy", "no_application", "example", "public_notice_days", "employer_may_apply", "payee",
                    "decided_by", "decided_at"]
    list_filter = ["no_application", "example"]
    readonly_fields = ["decided_by", "decided_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        if "no_application" in form.changed_data or "note" in form.changed_data or not change:
            obj.decided_by, obj.decided_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)
        from rencai.audit.enums import AuditAction
        from rencai.audit.services import audit_record

        from .services import _policy_title

        changed = "、".join(str(form.fields[f].label or f) for f in form.changed_data)
        audit_record(actor=request.user, action=AuditAction.FULFILMENT, object_type="fulfilment.policysetting",
                     object_id=obj.pk, summary=f"修改政策兑现设置：“{_policy_title(obj.policy)}”（{changed}）")
