"""The shipped test cases (issue 13): every one passes against the shipped catalog, a wrong expectation fails
with a Chinese reason, and an office case replaces or retires a shipped one of its name."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from rencai.policies.calculator import default_catalog
from rencai.policies.engine.catalog import load_catalog
from rencai.workbench.cases import case_run, cases_for, shipped_cases
from rencai.workbench.models import RuleCase

POLICY = "sy-living-subsidy-skilled"
DOCTOR = "技师每月800元"


def test_every_shipped_case_passes_against_the_shipped_catalog():
    catalog = load_catalog()
    shipped = shipped_cases()
    assert len(shipped) >= 20 and sum(len(c) for c in shipped.values()) >= 55
    failed = [(case.policy, case.name, result.why) for cases in shipped.values() for case in cases
              if not (result := case_run(case, catalog)).passed]
    assert failed == []
    for policy, cases in shipped.items():
        assert policy in catalog.policies
        assert len({case.name for case in cases}) == len(cases)
        assert {case.expected for case in cases} - {False}, policy  # each policy has a case that is not a "no"
        assert False in {case.expected for case in cases}, policy  # and a not-eligible one


def test_a_wrong_expectation_fails_with_a_chinese_reason():
    case = next(c for c in shipped_cases()[POLICY] if c.name == DOCTOR)
    wrong = dataclasses.replace(case, monthly=Decimal(900))
    result = case_run(wrong, default_catalog())
    assert not result.passed and result.why == "每月金额预期900元，实为800元"
    refused = case_run(dataclasses.replace(case, expected=False), default_catalog())
    assert not refused.passed and "预期“不符合”，实为“符合”" in refused.why


def test_the_age_boundary_case_is_the_day_before_the_next_birthday():
    cases = {c.name: c for c in shipped_cases()["sy-rent-subsidy"]}
    inside = cases["35周岁本科（36周岁生日前一天）租40平方米补一半房租"]
    born = dt.date.fromisoformat(inside.profile["birth_date"])
    assert inside.as_of == born.replace(year=born.year + 36) - dt.timedelta(days=1)


@pytest.mark.django_db
def test_an_office_case_of_the_same_name_replaces_the_shipped_one_and_inactive_retires_it(officer):
    shipped = [c.name for c in shipped_cases()[POLICY]]
    assert [c.name for c in cases_for(POLICY)] == shipped
    row = RuleCase.objects.create(policy=POLICY, name=DOCTOR, profile={"city": "shenyang", "skill_level": "technician"},
                                  as_of=dt.date(2025, 6, 1), expected_status="true", expected_monthly=800,
                                  created_by=officer)
    replaced = {c.name: c for c in cases_for(POLICY)}
    assert len(replaced) == len(shipped) and not replaced[DOCTOR].shipped and replaced[DOCTOR].pk == row.pk
    row.active = False
    row.save()
    assert DOCTOR not in [c.name for c in cases_for(POLICY)]
    RuleCase.objects.create(policy=POLICY, name="办公室自己的用例", profile={"city": "shenyang"},
                            as_of=dt.date(2025, 6, 1), expected_status="unknown", created_by=officer)
    assert [c.name for c in cases_for(POLICY)][-1] == "办公室自己的用例"
