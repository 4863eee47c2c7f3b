from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

from rencai.policies.documents import BY_KEY, document_for

register = template.Library()


def _part(source, name: str) -> str:
    return source.get(name, "") if isinstance(source, dict) else getattr(source, name, "")


@register.simple_tag
def decision(code: str) -> str:
    """The deciding condition of a stored result, in words (the code stays in the API and the export)."""
    from rencai.policies.presenting import decision_label

    return decision_label(code)


@register.simple_tag
def cite(source, quote: bool = True):
    """A source as people cite it: the document's title (linked to its text, the quote highlighted),
    issuer and date, then the quoted words."""
    document = document_for(_part(source, "document"))
    words = _part(source, "quote")
    title = f"《{document.title}》"
    if document.key in BY_KEY:
        url = reverse("policies:document", args=[document.key]) + "?" + urlencode({"q": words}) + "#quote"
        title = format_html('<a href="{}">{}</a>', url, title)
    else:
        title = format_html("{}", title)
    details = "，".join(p for p in (document.issuer, document.date) if p)
    html = format_html("{}{}", title, f"（{details}）" if details else "")
    if quote and words:
        html = format_html("{}：“{}”", html, words)
    return html
