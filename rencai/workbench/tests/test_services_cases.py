"""Writing a policy's test cases (issue 13): officers only, Chinese errors naming the field, duplicates 409,
retiring a shipped case, and the office's case taking the shipped one's place."""

import datetime as dt
from decimal import Decimal

import pytest

from rencai.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from rencai.policies.calculator import default_catalog
from rencai.workbench import services_cases
from rencai.workbench.cases import cases_for, cases_run

pytestmark = pytest.mark.django_db
POLICY = "sy-rent-subsidy"
SHIPPED = "本科满36周岁不再享受房租补贴"
RENT = {"owns_home_in_city": False, "renting": True, "monthly_rent": 2000, "rent_area_sqm": 30,
        "apartment_available": False}


def _fields(**overrides):
    values = {"name": "硕士租30平方米补1000元", "as_of": dt.date(2025, 6, 1), "expected_status": "true",
              "profile": {"city": "shenyang", "degree": "master", "birth_date": "1995-01-01", "housing": RENT},
              "expected_monthly": "1000", "expected_one_time": ""}
    values.update(overrides)
    return values


def test_an_officer_adds_a_case_that_runs_with_the_others(officer):
    case = services_cases.case_create(actor=officer, policy=POLICY, **_fields())
    assert case.expected_monthly == Decimal("1000.00") and case.expected_one_time is None
    results = {r.case.name: r for r in cases_run(POLICY, default_catalog())}
    assert results[case.name].passed and all(r.passed for r in results.values())


def test_only_officers_write_cases(heping_staff):
    with pytest.raises(PermissionDenied):
        services_cases.case_create(actor=heping_staff, policy=POLICY, **_fields())


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"name": " "}, "name", "用例名称"),
    ({"expected_status": "yes"}, "expected_status", "预期结果"),
    ({"expected_monthly": "-5"}, "expected_monthly", "预期每月金额"),
    ({"expected_one_time": "abc"}, "expected_one_time", "预期一次性金额"),
    ({"profile": {"city": "shenyang", "degree": "phd"}}, "profile", "人员情况有误"),
    ({"as_of": None}, "as_of", "评估日"),
])
def test_bad_input_is_refused_naming_the_field(officer, change, field, words):
    with pytest.raises(ValidationFailed) as refused:
        services_cases.case_create(actor=officer, policy=POLICY, **_fields(**change))
    assert refused.value.status == 422 and [e.field for e in refused.value.errors] == [field]
    assert words in refused.value.message


def test_a_duplicate_name_is_a_conflict_and_an_unknown_policy_not_found(officer):
    services_cases.case_create(actor=officer, policy=POLICY, **_fields())
    with pytest.raises(Conflict) as twice:
        services_cases.case_create(actor=officer, policy=POLICY, **_fields())
    assert twice.value.status == 409
    with pytest.raises(NotFound):
        services_cases.case_create(actor=officer, policy="sy-no-such-policy", **_fields())


def test_retiring_a_shipped_case_and_replacing_it(officer):
    services_cases.case_retire(actor=officer, policy=POLICY, name=SHIPPED)
    assert SHIPPED not in [c.name for c in cases_for(POLICY)]
    replacement = services_cases.case_create(actor=officer, policy="sy-purchase-subsidy-high-level", **_fields(
        name="A类优才一人一议", profile={"city": "shenyang", "talent_category": "A", "honors": ["top_talent_award"]},
        expected_status="manual", expected_monthly=""))
    case = next(c for c in cases_for("sy-purchase-subsidy-high-level") if c.name == "A类优才一人一议")
    assert not case.shipped and case.pk == replacement.pk
    edited = services_cases.case_update(actor=officer, case=replacement, **_fields(
        name="A类优才一人一议", profile={"city": "shenyang", "talent_category": "A"}, expected_status="false",
        expected_monthly=""))
    assert edited.expected_status == "false"
    with pytest.raises(NotFound):
        services_cases.case_retire(actor=officer, policy=POLICY, name="没有这个用例")
