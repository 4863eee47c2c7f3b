"""Each rule kind's parameters: their Chinese names, defaults and checks. A bad value (in the admin site or a
shipped rule) is a ValidationFailed naming the parameter in Chinese; evaluators read the checked values only."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rencai.core.errors import FieldError, ValidationFailed

from .enums import RuleKind

CATEGORIES = ("A", "B", "C", "D")


def _int(params: dict, name: str, label: str, errors: list, *, low: int, high: int) -> int | None:
    value = params.get(name)
    if isinstance(value, bool) or not isinstance(value, int | str):
        errors.append(FieldError("params", f"{label}应为{low}至{high}之间的整数"))
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        errors.append(FieldError("params", f"{label}应为{low}至{high}之间的整数"))
        return None
    if not low <= number <= high:
        errors.append(FieldError("params", f"{label}应为{low}至{high}之间的整数"))
        return None
    return number


def _share(params: dict, name: str, label: str, errors: list) -> Decimal | None:
    try:
        value = Decimal(str(params.get(name)).strip())
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or not Decimal("0") <= value <= Decimal("1"):
        errors.append(FieldError("params", f"{label}应为0至1之间的小数（如 0.1 表示10%）"))
        return None
    return value


def _categories(params: dict, errors: list) -> list[str] | None:
    value = params.get("categories")
    if not isinstance(value, list) or not value or any(c not in CATEGORIES for c in value):
        errors.append(FieldError("params", "人才类别应为 A、B、C、D 中的一个或几个，如 [\"A\", \"B\", \"C\"]"))
        return None
    return sorted(set(value))


def _district_thresholds(params: dict, errors: list) -> dict[str, int] | None:
    from rencai.regions.models import Region, RegionLevel

    value = params.get("by_district", {})
    if not isinstance(value, dict):
        errors.append(FieldError("params", "各区县阈值应为“区划代码: 人数”的对应表"))
        return None
    known = set(Region.objects.filter(level=RegionLevel.DISTRICT, code__in=list(value))
                .values_list("code", flat=True))
    checked = {}
    for code, number in value.items():
        if code not in known:
            errors.append(FieldError("params", f"各区县阈值中的区划代码“{code}”不是已登记的区县"))
            continue
        n = _int({"n": number}, "n", f"区县“{code}”的净流出阈值", errors, low=1, high=100000)
        if n is not None:
            checked[code] = n
    return checked


# kind → (parameter names with their Chinese names, defaults): what the admin form shows.
DEFAULTS: dict[str, dict] = {
    RuleKind.TALENT_LOSS: {"categories": ["A", "B", "C"], "days": 90},
    RuleKind.NET_OUTFLOW: {"threshold": 5, "by_district": {}, "months": 3},
    RuleKind.ENTITLEMENT_ENDING: {"days": 60},
    RuleKind.FULFILMENT_OVERDUE: {},
    RuleKind.PROGRAMME_OVERDUE: {},
    RuleKind.SERVICE_OVERDUE: {},
    RuleKind.BUDGET_PACE: {"margin": "0.10"},
    RuleKind.POLICY_EXPIRING: {"days": 180},
    RuleKind.RECOGNITION_EXPIRING: {"days": 90},
}
NAMES = {"categories": "人才类别", "days": "提前天数", "threshold": "净流出阈值（人/月）",
         "by_district": "各区县阈值", "margin": "允许超前比例",
         "months": "回看月数"}


def params_check(kind: str, params) -> dict:
    """The checked parameters of a rule of ``kind`` (a missing one takes its default), or ValidationFailed."""
    if kind not in RuleKind.values:
        raise ValidationFailed([FieldError("kind", "请选择预警类型")])
    if not isinstance(params, dict):
        raise ValidationFailed([FieldError("params", "阈值参数应为“参数: 值”的对应表")])
    unknown = sorted(set(params) - set(DEFAULTS[kind]))
    if unknown:
        allowed = "、".join(NAMES[n] for n in DEFAULTS[kind]) or "无"
        raise ValidationFailed([FieldError("params", f"该类型的阈值参数只有：{allowed}；“{'、'.join(unknown)}”不适用")])
    values = {**DEFAULTS[kind], **params}
    errors: list[FieldError] = []
    checked: dict = {}
    if "categories" in values:
        checked["categories"] = _categories(values, errors)
    if "days" in values:
        checked["days"] = _int(values, "days", NAMES["days"], errors, low=1, high=3650)
    if "threshold" in values:
        checked["threshold"] = _int(values, "threshold", NAMES["threshold"], errors, low=1, high=100000)
    if "months" in values:
        checked["months"] = _int(values, "months", NAMES["months"], errors, low=1, high=24)
    if "by_district" in values:
        checked["by_district"] = _district_thresholds(values, errors)
    if "margin" in values:
        margin = _share(values, "margin", NAMES["margin"], errors)
        checked["margin"] = str(margin) if margin is not None else None
    if errors:
        raise ValidationFailed(errors)
    return checked
