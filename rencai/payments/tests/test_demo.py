"""The payments demo: history paid through last month, a few failed and retried, and work left for this month."""

import pytest
from django.utils import timezone

from rencai.demo.payments import payments_demo_load
from rencai.payments.models import BatchLine, BudgetLine, Entitlement, Payment, PaymentBatch, add_months
from rencai.payments.run import pay_month

from .factories import clone_talents


@pytest.mark.django_db
def test_demo_history_and_this_months_run(make_talent):
    clone_talents(make_talent(), 60)
    rows = payments_demo_load(seed=5, size=100)
    assert [r[0] for r in rows] == ["finance"]
    this_month = timezone.localdate().replace(day=1)
    last = add_months(this_month, -1)
    starts = {e.start_month for e in Entitlement.objects.all()}
    assert min(starts) <= add_months(this_month, -24) and max(starts) >= add_months(this_month, -12)
    assert not Payment.objects.filter(month=this_month).exists()
    assert PaymentBatch.objects.filter(month=last, status="returned").exists()
    retried = BatchLine.objects.filter(result="failed").values_list("payment_id", flat=True)
    assert BatchLine.objects.filter(payment_id__in=retried, result="paid").exists()  # failed, then paid
    assert Payment.objects.filter(status="failed", month=last).count() == 2  # still to retry
    line = BudgetLine.objects.get(year=this_month.year)
    assert line.prepared_fen <= line.amount_fen
    result = pay_month(month=this_month)
    assert result.created > 0 and result.stopped == 0 and result.held == 0
    assert payments_demo_load(seed=5, size=100) == rows  # a second load adds nothing
    assert Payment.objects.filter(month=this_month).count() == result.created


@pytest.mark.django_db
def test_demo_shows_months_stopped_by_the_social_insurance_feed(settings, tmp_path):
    """`rencai demo`: after the data centre's demo files, 产业急需紧缺人才奖励 of this month is paid to employees
    the 社保 feed shows paying in the city and stopped, with the feed as the reason, for the others; the demo
    talent is never stopped."""
    from rencai.datahub.demo import datahub_demo_load
    from rencai.demo.accounts import demo_accounts_create
    from rencai.demo.generator import demo_load
    from rencai.demo.payments import FEED_POLICY, payments_demo_feed_check
    from rencai.payments.models import PaymentSkip

    settings.MEDIA_ROOT = tmp_path / "media"
    demo_load(seed=7, size=600)
    demo_accounts_create()
    payments_demo_load(seed=7, size=600)
    datahub_demo_load(limit=None, seed=7)
    stopped = payments_demo_feed_check()
    this_month = timezone.localdate().replace(day=1)
    last = add_months(this_month, -1)  # the demo's latest 社保 month
    skips = PaymentSkip.objects.filter(month=this_month, kind="stopped", entitlement__policy=FEED_POLICY)
    assert stopped == skips.count() >= 1
    assert all(s.reason.startswith(f"社保缴纳：人社局数据显示{last.year}年{last.month}月") for s in skips)
    assert Payment.objects.filter(month=this_month, policy=FEED_POLICY).exists()
    assert not PaymentSkip.objects.filter(entitlement__talent__user__username="talent").exists()
    assert not Payment.objects.filter(month=this_month).exclude(policy=FEED_POLICY).exists()  # left for staff
    assert payments_demo_feed_check() == 0 and skips.count() == stopped  # once
