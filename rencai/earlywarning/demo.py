"""The demo's warnings: the shipped rules, then one evaluation over the demo data (as the worker's daily run would),
so that the demo's accounts find warnings raised from what the other apps' demos left — an outflow in the five-year
history, overdue 政策兑现 steps and 人才服务 parts, entitlements and recognitions ending, policies expiring, budget
lines ahead of the year, 社保 stopped in the data centre's feed."""

from __future__ import annotations


def earlywarning_demo_clear() -> None:
    from .models import EarlyWarning

    EarlyWarning.objects.all().delete()  # their events go with them


def earlywarning_demo_load() -> dict[str, int]:
    """{kind label: open warnings}; safe to run twice (a warning is raised once per rule and subject)."""
    from django.db.models import Count

    from .enums import OPEN_STATES, RuleKind
    from .models import EarlyWarning
    from .rules import rules_setup
    from .services import warnings_evaluate

    rules_setup()
    warnings_evaluate()
    counts = dict(EarlyWarning.objects.filter(state__in=OPEN_STATES).values_list("kind").annotate(n=Count("pk"))
                  .order_by())
    return {RuleKind(kind).label: n for kind, n in counts.items()}
