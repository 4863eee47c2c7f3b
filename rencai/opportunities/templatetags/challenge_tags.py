"""{% challenge_awards talent %}: a talent's 揭榜挂帅 awards as a registry fact (a <dt>/<dd> pair, for
talents/_profile.html's field list), and {% challenge_awards_block application members %}: the same for a programme
application's applicant and members, shown to reviewers (awards.py says how an award counts)."""

from django import template

from rencai.opportunities.awards import awards_for, awards_of

register = template.Library()


@register.inclusion_tag("opportunities/challenges/_awards_field.html")
def challenge_awards(talent):
    return {"awards": awards_for(talent) if getattr(talent, "pk", None) else []}


@register.inclusion_tag("opportunities/challenges/_awards_block.html")
def challenge_awards_block(application, members=()):
    """A programme application's applicant (``application.talent``) and its team members (``members``: rows with
    a ``talent``)."""
    people, seen = [], set()
    for t in [getattr(application, "talent", None), *(getattr(m, "talent", None) for m in members)]:
        if t is not None and getattr(t, "pk", None) and t.pk not in seen:
            seen.add(t.pk)
            people.append(t)
    found = awards_of([t.pk for t in people])
    return {"rows": [(t, found[t.pk]) for t in people if t.pk in found]}
