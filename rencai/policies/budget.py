"""What-if over the registry: the registry frame, the simulation, and its figures in yuan for people."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .models import fen_to_yuan
from .registry import registry_frame
from .whatif import simulate


@dataclass
class PolicyChange:
    policy: str
    title: str
    people_before: int
    people_after: int
    people_changed: int
    months_this_year: int | None
    monthly_before: Decimal | None
    monthly_after: Decimal | None
    this_year_before: Decimal
    this_year_after: Decimal
    duration_before: Decimal | None
    duration_after: Decimal | None

    @property
    def this_year_change(self) -> Decimal:
        return self.this_year_after - self.this_year_before

    @property
    def duration_change(self) -> Decimal | None:
        if self.duration_before is None or self.duration_after is None:
            return None
        return self.duration_after - self.duration_before


def registry_simulate(*, as_of: dt.date, overrides: dict, queryset=None) -> list[PolicyChange]:
    frame = registry_frame(as_of=as_of, queryset=queryset).drop("district")
    result = simulate(frame, as_of, overrides)
    return [
        PolicyChange(
            policy=row["policy"], title=row["title"], people_before=row["people_before"],
            people_after=row["people_after"], people_changed=row["people_changed"],
            months_this_year=row["months_this_year"],
            monthly_before=fen_to_yuan(row["monthly_fen_before"]), monthly_after=fen_to_yuan(row["monthly_fen_after"]),
            this_year_before=fen_to_yuan(row["this_year_fen_before"]),
            this_year_after=fen_to_yuan(row["this_year_fen_after"]),
            duration_before=fen_to_yuan(row["total_fen_before"]), duration_after=fen_to_yuan(row["total_fen_after"]),
        )
        for row in result.iter_rows(named=True)
    ]
