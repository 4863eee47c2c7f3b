"""The monthly run against ../shared/contracts/payments.md (in process; the CLI and PostgreSQL races are in
test_pay_processes.py)."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from rencai.notifications.models import Notification
from rencai.payments.models import BudgetLine, Payment, PaymentSkip, SkipKind
from rencai.payments.run import pay_month
from rencai.regions.models import Region

from .factories import POLICY, budget, clone_talents, entitlements_for

MONTH = dt.date(2025, 6, 1)


def _pay(*args: str) -> dict:
    out = io.StringIO()
    call_command("pay", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_run_twice_creates_once(make_talent):
    talents = clone_talents(make_talent(), 5)
    entitlements_for(talents, start=dt.date(2025, 1, 1))
    entitlements_for(clone_talents(talents[0], 2), start=dt.date(2025, 7, 1))  # not yet active in June
    budget(POLICY, 2025, 1_000_000)
    first = pay_month(month=MONTH).as_dict()
    assert first == {"month": "2025-06", "created": 5, "existing": 0, "stopped": 0, "held": 0,
                     "amount_created": "12500.00", "amount_month": "12500.00", "payments_month": 5}
    second = _pay("--month", "2025-06")
    assert second == {**first, "created": 0, "existing": 5, "amount_created": "0.00"}
    assert Payment.objects.filter(month=MONTH).count() == 5
    assert BudgetLine.objects.get().prepared_fen == 5 * 250_000


@pytest.mark.django_db
def test_one_time_amount_is_paid_in_the_start_month_only(make_talent):
    from rencai.payments.models import Entitlement

    talent = make_talent()
    Entitlement.objects.create(talent=talent, policy=POLICY, one_time_fen=3_000_000, start_month=MONTH,
                               end_month=MONTH)
    budget(POLICY, 2025, 1_000_000)
    assert pay_month(month=MONTH).as_dict()["amount_created"] == "30000.00"
    assert pay_month(month=dt.date(2025, 7, 1)).created == 0


@pytest.mark.django_db
def test_budget_line_is_never_exceeded(make_talent):
    entitlements_for(clone_talents(make_talent(), 5), start=dt.date(2025, 1, 1))
    budget(POLICY, 2025, 7_600)  # three months of 2500 fit, the fourth would not
    result = pay_month(month=MONTH)
    assert (result.created, result.held) == (3, 2)
    assert result.as_dict()["amount_month"] == "7500.00"
    held = PaymentSkip.objects.filter(month=MONTH, kind=SkipKind.HELD)
    assert held.count() == 2 and all("预算额度不足" in s.reason for s in held)
    # Raised budget: the held ones are paid by the next run, and their hold is gone.
    BudgetLine.objects.update(amount_fen=20_000 * 100)
    again = pay_month(month=MONTH)
    assert (again.created, again.existing, again.held) == (2, 3, 0)
    assert not PaymentSkip.objects.filter(month=MONTH).exists()


@pytest.mark.django_db
def test_no_budget_line_holds_everything(make_talent):
    entitlements_for(clone_talents(make_talent(), 2), start=dt.date(2025, 1, 1))
    result = pay_month(month=MONTH)
    assert (result.created, result.held) == (0, 2)
    assert "尚未安排预算" in PaymentSkip.objects.first().reason


@pytest.mark.django_db
def test_compliance_rechecked_every_month(make_talent, django_capture_on_commit_callbacks):
    from rencai.accounts.models import User
    from rencai.talents.models import Talent

    talents = clone_talents(make_talent(), 3)
    moved, downgraded, fine = talents
    moved.user = User.objects.create_user("moved-talent", password="x-Strong-9-pass")
    moved.district = Region.objects.get(code="320602")  # 南通崇川区: left 沈阳
    moved.save()
    Talent.objects.filter(pk=downgraded.pk).update(highest_degree="junior_college")
    entitlements_for(talents, start=dt.date(2025, 1, 1))
    budget(POLICY, 2025, 1_000_000)
    with django_capture_on_commit_callbacks(execute=True):
        result = pay_month(month=MONTH)
    assert (result.created, result.stopped) == (1, 2)
    assert Payment.objects.get().entitlement.talent_id == fine.pk
    reasons = dict(PaymentSkip.objects.values_list("entitlement__talent_id", "reason"))
    assert "适用地区" in reasons[moved.pk]
    assert "学历" in reasons[downgraded.pk]
    again = pay_month(month=MONTH)  # a stop is counted for the month, never paid on a rerun
    assert (again.created, again.existing, again.stopped) == (0, 1, 2)
    told = Notification.objects.get(recipient=moved.user)  # told once, with the reason, however many runs
    assert "2025年06月" in told.title and "停发" in told.title and "适用地区" in told.body


@pytest.mark.django_db
def test_a_held_month_is_told_once_with_its_reason(make_talent, make_user):
    from rencai.accounts.enums import Role

    talents = clone_talents(make_talent(), 3)
    for n, talent in enumerate(talents):
        talent.user = make_user(f"held-{n}", Role.TALENT)
        talent.save(update_fields=["user"])
    entitlements_for(talents, start=dt.date(2025, 1, 1))
    budget(POLICY, 2025, 2_500)  # one month of one talent fits
    assert pay_month(month=MONTH).held == 2
    assert pay_month(month=MONTH).held == 2
    held_users = set(PaymentSkip.objects.filter(kind=SkipKind.HELD).values_list("entitlement__talent__user", flat=True))
    messages = Notification.objects.filter(title__contains="暂缓发放")
    assert sorted(m.recipient_id for m in messages) == sorted(held_users) and len(held_users) == 2
    assert all("预算额度不足" in m.body and m.link == "/me/payments/" for m in messages)


@pytest.mark.django_db
def test_policy_filter_and_unknown_policy(make_talent, capsys):
    entitlements_for(clone_talents(make_talent(), 2), start=dt.date(2025, 1, 1))
    budget(POLICY, 2025, 1_000_000)
    assert _pay("--month", "2025-06", "--policy", "sy-rent-subsidy")["created"] == 0
    assert _pay("--month", "2025-06", "--policy", POLICY)["created"] == 2
    with pytest.raises(SystemExit) as info:
        call_command("pay", "--month", "2025-06", "--policy", "no-such-policy")
    assert info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "未知政策" in err[0] and "unknown policy" in err[0]


@pytest.mark.django_db
@pytest.mark.parametrize("month", ["2023-13", "2023-4", "abc", "2023-00", "", "9999-01"])
def test_bad_or_future_month_exits_2_and_writes_nothing(make_talent, capsys, month):
    entitlements_for(clone_talents(make_talent(), 1), start=dt.date(2025, 1, 1))
    budget(POLICY, 2025, 1_000_000)
    with pytest.raises(SystemExit) as info:
        call_command("pay", "--month", month)
    assert info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "/" in err[0] and "Traceback" not in err[0]
    assert not Payment.objects.exists()
    assert not PaymentSkip.objects.exists()


@pytest.mark.django_db
def test_text_format_in_chinese(make_talent):
    entitlements_for(clone_talents(make_talent(), 1), start=dt.date(2025, 1, 1))
    budget(POLICY, 2025, 1_000_000)
    out = io.StringIO()
    call_command("pay", "--month", "2025-06", stdout=out)
    text = out.getvalue()
    assert "发放月份：2025-06" in text and "本月合计金额：2500.00 元" in text
