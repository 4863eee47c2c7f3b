"""One application of each way, from submission to the talent card, in Chromium: direct recognition (with a
refused upload and the complete notice of missing materials), review recognition (panel, three experts'
scores, the decision) and employer recognition (quota, filing, the office's revocation)."""

import os

import pytest

from rencai.browser import confirm, login, menu
from rencai.recognition.models import Application, Recognition
from rencai.talents.models import Talent

from .conftest import JPEG, PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("RENCAI_SCREENSHOTS")  # a directory: save a screenshot of each step, for reviewing the look


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def upload_missing(page) -> None:
    """Upload a file for every required document still missing, one row at a time, as a person would."""
    n = 0
    while page.locator("#evidence tbody tr.missing").count():
        row = page.locator("#evidence tbody tr.missing").first
        n += 1
        row.locator("input[type=file]").set_input_files(
            files=[{"name": f"证明{n}.pdf", "mimeType": "application/pdf", "buffer": PDF + str(n).encode()}])
        row.locator("button:has-text('上传')").click()
        page.wait_for_load_state()
        assert f"已上传：证明{n}.pdf" in page.inner_text("main")


def open_application(page, number: str) -> None:
    menu(page, "认定审核")
    page.click(f"#queue >> text={number}")


def test_direct_recognition_from_application_to_card(page, talent_user, heping_staff):
    login(page, "zhangsan")
    menu(page, "人才认定")
    assert page.inner_text("#current-category") == "未认定"
    page.click("text=申请人才认定")
    assert "示例标准，须替换" in page.inner_text("#example-notice")
    page.select_option("#f-way", "direct")
    page.select_option("#f-category", "C")
    page.select_option("#f-item", "C03")
    page.click("button:has-text('创建申请')")
    assert "身份证件、在沈工作证明、政府特殊津贴证书" in page.inner_text("#missing-list")

    page.click("#submit-box button:has-text('提交申请')")  # too early: every missing document at once
    assert "缺少“身份证件”" in page.inner_text("#form-error") and "缺少“政府特殊津贴证书”" in page.inner_text(
        "#form-error")
    row = page.locator("#evidence tbody tr.missing").first
    row.locator("input[type=file]").set_input_files(
        files=[{"name": "证书.pdf", "mimeType": "application/pdf", "buffer": b"just text, not a PDF"}])
    row.locator("button:has-text('上传')").click()
    assert "文件内容不是PDF、JPEG或PNG" in page.inner_text("#form-error")
    upload_missing(page)
    assert "必交材料已齐全" in page.inner_text("#submit-box")
    shot(page, "direct-1-ready")
    page.click("#submit-box button:has-text('提交申请')")
    assert page.inner_text("#app-status") == "已提交，待核验材料"
    number = Application.objects.get().number

    login(page, "heping")
    open_application(page, number)
    shot(page, "direct-2-staff-check")
    page.click("#accept-btn")
    confirm(page, expect="认定为C类（领军人才）（符合条目C03）")
    assert page.inner_text("#app-status") == "已认定"
    assert "符合条目C03" in page.inner_text("#decision")
    assert [page.locator("#timeline li").nth(i).get_attribute("data-action") for i in range(4)] == [
        "create", "submit", "accept", "approve"]

    login(page, "zhangsan")
    menu(page, "人才认定")
    assert page.inner_text("#current-category") == "C类"
    page.click("#recognitions a")
    assert page.inner_text("#card-state") == "有效" and "**********" in page.inner_text("#card-id")
    assert page.locator("#card-qr svg").count() == 1
    shot(page, "direct-3-card")
    pdf = page.request.get(page.base_url + page.locator("#card-pdf").get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    page.goto(page.locator("#verify-link").get_attribute("href"))
    assert page.inner_text("#verdict") == "有效" and page.inner_text("#verify-name") == "张*明"
    shot(page, "direct-4-verify")

    page.goto(page.base_url + "/me/")
    assert "高层次人才免租人才公寓" in page.inner_text("main")


def test_review_recognition_through_the_panel_to_card(page, talent_user, heping_staff, experts):
    login(page, "zhangsan")
    page.goto(page.base_url + "/recognition/apply/")
    page.select_option("#f-way", "review")
    page.select_option("#f-category", "C")
    page.fill("#f-statement", "主持汽车焊装产线智能化改造，年节约成本两千万元")
    page.click("button:has-text('创建申请')")
    upload_missing(page)
    page.click("#submit-box button:has-text('提交申请')")
    number = Application.objects.get().number

    login(page, "heping")
    open_application(page, number)
    page.click("#accept-btn")
    confirm(page, expect="申请转入评审")
    assert page.inner_text("#app-status") == "材料齐全"
    assert "钱专家（专家与申请人同一单位）" in page.inner_text("#excluded")
    for expert in experts[:3]:
        page.check(f"#expert-{expert.pk}")
    page.click("#panel-form button")
    confirm(page, expect="所选3位专家")
    assert page.inner_text("#app-status") == "专家评审中"

    for expert, value in zip(experts[:3], ("18", "17", "16"), strict=True):
        login(page, expert.user.username)
        menu(page, "评审任务")
        page.click(f"#assignments >> text={number}")
        for dimension in ("professional", "potential", "experience", "contribution", "remuneration"):
            page.fill(f"#s-{dimension}", value)
        page.fill("#s-comment", "业绩突出，建议认定")
        page.click("#score-form button")
        confirm(page, expect=f"总分{int(value) * 5}分")
        assert "总分" in page.inner_text("#scored")
    shot(page, "review-1-scored")

    login(page, "heping")
    open_application(page, number)
    assert page.locator("#scores tbody tr").count() == 3
    page.click("#conclude-form button")
    confirm(page, expect="平均分85.00分")
    assert page.inner_text("#app-status") == "已认定" and "85.00" in page.inner_text("#review-score")
    shot(page, "review-2-decided")

    login(page, "zhangsan")
    page.goto(page.base_url + "/recognition/mine/")
    page.click("#recognitions a")
    assert "C类（领军人才）" in page.inner_text("#card-category") and page.inner_text("#card-state") == "有效"


def test_employer_recognition_within_its_quota_then_the_office_revokes(page, talent_user, employer_user,
                                                                       authorization, heping_staff):
    login(page, "hr")
    menu(page, "人才认定")
    assert page.inner_text("#quotas tr[data-category='C'] .remaining") == "1"
    page.click("text=自主认定本单位人才")
    page.select_option("#f-way", "employer")
    page.select_option("#f-talent", str(Talent.objects.get(user=talent_user).pk))
    page.select_option("#f-category", "C")
    page.fill("#f-salary", "300000")
    page.click("button:has-text('创建申请')")
    assert "低于本单位C类认定标准500,000元" in page.inner_text("#apply-form")
    page.fill("#f-salary", "650000")
    page.fill("#f-tax", "130000")
    page.fill("#f-market", "25000000")
    page.click("button:has-text('创建申请')")
    row = page.locator("#evidence tbody tr.missing").first
    row.locator("input[type=file]").set_input_files(
        files=[{"name": "身份证.jpg", "mimeType": "image/jpeg", "buffer": JPEG + b"1"}])
    row.locator("button:has-text('上传')").click()
    upload_missing(page)
    page.click("#submit-box button:has-text('提交并完成自主认定')")
    confirm(page, expect="占用本单位C类（领军人才）自主认定名额1个（剩余1个，共1个）")
    assert page.inner_text("#app-status") == "已认定" and "备案" in page.inner_text("#decision")
    menu(page, "人才认定")
    assert page.inner_text("#quotas tr[data-category='C'] .remaining") == "0"
    shot(page, "employer-1-quota")
    recognition = Recognition.objects.get()

    login(page, "heping")
    menu(page, "认定审核")
    page.select_option("#q-way", "employer")
    page.click("button:has-text('查询')")
    page.click(f"#queue >> text={recognition.application.number}")
    page.click("text=查看人才卡")
    verify_url = page.locator("#verify-link").get_attribute("href")
    page.click("summary:has-text('撤销认定')")
    page.fill("#revoke-reason", "抽查发现薪酬申报不实")
    page.click("button:has-text('撤销认定')")
    confirm(page, expect="立即失效")
    assert page.inner_text("#app-status") == "已撤销"
    page.context.clear_cookies()
    page.goto(verify_url)
    assert page.inner_text("#verdict") == "无效（已撤销）"
    shot(page, "employer-2-revoked")
