"""Approval routes and per-policy fulfilment settings as data: the shipped defaults (routes.yaml) and the
database copy administrators edit (PolicySetting)."""

from functools import cache
from pathlib import Path

import yaml
from django.db import IntegrityError, transaction

from rencai.core.errors import FieldError, NotFound, ValidationFailed

from .enums import Level
from .models import PolicySetting

ROUTES_FILE = Path(__file__).resolve().parent / "routes.yaml"
STEP_KEYS = {"key", "title", "department", "level", "statutory_days", "promised_days"}
MAX_DAYS = 120


@cache
def shipped() -> dict:
    with ROUTES_FILE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    for name, steps in data["routes"].items():
        validate_route(steps, field=f"routes.{name}")
    return data


def validate_route(steps: object, *, field: str = "route") -> list[dict]:
    """A route is a non-empty list of steps, each with every key, a known level and deadlines of 1–120 working
    days, the promised one no longer than the statutory one. Raises ValidationFailed naming the step."""
    errors: list[FieldError] = []
    if not isinstance(steps, list) or not steps:
        raise ValidationFailed([FieldError(field, "审批路线至少要有一个环节")])
    keys = set()
    for index, step in enumerate(steps, start=1):
        where = f"第{index}个环节"
        if not isinstance(step, dict) or set(step) != STEP_KEYS:
            errors.append(FieldError(field, f"{where}须且只须包含：环节编号、名称、承办部门、层级、法定时限、承诺时限"))
            continue
        if not all(isinstance(step[k], str) and step[k].strip() for k in ("key", "title", "department")):
            errors.append(FieldError(field, f"{where}的编号、名称和承办部门不能为空"))
        if step["key"] in keys:
            errors.append(FieldError(field, f"{where}的编号与前面的环节重复"))
        keys.add(step["key"])
        if step["level"] not in Level.values:
            errors.append(FieldError(field, f"{where}的层级只能是区县或市级"))
        days = (step["statutory_days"], step["promised_days"])
        if not all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= MAX_DAYS for d in days):
            errors.append(FieldError(field, f"{where}的法定时限和承诺时限须为1到{MAX_DAYS}个工作日"))
        elif days[1] > days[0]:
            errors.append(FieldError(field, f"{where}的承诺时限不能长于法定时限"))
    if errors:
        raise ValidationFailed(errors)
    return steps


def defaults_for(policy_id: str) -> dict:
    data = shipped()
    merged = {**data["default"], **(data["policies"].get(policy_id) or {})}
    route = merged.pop("route")
    return {**merged, "route": [dict(step) for step in data["routes"][route]]}


def policy_setting(policy_id: str) -> PolicySetting:
    """The policy's setting, created from the shipped defaults the first time it is asked for."""
    from rencai.policies.calculator import default_catalog

    if policy_id not in default_catalog().policies:
        raise NotFound("没有这项政策")
    setting = PolicySetting.objects.filter(policy=policy_id).first()
    if setting is not None:
        return setting
    try:
        with transaction.atomic():
            return PolicySetting.objects.create(policy=policy_id, **defaults_for(policy_id))
    except IntegrityError:  # created at the same moment by another request
        return PolicySetting.objects.get(policy=policy_id)
