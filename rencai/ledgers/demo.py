"""The demo's 台账 targets: for each of the city's districts and each of the demo history's five years, a
believable goal per measure (人才对接's excepted: NO_EXAMPLE_TARGET) near what the district did (people and money:
85–120 % of the actual, rounded; on-time 95 %, satisfaction 90 %), set through targets_set and flagged as example
data (the page says so until an administrator sets the city's own). Deterministic for a seed; years that already
have targets are left alone."""

from __future__ import annotations

import random
from decimal import Decimal

from django.utils import timezone

YEARS = 5
RATE_GOALS = {"on_time": Decimal("95"), "satisfaction": Decimal("90")}
# 人才对接's measures get no example target: the document's figures (003's 10 events, 2,000 posts) are a city's
# whole year, shown beside the ledger as its reference (enums.REFERENCES); a district's share is the office's to set.
NO_EXAMPLE_TARGET = {"events", "jobs", "hires"}


def ledgers_demo_load(*, seed: int = 2023) -> int:
    """How many targets were written."""
    from rencai.accounts.models import User

    from .enums import UNITS, Measure, Unit
    from .models import Target
    from .selectors import ledger
    from .services import targets_set

    admin = User.objects.filter(is_active=True, is_superuser=True).order_by("pk").first()
    if admin is None or not admin.is_administrator:
        admin = next((u for u in User.objects.filter(is_active=True).order_by("pk") if u.is_administrator), None)
    if admin is None:
        return 0
    from rencai.datahub.discrepancies import city_prefix

    city = city_prefix()
    this_year = timezone.localdate().year
    written = 0
    for year in range(this_year - YEARS + 1, this_year + 1):
        if Target.objects.filter(year=year).exists():
            continue
        draw = random.Random(f"{seed}-ledger-{year}")  # example figures, not security
        goals = {}
        # the city's districts only: the demo pool is the city's (RENCAI_CITY_CODE), and the regions table also
        # holds other cities' districts, which have no demo talents to set a goal by
        for row in (r for r in ledger(user=admin, year=year).rows if r.code.startswith(city)):
            for measure in Measure.values:
                if measure in NO_EXAMPLE_TARGET:
                    continue
                if UNITS[measure] == Unit.PERCENT:
                    goals[(row.code, measure)] = RATE_GOALS[measure]
                    continue
                actual = Decimal(row.cell(measure).actual or 0)
                factor = Decimal(draw.randint(85, 120)) / 100
                step = Decimal("10000") if UNITS[measure] == Unit.YUAN else Decimal("1")
                goals[(row.code, measure)] = max((actual * factor / step).quantize(Decimal("1")) * step, step)
        written += targets_set(actor=admin, year=year, goals=goals, example=True)
    return written
