import re

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def generic_reason(text: str) -> str:
    """A rule's reason template read without a person: a number's placeholder ({age}) becomes "N", any other
    becomes its field's Chinese name ({talent_category} → 相应人才类别); never the placeholder itself."""
    from rencai.policies.fields import ALL_FIELDS, Type

    def word(match: re.Match) -> str:
        spec = ALL_FIELDS.get(match.group(1))
        if spec is None or spec.type in (Type.NUM, Type.DATE):
            return "N"
        return f"相应{spec.label}"

    return re.sub(r"\{([^{}]+)\}", word, text)


@register.simple_tag(takes_context=True)
def birth_shown(context, talent) -> dict:
    """A person's birth date as the viewer's role allows ({label, value}): the full date for those who may
    reveal numbers, the year for everyone else (accounts.permissions.can_see_birth_date)."""
    from rencai.accounts.permissions import can_see_birth_date
    from rencai.core.masking import birth_year_shown

    user = context.get("user")
    if user is not None and can_see_birth_date(user):
        return {"label": "出生日期", "value": f"{talent.birth_date:%Y-%m-%d}" if talent.birth_date else "—"}
    return {"label": "出生年份", "value": birth_year_shown(talent.birth_date)}
