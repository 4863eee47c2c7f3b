"""Writes of a policy's test cases (issue 13): an officer adds a case, corrects it, or retires one. A case named
like a shipped one takes its place (the office's correction of the shipped expectation); retiring a shipped
case stores an inactive office case of its name. Errors are Chinese and name the field; a second case of the
same name is a conflict (409)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from rencai.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from rencai.policies.calculator import default_catalog
from rencai.policies.profile import ProfileError, normalize

from .cases import shipped_cases
from .models import CaseStatus, RuleCase
from .permissions import require_officer

MAX_AMOUNT = Decimal("1000000000")


def _amount(value, field: str, label: str, errors: list[FieldError]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.append(FieldError(field, f"{label}须为数字（元）"))
        return None
    if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        errors.append(FieldError(field, f"{label}须为不小于0的金额，最多两位小数"))
        return None
    return amount


def _clean(policy: str, *, name: str, profile, as_of, expected_status: str, expected_monthly=None,
           expected_one_time=None) -> dict:
    if policy not in default_catalog().policies:
        raise NotFound("目录中没有这项政策")
    errors: list[FieldError] = []
    name = (name or "").strip()
    if not name:
        errors.append(FieldError("name", "请填写用例名称"))
    elif len(name) > 200:
        errors.append(FieldError("name", "用例名称过长（最多200字）"))
    if not isinstance(as_of, dt.date):
        errors.append(FieldError("as_of", "请填写有效的评估日"))
    if expected_status not in CaseStatus.values:
        errors.append(FieldError("expected_status", "请选择预期结果（符合/不符合/一人一议/信息不足）"))
    if not isinstance(profile, dict):
        errors.append(FieldError("profile", "人员情况有误"))
    elif isinstance(as_of, dt.date):
        try:
            normalize(profile, as_of=as_of, policy_ids=default_catalog().policies)
        except ProfileError as error:
            errors.append(FieldError("profile", f"人员情况有误：{error.message_zh}"))
    monthly = _amount(expected_monthly, "expected_monthly", "预期每月金额", errors)
    one_time = _amount(expected_one_time, "expected_one_time", "预期一次性金额", errors)
    if errors:
        raise ValidationFailed(errors)
    return {"name": name, "profile": profile, "as_of": as_of, "expected_status": expected_status,
            "expected_monthly": monthly, "expected_one_time": one_time}


def _duplicate(name: str) -> Conflict:
    return Conflict(f"这项政策已有名为“{name}”的用例，请换一个名称", code="duplicate_case")


def case_create(*, actor, policy: str, **fields) -> RuleCase:
    """A new office case (named like a shipped case: it replaces that case)."""
    require_officer(actor)
    values = _clean(policy, **fields)
    try:
        with transaction.atomic():
            return RuleCase.objects.create(policy=policy, created_by=actor, **values)
    except IntegrityError:
        raise _duplicate(values["name"]) from None


def case_update(*, actor, case: RuleCase, **fields) -> RuleCase:
    require_officer(actor)
    values = _clean(case.policy, **fields)
    try:
        with transaction.atomic():
            RuleCase.objects.filter(pk=case.pk).update(active=True, **values)
    except IntegrityError:
        raise _duplicate(values["name"]) from None
    case.refresh_from_db()
    return case


def case_retire(*, actor, policy: str, name: str) -> RuleCase:
    """Retire a case: an office case is made inactive; a shipped one gets an inactive office case of its name."""
    require_officer(actor)
    with transaction.atomic():
        row = RuleCase.objects.select_for_update().filter(policy=policy, name=name).first()
        if row is not None:
            row.active = False
            row.save(update_fields=["active"])
            return row
        shipped = next((c for c in shipped_cases().get(policy, ()) if c.name == name), None)
        if shipped is None:
            raise NotFound("没有这个用例")
        status = {True: "true", False: "false"}.get(shipped.expected, shipped.expected)
        return RuleCase.objects.create(
            policy=policy, name=name, profile=shipped.profile, as_of=shipped.as_of, expected_status=status,
            expected_monthly=shipped.monthly, expected_one_time=shipped.one_time, active=False, created_by=actor)
