"""The monthly run reads the data centre's 社保 feed (issue 16): a month of a policy that requires work in the city
stops when the feed's month has no paid row of the talent in the city, with the feed and the month as the reason;
the month checked is the latest the feed has delivered among M, M-1, M-2, and a month not delivered stops nothing.
Both databases."""

import datetime as dt

import pytest
from django.utils import timezone

from rencai.core import crypto
from rencai.datahub import services as datahub_services
from rencai.datahub.models import Feed
from rencai.datahub.setup import standard_feeds_create
from rencai.notifications.models import Notification
from rencai.payments.compliance import checked_policies, needs_work_in_city
from rencai.payments.models import Entitlement, Payment, PaymentSkip, SkipKind, add_months
from rencai.payments.run import pay_month
from rencai.policies.calculator import default_catalog
from rencai.talents.models import Talent

from .factories import POLICY, budget, entitlements_for

REWARD = "sy-urgent-talent-reward"  # 产业急需紧缺人才奖励: for the employees of enterprises (employment.employer_type)
MONTH = dt.date(2025, 6, 1)
HEADER = ["姓名", "证件号码", "缴费月份", "缴费状态", "参保地", "缴费基数（元）"]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _employed(talent: Talent) -> Talent:
    Talent.objects.filter(pk=talent.pk).update(employer_type="enterprise", employment_status="confirmed")
    return Talent.objects.get(pk=talent.pk)


def _row(talent, month: dt.date, status="正常缴费", place="和平区"):
    return [talent.name, crypto.decrypt(talent.id_number_cipher), f"{month:%Y-%m}", status, place, "6000"]


def _deliver(month: dt.date, rows) -> None:
    """The 社保 feed's file of a month, loaded as `rencai datahub_load` does."""
    feed = next(f for f in standard_feeds_create() if f.kind == "social_insurance")
    body = "\n".join(",".join(map(str, r)) for r in [HEADER, *rows]) + "\n"
    load = datahub_services.load_from_bytes(feed_id=feed.pk, raw=body.encode(), file_name=f"社保{month:%Y%m}.csv")
    datahub_services.load_run(load_id=load.pk)


def _rewards(talents, start=MONTH):
    return [Entitlement.objects.create(talent=t, policy=REWARD, one_time_fen=6_000_000, start_month=start,
                                       end_month=start) for t in talents]


def _reasons(month=MONTH) -> dict[int, str]:
    return dict(PaymentSkip.objects.filter(month=month, kind=SkipKind.STOPPED)
                .values_list("entitlement__talent_id", "reason"))


def test_which_policies_the_feed_checks_comes_from_the_catalog():
    catalog = default_catalog()
    checked = checked_policies(catalog, city="210100")
    # Conditions that read the employment: 在沈阳就业创业 (购房补贴), 企业引进 (急需紧缺人才奖励).
    assert {"sy-purchase-subsidy-graduate", REWARD} <= checked
    # The living subsidies' conditions read no employment (their note says 社保 is left open: no condition), and
    # the 不可兼得 group's "企业职工" is the group's, not a condition of the subsidy.
    assert POLICY not in checked and "sy-living-subsidy-skilled" not in checked
    # A province's policy reads the employment, but the city's feed cannot speak for the province.
    assert not needs_work_in_city(catalog.policies["ln-returnee-startup-subsidies"], city="210100")
    assert all(catalog.policies[p].jurisdiction.startswith("2101") for p in checked)


def test_a_month_without_a_paid_row_in_the_city_stops_with_the_feed_as_reason(make_talent, make_user,
                                                                                django_capture_on_commit_callbacks):
    from rencai.accounts.enums import Role

    paid, missing, stopped, arrears, elsewhere = (_employed(make_talent(name=n, social_insurance="在本市缴纳"))
                                                  for n in ("正常", "缺失", "停保", "欠缴", "外地"))
    missing.user = make_user("missing-talent", Role.TALENT)
    missing.save(update_fields=["user"])
    _rewards([paid, missing, stopped, arrears, elsewhere])
    budget(REWARD, 2025, 1_000_000)
    may = dt.date(2025, 5, 1)
    _deliver(dt.date(2025, 4, 1), [_row(t, dt.date(2025, 4, 1)) for t in (paid, missing, stopped, arrears, elsewhere)])
    _deliver(may, [_row(paid, may), _row(stopped, may, "暂停缴费"), _row(arrears, may, "欠费"),
                   _row(elsewhere, may, place="210000")])
    with django_capture_on_commit_callbacks(execute=True):
        result = pay_month(month=MONTH)
    assert (result.created, result.stopped) == (1, 4)
    assert Payment.objects.get(month=MONTH).entitlement.talent_id == paid.pk
    reasons = _reasons()
    assert reasons[missing.pk] == "社保缴纳：人社局数据显示2025年5月无本市缴费记录"
    assert reasons[stopped.pk] == "社保缴纳：人社局数据显示2025年5月暂停缴费，无本市正常缴费记录"
    assert reasons[arrears.pk] == "社保缴纳：人社局数据显示2025年5月欠费，无本市正常缴费记录"
    assert reasons[elsewhere.pk] == "社保缴纳：人社局数据显示2025年5月在外地参保（辽宁省），无本市缴费记录"
    told = Notification.objects.get(recipient=missing.user)
    assert "停发" in told.title and "人社局数据显示2025年5月无本市缴费记录" in told.body
    # The contract holds: a rerun creates nothing and counts the same stops.
    again = pay_month(month=MONTH)
    assert (again.created, again.existing, again.stopped) == (0, 1, 4)
    assert Notification.objects.filter(recipient=missing.user).count() == 1


