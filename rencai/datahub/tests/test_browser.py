"""In Chromium, issue 16's check as new users would take it: city staff load a 学历 file and a 社保 file from the
data centre's pages; a talent's 免申即享 offer appears (on their phone) only once every deciding fact is verified;
a 不动产 file raises a discrepancy that the district officer resolves with the evidence; finance runs the month
and a reward stops for a talent the 社保 feed shows not paying, the feed named as the reason on the talent's page;
and the push API refuses a wrong token."""

import datetime as dt

import pytest
from django.utils import timezone

from rencai.browser import confirm, login, menu
from rencai.core import crypto
from rencai.datahub.models import Discrepancy, Feed
from rencai.datahub.setup import standard_feeds_create
from rencai.fulfilment import services as fulfilment
from rencai.fulfilment.models import Offer
from rencai.payments.budgets import budget_line_set
from rencai.payments.models import Entitlement
from rencai.policies.matching import match_run
from rencai.talents.models import Talent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LIVING = "sy-living-subsidy-graduate"  # reads the degree, the employer (社保) and the city
REWARD = "sy-urgent-talent-reward"  # the month's 社保 is checked by the payment run


def _employed(talent) -> Talent:
    Talent.objects.filter(pk=talent.pk).update(employer_type="enterprise", employment_status="confirmed")
    return Talent.objects.get(pk=talent.pk)


def _upload(page, tmp_path, feed: Feed, name: str, lines: list[list]) -> None:
    """The file, chosen and loaded on the feed's page; the load's page shows its counts."""
    path = tmp_path / name
    path.write_text("\n".join(",".join(map(str, line)) for line in lines) + "\n", encoding="utf-8")
    menu(page, "数据中心")
    page.click(f"tr[data-feed='{feed.pk}'] a")
    page.set_input_files("#feed-file", str(path))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#load-counts")
    assert "已装载" in page.inner_text("#load-status")


def _as(page, username: str, size: dict = DESKTOP) -> None:
    page.set_viewport_size(size)
    login(page, username)


def _offers_for_the_talent(page) -> str:
    _as(page, "zhangsan", PHONE)
    menu(page, "政策兑现")
    return page.inner_text("main")


def test_feeds_loaded_from_the_page_verify_offer_raise_and_stop(page, tmp_path, talent_user, talent, make_talent,
                                                                 make_user, city_staff, heping_staff, admin_user):
    from rencai.accounts.enums import Role
    from rencai.accounts.models import Department, User

    feeds = {f.kind: f for f in standard_feeds_create()}
    finance_department, _ = Department.objects.get_or_create(name="沈阳市财政局", region_id="210100")
    User.objects.create_user(username="finance", password="pw-for-tests-123", role=Role.STAFF,
                             department=finance_department)
    talent = _employed(talent)
    renter = make_talent(name="钱租房")  # declares renting
    worker = _employed(make_talent(name="孙停保", social_insurance="在本市缴纳"))
    worker.user = make_user("sunworker", Role.TALENT)
    worker.save(update_fields=["user"])
    month = timezone.localdate().replace(day=1)
    last = (month - dt.timedelta(days=1)).replace(day=1)
    budget_line_set(policy_id=REWARD, year=month.year, amount=1_000_000)
    Entitlement.objects.create(talent=worker, policy=REWARD, one_time_fen=6_000_000, start_month=month,
                               end_month=month)
    fulfilment.policy_setting_mark(actor=admin_user, policy_id=LIVING, no_application=True, note="示例")
    number = {t.pk: crypto.decrypt(t.id_number_cipher) for t in (talent, renter, worker)}

    # City staff load the 学历学位认证 file: the talent's degree is verified, their 社保 not yet — no offer.
    _as(page, "city")
    _upload(page, tmp_path, feeds["degree"], "学历认证.csv", [
        ["姓名", "证件号码", "学历", "毕业院校", "毕业日期"],
        [talent.name, number[talent.pk], "博士", "帝国理工学院", "2021-07-01"]])
    assert page.inner_text("#count-new") == "1"
    match_run(as_of=timezone.localdate())
    fulfilment.offers_generate()  # what the worker's daily schedule runs
    assert not Offer.objects.exists()
    assert "高校毕业生生活补贴" not in _offers_for_the_talent(page)

    # The 社保 file of last month: the talent and the renter paid in the city, the worker stopped.
    _as(page, "city")
    _upload(page, tmp_path, feeds["social_insurance"], "社保缴费.csv", [
        ["姓名", "证件号码", "缴费月份", "缴费状态", "参保地", "缴费基数（元）"],
        [talent.name, number[talent.pk], f"{last:%Y-%m}", "正常缴费", "和平区", "9000"],
        [renter.name, number[renter.pk], f"{last:%Y-%m}", "正常缴费", "和平区", "7000"],
        [worker.name, number[worker.pk], f"{last:%Y-%m}", "暂停缴费", "和平区", "6000"]])
    assert page.inner_text("#count-new") == "3"
    match_run(as_of=timezone.localdate())
    assert fulfilment.offers_generate() == 1
    mine = _offers_for_the_talent(page)
    assert "免申即享" in mine and "高校毕业生生活补贴" in mine

    # A 不动产 file: the renter's home registered → a discrepancy; the district officer accepts the feed.
    _as(page, "city")
    _upload(page, tmp_path, feeds["property"], "不动产登记.csv", [
        ["姓名", "证件号码", "登记日期", "房屋坐落区县", "房屋用途"],
        [renter.name, number[renter.pk], "2025-03-18", "和平区", "住宅"]])
    item = Discrepancy.objects.get(talent=renter)
    _as(page, "heping")
    menu(page, "数据中心")
    page.click("a:has-text('待处理疑点')")
    page.click(f"a[href='/datahub/discrepancies/{item.pk}/']")
    assert "不动产登记" in page.inner_text("#evidence")
    page.check("input[name=resolution][value=registry_corrected]")
    page.click("form[data-confirm] button[type=submit]")
    confirm(page)
    assert "已处理" in page.inner_text("main")
    assert Talent.objects.get(pk=renter.pk).housing_status == "owns"

    # Finance runs this month: the worker's reward stops, the 社保 feed named; the worker sees why.
    _as(page, "finance")
    menu(page, "资金发放")
    page.click("#run-start")
    confirm(page, expect=f"为{month:%Y年%-m月}生成发放记录")
    _as(page, "sunworker", PHONE)
    menu(page, "我的待遇")
    assert f"社保缴纳：人社局数据显示{last:%Y年%-m月}暂停缴费" in page.inner_text("main")

    # A department's system pushing with a wrong token is refused, in Chinese, and nothing is loaded.
    before = feeds["social_insurance"].loads.count()
    response = page.request.post(f"{page.base_url}/api/datahub/feeds/{feeds['social_insurance'].pk}/rows",
                                 headers={"Authorization": "Bearer rcdh_wrong", "Content-Type": "application/json"},
                                 data='{"rows": []}')
    assert response.status in (401, 403) and "令牌" in response.json()["message"]
    assert feeds["social_insurance"].loads.count() == before
