"""台账's writes: an administrator sets the targets of a year (002's 目标责任考核), per district and measure."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction

from rencai.core.errors import CONCURRENT_MESSAGE, Conflict, FieldError, PermissionDenied, ValidationFailed
from rencai.core.parsing import FieldErrors, is_blank, parse_decimal
from rencai.regions.models import Region, RegionLevel

from .enums import UNITS, WHOLE_UNITS, Measure, Unit
from .models import Target

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_GOAL = Decimal("99999999999999.99")  # the column's NUMERIC(16, 2)


def goal_field(district: str, measure: str) -> str:
    return f"goal_{district}_{measure}"


def _goal(raw, *, field: str, label: str, measure: str, errors: FieldErrors) -> Decimal | None:
    goal = parse_decimal(raw, field=field, label=label, errors=errors)
    if goal is None:
        return None
    unit = UNITS[measure]
    if goal > MAX_GOAL:
        errors.add(field, f"{label}过大")
    elif unit in WHOLE_UNITS and goal != goal.to_integral_value():
        errors.add(field, f"{label}应为整数（{unit.label}）")
    elif unit == Unit.PERCENT and goal > 100:
        errors.add(field, f"{label}是百分比，不能超过100")
    elif goal.as_tuple().exponent < -2:
        errors.add(field, f"{label}最多保留两位小数")
    else:
        return goal.quantize(Decimal("0.01"))
    return None


def targets_set(*, actor, year: int, goals: dict[tuple[str, str], object], example: bool = False) -> int:
    """Set the year's targets: ``goals`` maps (district code, measure) to the goal as typed; blank removes the
    target. Every value is checked first and all problems reported at once (422, each naming the district and
    measure in Chinese); then all are written in one transaction. Two administrators saving the same new target
    at once: one wins, the other is told to reload (409). ``example``: the demo's targets, flagged as example data;
    an administrator's save of a target clears the flag. Returns how many targets were written or removed."""
    if not (actor.is_authenticated and actor.is_administrator):
        raise PermissionDenied("只有系统管理员可以设定考核目标")
    errors = FieldErrors()
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationFailed([FieldError("year", f"年度应为{MIN_YEAR}到{MAX_YEAR}之间的整数")])
    names = dict(Region.objects.filter(level=RegionLevel.DISTRICT).values_list("code", "name"))
    parsed: dict[tuple[str, str], Decimal | None] = {}
    for (district, measure), raw in goals.items():
        field = goal_field(district, measure)
        if district not in names:
            errors.add(field, "所在区县无效：请选择本系统的区县")
            continue
        if measure not in Measure.values:
            errors.add(field, "考核指标无效")
            continue
        label = f"{names[district]}“{Measure(measure).label}”的目标值"
        if is_blank(raw):
            parsed[(district, measure)] = None
            continue
        goal = _goal(raw, field=field, label=label, measure=measure, errors=errors)
        if goal is not None:
            parsed[(district, measure)] = goal
    if errors:
        raise ValidationFailed(list(errors))
    written = 0
    try:
        with transaction.atomic():
            existing = {(t.district_id, t.measure): t for t in Target.objects.select_for_update()
                        .filter(year=year, district_id__in={d for d, _ in parsed})}
            for (district, measure), goal in parsed.items():
                target = existing.get((district, measure))
                if goal is None:
                    if target is not None:
                        target.delete()
                        written += 1
                elif target is None:
                    Target.objects.create(district_id=district, year=year, measure=measure, goal=goal, set_by=actor,
                                          is_example=example)
                    written += 1
                elif target.goal != goal or target.is_example != example:
                    target.goal, target.set_by, target.is_example = goal, actor, example
                    target.save(update_fields=["goal", "set_by", "is_example", "updated_at"])
                    written += 1
    except IntegrityError as exc:
        raise Conflict(CONCURRENT_MESSAGE) from exc
    return written

