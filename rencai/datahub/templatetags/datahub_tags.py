"""{% provenance talent "field" %}: beside a registry field, whether it is declared (by whom) or verified (by
which feed, as of when) — datahub/provenance.py; computed once per talent and page."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def provenance(context, talent, field: str):
    from rencai.datahub import access
    from rencai.datahub.provenance import talent_provenance

    if talent is None or not getattr(talent, "pk", None):
        return ""
    cached = getattr(talent, "_provenance", None)
    if cached is None:
        cached = talent_provenance(talent)
        talent._provenance = cached
    source = cached.get(field)
    if source is None:
        return ""
    if source.verified:
        return format_html(' <span class="badge ok provenance" data-field="{}">{}</span>', field, source.text)
    html = format_html(' <span class="muted provenance" data-field="{}">{}</span>', field, source.text)
    if source.discrepancy_id:
        user = context.get("request").user if context.get("request") else None
        if user is not None and access.may_view_dashboard(user) and user.role != "talent":
            url = reverse("datahub:discrepancy", args=[source.discrepancy_id])
            html += format_html(' <a class="badge warn" href="{}">与部门数据不一致，待核实</a>', url)
        else:
            html += mark_safe(' <span class="badge warn">与部门数据不一致，待核实</span>')
    return html
