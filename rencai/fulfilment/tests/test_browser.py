"""In Chromium, as a new user would: from 我的档案's 您可能符合 to an application (the missing materials listed at
once), through each department's queue (区人社 → 市人社 → 市财政), to an approved grant the talent sees."""

import pytest

from rencai.fulfilment.models import Application
from rencai.payments.models import Entitlement

from .conftest import POLICY, put_on_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-123")
    page.click("button[type=submit]")
    page.wait_for_url(page.base_url + "/")


def approve_in_queue(page, username: str, number: str) -> None:
    login(page, username)
    page.click("header nav >> text=兑现审批")
    page.click(f"#queue >> text={number}")
    page.click("summary:has-text('通过')")
    page.fill("#reason", "材料齐全，同意")
    page.click("#approve-btn")
    page.wait_for_load_state()
    assert "已办理" in page.inner_text("main")


def test_talent_applies_and_three_departments_approve(page, talent_user, talent, heping_staff, city_staff,
                                                      finance_staff, budget):
    budget()
    login(page, "zhangsan")
    page.click("header nav >> text=我的档案")
    page.click(f"tr[data-policy='{POLICY}'] >> text=申请")
    main = page.inner_text("main")
    assert "学位证书：缺少" in main and "劳动合同：缺少" in main  # 一次性告知: both at once
    put_on_file(talent_user, talent)
    page.reload()
    assert "缺少" not in page.inner_text("#documents")
    page.click("#submit")
    page.wait_for_load_state()
    application = Application.objects.get()
    assert application.number in page.inner_text("main") and "区人社局审核" in page.inner_text("#status")

    approve_in_queue(page, "heping", application.number)
    approve_in_queue(page, "city", application.number)
    approve_in_queue(page, "finance", application.number)
    assert "已批准" in page.inner_text("#status")

    login(page, "zhangsan")
    page.goto(page.base_url + f"/fulfilment/applications/{application.pk}/")
    timeline = page.inner_text("#timeline")
    assert timeline.count("审核通过") == 3 and "财政局" in timeline
    assert Entitlement.objects.filter(talent=talent, policy=POLICY).count() == 1
