"""In Chromium, the path issue 7 is checked by, as new users would take it: a talent (on a phone, 390×844) goes
from the calculator's result to the pre-filled application (the missing materials listed at once, then uploaded
to the 材料库), each department's queue approves (区人社 → 市人社 → 市财政), the talent registers a bank account
once, finance starts this month's payment run from 资金发放 and follows its progress to its figures, 市人社 puts
the payment in a batch, finance approves it and downloads the bank file (its envelope and the payment's line read
back from the file), the bank's returned file is uploaded, and the talent sees the month paid and what is next."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from rencai import browser
from rencai.browser import confirm, menu
from rencai.fulfilment.models import Application
from rencai.jobs.models import Job, JobStatus
from rencai.payments.models import BatchLine, Entitlement, Payment, PaymentBatch, add_months

from .conftest import PDF, POLICY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ACCOUNT = "6222021234567890123"


def login(page, username: str, *, size: dict = DESKTOP) -> None:
    page.set_viewport_size(size)
    browser.login(page, username)


def go(page, label: str) -> None:
    """The main menu (behind 菜单 on a phone; a page in a group behind the group's word)."""
    menu(page, label)


def approve_in_queue(page, username: str, number: str) -> None:
    login(page, username)
    go(page, "兑现审批")
    page.click(f"#queue >> text={number}")
    page.fill("#reason", "材料齐全，同意")
    page.click("#approve-btn")
    confirm(page, expect="环节审核通过")
    assert "已办理" in page.inner_text("main")


def upload_document(page, kind: str, path) -> None:
    page.select_option("#doc-kind", kind)
    page.set_input_files("#doc-file", str(path))
    page.click("#upload-form button[type=submit]")
    page.wait_for_load_state()
    assert "已上传" in page.inner_text("main")


def test_from_the_calculator_to_a_paid_month(page, settings, tmp_path, talent_user, talent, heping_staff,
                                             city_staff, finance_staff, budget):
    budget()
    finance_staff.user_permissions.add(Permission.objects.get(codename="approve_batch"))
    month = timezone.localdate().replace(day=1)

    # The talent, on a phone: the calculator's result → 申请 → everything missing at once → the 材料库 → submit.
    login(page, "zhangsan", size=PHONE)
    go(page, "政策计算器")
    page.select_option("#id_degree", "doctor")
    page.fill("#id_birth_date", "1990-01-01")
    page.click("#calc-form button[type=submit]")
    page.click(f"#results-eligible [data-policy='{POLICY}'] >> text=申请")
    assert page.url.endswith(f"/fulfilment/apply/{POLICY}/")
    documents = page.inner_text("#documents")
    assert "学位证书：缺少" in documents and "劳动合同：缺少" in documents  # 一次性告知: both at once
    page.click("text=去材料库上传")
    for n, kind in enumerate(["degree", "labour_contract"]):
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(PDF + f"% {kind} {n}\n".encode())
        upload_document(page, kind, path)
    go(page, "政策兑现")
    page.click("#suggestions tr:has-text('高校毕业生生活补贴') >> text=申请")
    assert "缺少" not in page.inner_text("#documents")
    page.click("#submit")
    page.wait_for_load_state()
    application = Application.objects.get()
    assert application.number in page.inner_text("main") and "区人社局审核" in page.inner_text("#status")

    # Each department's queue: 区人社 → 市人社 → 市财政.
    approve_in_queue(page, "heping", application.number)
    approve_in_queue(page, "city", application.number)
    approve_in_queue(page, "finance", application.number)
    assert "已批准" in page.inner_text("#status")
    assert Entitlement.objects.filter(talent=talent, policy=POLICY, start_month=month).count() == 1

    # The talent registers a bank account once.
    login(page, "zhangsan", size=PHONE)
    go(page, "我的待遇")
    page.fill("#bank_name", "中国工商银行沈阳分行")
    page.fill("#account_number", ACCOUNT)
    page.click("#bank-account button[type=submit]")
    page.wait_for_load_state()
    assert "6222 **** **** 0123" in page.inner_text("#bank-account") and ACCOUNT not in page.content()

    # Finance starts this month's run from the page. The queue is the database's, as in production, and nothing
    # takes the task until this test acts as the worker: the page shows the job waiting, polls, and shows the
    # figures once the run has finished.
    immediate = settings.TASKS
    settings.TASKS = {**immediate, "default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    login(page, "finance")
    go(page, "资金发放")
    assert page.input_value("#run-month") == f"{month:%Y-%m}"
    page.click("#run-start")
    confirm(page, expect=f"为{month:%Y年%-m月}生成发放记录")
    assert "排队中" in page.inner_text(".job-progress") and "已在后台开始" in page.inner_text("main")
    job = Job.objects.get(kind="pay_month")
    from rencai.jobs.services import job_run

    assert job_run(job.pk) == "succeeded"
    page.wait_for_selector("#run-results", timeout=10_000)  # the poll sees it finished and reloads the page
    row = page.locator(f"#run-results tr[data-job='{job.pk}']")
    assert row.locator(".run-created").inner_text() == "1"
    assert row.locator(".run-amount-created").inner_text() == "2500.00"
    assert row.locator(".run-month-total").inner_text() == "1 笔，2500.00 元"
    assert page.locator(".job-progress").count() == 0 and Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED
    settings.TASKS = immediate

    # 市人社 puts the month's payment in a batch (whoever makes a batch may not approve it) …
    login(page, "city")
    go(page, "资金发放")
    page.click("summary:has-text('生成发放批次')")
    page.click("text=确认生成批次")
    confirm(page, expect="编入一个新批次")
    batch = PaymentBatch.objects.get()
    assert batch.number in page.inner_text("h1") and "待审批" in page.inner_text("#batch-status")

    # … finance approves it and downloads the bank file: the envelope declares count and total.
    login(page, "finance")
    go(page, "资金发放")
    page.click(f"#batches >> text={batch.number}")
    page.click("summary:has-text('财政审批')")
    page.click("text=确认审批通过")
    confirm(page, expect=f"批次{batch.number}（1笔，合计2500.00元）")
    assert "已审批" in page.inner_text("#batch-status")
    with page.expect_download() as download:
        page.click("#bank-file")
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
    assert rows[0] == ["BATCH", batch.number, "1", "2500.00", f"{month:%Y-%m}"]
    assert rows[1][:5] == ["reference", "account_name", "bank_name", "account_number", "amount"]
    line = BatchLine.objects.get()
    assert len(rows) == 3 and rows[2] == [line.reference, "张三明", "中国工商银行沈阳分行", ACCOUNT, "2500.00",
                                          f"高校毕业生生活补贴 {month:%Y-%m}"]

    # The bank's returned file, as a file: the line paid.
    returned = tmp_path / "回盘.csv"
    returned.write_text(f"reference,amount,result,reason\n{rows[2][0]},{rows[2][4]},paid,\n", encoding="utf-8")
    page.set_input_files("#return-file", str(returned))
    page.click("#return-form button[type=submit]")
    page.wait_for_load_state()
    assert "到账1笔" in page.inner_text("main") and "已回盘" in page.inner_text("#batch-status")
    assert Payment.objects.get().status == "paid"

    # The talent sees the month paid, and what is next.
    login(page, "zhangsan", size=PHONE)
    go(page, "我的待遇")
    schedule = page.inner_text(".schedule")
    following = add_months(month, 1)
    assert "已到账合计 2500.00 元" in schedule
    assert f"{month.year}年{month.month}月\t2500.00\t已到账" in schedule
    assert f"下一笔：{following.year}年{following.month}月，2500.00 元" in schedule
