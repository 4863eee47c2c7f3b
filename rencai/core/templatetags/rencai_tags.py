import re

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def generic_reason(text: str) -> str:
    """A rule's reason template read without a person: its placeholders ({age}) become "N"."""
    return re.sub(r"\{[^{}]+\}", "N", text)
