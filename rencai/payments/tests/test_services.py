import datetime as dt
from decimal import Decimal

import pytest

from rencai.core.errors import Conflict, ValidationFailed
from rencai.payments import budgets
from rencai.payments import services as payments_services
from rencai.payments.models import BudgetLine, Entitlement

POLICY = "sy-living-subsidy-graduate"


@pytest.mark.django_db
def test_entitlement_schedule_and_one_active_per_policy(make_talent, admin_user):
    talent = make_talent()
    ent = payments_services.entitlement_create(
        actor=admin_user, talent=talent, policy_id=POLICY, monthly_amount=Decimal("2500"), months=36,
        one_time_amount=None, start_month=dt.date(2024, 11, 15), payee="talent")
    assert ent.start_month == dt.date(2024, 11, 1)
    assert ent.end_month == dt.date(2027, 10, 1)
    assert ent.total == Decimal("90000.00")
    with pytest.raises(Conflict):
        payments_services.entitlement_create(
            actor=admin_user, talent=talent, policy_id=POLICY, monthly_amount=Decimal("2500"), months=36,
            one_time_amount=None, start_month=dt.date(2024, 11, 1), payee="talent")
    assert Entitlement.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("kwargs, field", [
    ({"monthly_amount": 2500.0, "months": 36}, "monthly_amount"),
    ({"monthly_amount": Decimal("2500.001"), "months": 36}, "monthly_amount"),
    ({"monthly_amount": Decimal("2500"), "months": 0}, "months"),
    ({"monthly_amount": None, "months": None}, "monthly_amount"),
])
def test_entitlement_bad_input_names_the_field(make_talent, admin_user, kwargs, field):
    talent = make_talent()
    with pytest.raises(ValidationFailed) as info:
        payments_services.entitlement_create(actor=admin_user, talent=talent, policy_id=POLICY,
                                             one_time_amount=None, start_month=dt.date(2025, 1, 1),
                                             payee="talent", **kwargs)
    assert [e.field for e in info.value.errors] == [field]
    assert Entitlement.objects.count() == 0


@pytest.mark.django_db
def test_budget_commit_refuses_past_the_line_and_is_idempotent():
    budgets.budget_line_set(policy_id=POLICY, year=2026, amount=Decimal("10000"))
    budgets.budget_commit(policy_id=POLICY, year=2026, amount=Decimal("6000"), reference="A1")
    budgets.budget_commit(policy_id=POLICY, year=2026, amount=Decimal("6000"), reference="A1")  # same: no-op
    with pytest.raises(Conflict) as info:
        budgets.budget_commit(policy_id=POLICY, year=2026, amount=Decimal("4000.01"), reference="A2")
    assert "预算额度不足" in info.value.message and "剩余4000.00元" in info.value.message
    budgets.budget_commit(policy_id=POLICY, year=2026, amount=Decimal("4000"), reference="A2")
    line = BudgetLine.objects.get()
    assert line.committed_fen == line.amount_fen == 1_000_000
    assert budgets.budget_release(policy_id=POLICY, year=2026, reference="A1") == Decimal("6000.00")
    assert budgets.budget_release(policy_id=POLICY, year=2026, reference="A1") == Decimal("0.00")
    line.refresh_from_db()
    assert line.committed_fen == 400_000
    with pytest.raises(Conflict) as info:
        budgets.budget_commit(policy_id=POLICY, year=2030, amount=Decimal("1"), reference="A3")
    assert "尚未安排预算" in info.value.message


@pytest.mark.django_db
def test_budget_forecast_counts_each_schedule_in_the_year(make_talent, admin_user):
    for start in (dt.date(2025, 7, 1), dt.date(2026, 12, 1)):
        payments_services.entitlement_create(
            actor=admin_user, talent=make_talent(), policy_id=POLICY, monthly_amount=Decimal("2500"),
            months=36, one_time_amount=None, start_month=start, payee="talent")
    forecast = budgets.budget_forecast(2026)
    assert forecast[POLICY].schedules == Decimal("2500") * 13
    forecast = budgets.budget_forecast(2028)
    assert forecast[POLICY].schedules == Decimal("2500") * (6 + 12)  # 2025-07…2028-06 and 2026-12…2029-11
