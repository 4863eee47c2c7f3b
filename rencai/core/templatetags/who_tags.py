"""The header's ``{% who_suffix %}``: what is shown in brackets after the signed-in user's name."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def who_suffix(context) -> str:
    """The officer's department, the employer's name, or else the role — never what the name already says
    (issue 12: "系统管理员（系统管理员）" and "周立新（评审专家）（评审专家）" were seen)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    name = str(user)
    suffix = (user.department.name if user.department_id else
              user.organization.name if user.organization_id else context.get("role_label", ""))
    return "" if not suffix or suffix in name or name in suffix else suffix