def test_the_month_checked_is_the_latest_delivered_of_the_last_three(make_talent):
    talent = _employed(make_talent(social_insurance="在本市缴纳"))
    _rewards([talent])
    budget(REWARD, 2025, 1_000_000)
    # Only March delivered: three months before June, the feed is late by its own schedule; nothing is checked.
    _deliver(dt.date(2025, 3, 1), [_row(make_talent(name="别人"), dt.date(2025, 3, 1))])
    assert pay_month(month=MONTH, policies=[REWARD]).stopped == 0
    Payment.objects.all().delete()
    # April delivered (M-2) without the talent: the month stops, naming April.
    _deliver(dt.date(2025, 4, 1), [_row(make_talent(name="他人"), dt.date(2025, 4, 1))])
    assert pay_month(month=MONTH).stopped == 1
    assert "2025年4月无本市缴费记录" in _reasons()[talent.pk]
    PaymentSkip.objects.all().delete()
    # June itself delivered (a month paid late) with the talent paid: June is checked, and paid.
    _deliver(MONTH, [_row(talent, MONTH)])
    assert (pay_month(month=MONTH).created, PaymentSkip.objects.count()) == (1, 0)


def test_no_feed_an_inactive_feed_or_a_month_not_delivered_stops_nothing(make_talent):
    talents = [_employed(make_talent(name=f"待核{i}", social_insurance="在本市缴纳")) for i in range(2)]
    _rewards(talents)
    budget(REWARD, 2025, 1_000_000)
    assert pay_month(month=MONTH).created == 2  # no feed at all: the declared registry stands
    Payment.objects.all().delete()
    _deliver(dt.date(2025, 5, 1), [_row(talents[0], dt.date(2025, 5, 1))])  # the other is missing from May
    Feed.objects.filter(kind="social_insurance").update(active=False)
    assert pay_month(month=MONTH).created == 2  # an inactive feed vouches for nothing
    Feed.objects.filter(kind="social_insurance").update(active=True)
    september = dt.date(2025, 9, 1)
    Entitlement.objects.update(status="ended")
    _rewards(talents, start=september)
    result = pay_month(month=september)  # May is four months back: not delivered in time, so not checked
    assert (result.created, result.stopped) == (2, 0)


def test_a_policy_that_needs_no_employment_is_not_stopped(make_talent):
    living, reward = _employed(make_talent(name="生活补贴")), _employed(make_talent(name="奖励"))
    entitlements_for([living], start=dt.date(2025, 1, 1))
    _rewards([reward])
    budget(POLICY, 2025, 1_000_000)
    budget(REWARD, 2025, 1_000_000)
    _deliver(dt.date(2025, 5, 1), [_row(make_talent(name="他人"), dt.date(2025, 5, 1))])  # neither is in it
    result = pay_month(month=MONTH)
    assert (result.created, result.stopped) == (1, 1)
    assert Payment.objects.get().entitlement.talent_id == living.pk and list(_reasons()) == [reward.pk]


def test_a_condition_that_fails_keeps_its_own_reason(make_talent):
    talent = make_talent(social_insurance="在本市缴纳")
    Talent.objects.filter(pk=talent.pk).update(employer_type="institution", employment_status="confirmed")
    _rewards([talent])  # a 事业单位's employee: the reward (for enterprises) fails on its condition first
    _deliver(dt.date(2025, 5, 1), [_row(make_talent(name="他人"), dt.date(2025, 5, 1))])
    assert pay_month(month=MONTH).stopped == 1
    reason = _reasons()[talent.pk]
    assert "社保" not in reason and reason.startswith("本月复核不再符合条件")


def test_the_reason_on_the_talents_page_and_the_officers(client, make_talent, make_user, city_staff):
    from rencai.accounts.enums import Role

    this_month = timezone.localdate().replace(day=1)
    talent = _employed(make_talent(name="停发者", social_insurance="在本市缴纳"))
    talent.user = make_user("stopped-talent", Role.TALENT)
    talent.save(update_fields=["user"])
    _rewards([talent], start=this_month)
    last = add_months(this_month, -1)
    _deliver(last, [_row(talent, last, "暂停缴费")])
    assert pay_month(month=this_month).stopped == 1
    words = f"社保缴纳：人社局数据显示{last.year}年{last.month}月暂停缴费，无本市正常缴费记录"
    client.force_login(talent.user)
    page = client.get("/me/payments/").content.decode()
    assert words in page and "停发" in page
    client.force_login(city_staff)
    page = client.get("/payments/entitlements/").content.decode()
    assert words in page and "停发者" in page


def test_a_month_staff_found_the_feed_wrong_about_does_not_stop(make_talent, city_staff):
    from rencai.datahub import services as hub
    from rencai.datahub.enums import Resolution
    from rencai.datahub.models import Discrepancy

    missing, stopped, unresolved = (_employed(make_talent(name=n, social_insurance="在本市缴纳"))
                                    for n in ("漏报", "误报停保", "未处理"))
    _rewards([missing, stopped, unresolved])
    budget(REWARD, 2025, 1_000_000)
    may = dt.date(2025, 5, 1)
    _deliver(may, [_row(stopped, may, "暂停缴费"), _row(unresolved, may, "暂停缴费")])
    for talent in (missing, stopped):  # the talent showed their receipts: the feed was wrong about May
        item = Discrepancy.objects.get(talent=talent, field="social_insurance")
        hub.discrepancy_transition(actor=city_staff, discrepancy_id=item.pk, resolution=Resolution.DECLARATION_UPHELD,
                                   note="本人提供了5月缴费凭证")
    result = pay_month(month=MONTH)
    assert (result.created, result.stopped) == (2, 1) and list(_reasons()) == [unresolved.pk]
