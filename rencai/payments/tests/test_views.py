"""The payments pages: the talent's own page, bank account collected once (encrypted, masked, logged reveal),
the staff batch flow through the pages, the budget page, and scoping by the talent's current district."""

import datetime as dt
import io

import pytest

from rencai.accounts.enums import Role
from rencai.audit.models import AuditEvent
from rencai.payments import services as payments_services
from rencai.payments.models import BankAccount, BatchLine, PaymentBatch, PaymentSkip, SkipKind
from rencai.payments.run import pay_month
from rencai.talents.models import Talent

from .factories import POLICY, budget, entitlements_for

MONTH = dt.date(2025, 6, 1)


@pytest.fixture
def talent_user(make_talent, make_user):
    user = make_user("talent-1", Role.TALENT)
    talent = make_talent(name="王晓明")
    Talent.objects.filter(pk=talent.pk).update(user=user)
    return user, Talent.objects.get(pk=talent.pk)


@pytest.mark.django_db
def test_talent_sets_account_once_and_sees_schedule_paid_next_and_stops(client, talent_user):
    user, talent = talent_user
    client.force_login(user)
    bad = client.post("/me/payments/account/", {"bank_name": "工行", "account_name": "王晓明",
                                                "account_number": "6222-abc"})
    assert bad.status_code == 422 and "银行账号" in bad.content.decode()
    assert not BankAccount.objects.exists()
    ok = client.post("/me/payments/account/", {"bank_name": "中国工商银行", "account_name": "王晓明",
                                               "account_number": "6222 0212 3456 7890 123"})
    assert ok.status_code == 302
    account = BankAccount.objects.get()
    assert account.account_number_masked == "6222 **** **** 0123"
    assert "6222021234567890123" not in account.account_number_cipher
    entitlements_for([talent], start=dt.date(2025, 5, 1))
    budget(POLICY, 2025, 1_000_000)
    pay_month(month=dt.date(2025, 5, 1))
    PaymentSkip.objects.create(entitlement=talent.entitlements.get(), month=MONTH, kind=SkipKind.STOPPED,
                               reason="本月复核不再符合条件：学历")
    page = client.get("/me/payments/").content.decode()
    assert "高校毕业生生活补贴" in page and "每月 2500.00 元，共 36 个月" in page
    assert "6222 **** **** 0123" in page and "6222021234567890123" not in page
    assert "2025年6月：停发，本月复核不再符合条件：学历" in page
    assert "下一笔：2025年7月，2500.00 元" in page
    # Reveal: the owner may, with a reason, and it is logged.
    assert client.post(f"/payments/accounts/{account.pk}/reveal/", {"reason": ""}).status_code == 422
    answer = client.post(f"/payments/accounts/{account.pk}/reveal/", {"reason": "核对账号"})
    assert answer.json() == {"account_number": "6222021234567890123"}
    assert AuditEvent.objects.filter(action="reveal", object_type="payments.bankaccount").count() == 1


@pytest.mark.django_db
def test_staff_batch_flow_through_pages_and_a_refused_approval_is_logged(client, make_talent, city_staff,
                                                                         finance):
    talent = make_talent()
    payments_services.bank_account_set(actor=city_staff, talent=talent, bank_name="中国银行",
                                       account_name=talent.name, account_number="6216600000001234")
    entitlements_for([talent], start=dt.date(2025, 1, 1))
    budget(POLICY, 2025, 1_000_000)
    pay_month(month=MONTH)
    client.force_login(city_staff)
    assert client.post("/payments/batches/new/", {"confirmed": "1"}).status_code == 302
    batch = PaymentBatch.objects.get()
    assert "待审批" in client.get(f"/payments/batches/{batch.pk}/").content.decode()
    refused = client.post(f"/payments/batches/{batch.pk}/approve/", {"confirmed": "1"})
    assert refused.status_code == 403
    assert AuditEvent.objects.filter(action="denied", object_type="payments.paymentbatch").exists()
    client.force_login(finance)
    assert client.post(f"/payments/batches/{batch.pk}/approve/", {"confirmed": "1"}).status_code == 302
    bank = client.get(f"/payments/batches/{batch.pk}/bank.csv")
    assert bank.status_code == 200 and b"6216600000001234" in bank.content
    reference = BatchLine.objects.get().reference
    client.force_login(city_staff)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("r.csv", f"reference,amount,result,reason\n{reference},9.99,paid,\n".encode())
    bad = client.post(f"/payments/batches/{batch.pk}/return/", {"file": upload})
    assert bad.status_code == 422 and "第2行" in bad.content.decode()
    upload = SimpleUploadedFile("r.csv", f"reference,amount,result,reason\n{reference},2500.00,paid,\n".encode())
    assert client.post(f"/payments/batches/{batch.pk}/return/", {"file": upload}).status_code == 302
    assert client.get(f"/payments/batches/{batch.pk}/").content.decode().count("已到账") >= 1
    budgets = client.get("/payments/budgets/?year=2025").content.decode()
    assert "高校毕业生生活补贴" in budgets and "2500.00" in budgets
    assert client.get("/payments/budgets/?year=abc").status_code == 400


@pytest.mark.django_db
def test_lists_follow_the_talents_current_district(client, make_talent, admin_user, heping_staff, hunnan_staff):
    from rencai.payments import selectors
    from rencai.talents.services import talent_update

    talent = make_talent(name="迁出者")
    entitlements_for([talent], start=dt.date(2025, 1, 1))
    budget(POLICY, 2025, 1_000_000)
    pay_month(month=MONTH)
    assert selectors.entitlements_visible(user=heping_staff).count() == 1
    assert selectors.payments_visible(user=heping_staff).count() == 1
    talent_update(actor=admin_user, talent_id=talent.pk, changes={"district": "浑南区"})
    assert selectors.entitlements_visible(user=heping_staff).count() == 0
    assert selectors.payments_visible(user=heping_staff).count() == 0
    assert selectors.payments_visible(user=hunnan_staff).count() == 1
    client.force_login(heping_staff)
    assert "迁出者" not in client.get("/payments/entitlements/").content.decode()
    client.force_login(hunnan_staff)
    assert "迁出者" in client.get("/payments/entitlements/").content.decode()


@pytest.mark.django_db
def test_batch_page_and_export_show_a_district_officer_only_their_districts_lines(
        client, make_talent, city_staff, heping_staff, finance):
    """A city-wide batch: the 和平区 officer's page and Excel list the 和平区 lines only (the envelope stays the
    batch's), and the bank file — every district's full account numbers — is neither offered nor given them."""
    import openpyxl

    from .factories import clone_talents

    heping = clone_talents(make_talent(name="和平甲"), 2)
    hunnan = make_talent(name="浑南乙", district="浑南区")
    for i, talent in enumerate([*heping, hunnan]):
        payments_services.bank_account_set(actor=city_staff, talent=talent, bank_name="中国银行",
                                           account_name=talent.name, account_number=f"621660000000{i:04d}")
    entitlements_for([*heping, hunnan], start=dt.date(2025, 1, 1))
    budget(POLICY, 2025, 1_000_000)
    pay_month(month=MONTH)
    client.force_login(city_staff)
    assert client.post("/payments/batches/new/", {"confirmed": "1"}).status_code == 302
    batch = PaymentBatch.objects.get()
    client.force_login(finance)
    assert client.post(f"/payments/batches/{batch.pk}/approve/", {"confirmed": "1"}).status_code == 302
    finance_page = client.get(f"/payments/batches/{batch.pk}/").content.decode()
    assert "浑南乙" in finance_page and finance_page.count("和平甲") == 2 and 'id="bank-file"' in finance_page

    client.force_login(heping_staff)
    page = client.get(f"/payments/batches/{batch.pk}/").content.decode()
    assert page.count("和平甲") == 2 and "浑南乙" not in page
    assert "3 笔" in page and "管辖范围内的 2 笔" in page  # the envelope, and what the officer sees of it
    assert 'id="bank-file"' not in page
    export = client.get(f"/payments/batches/{batch.pk}/export.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True))
    assert sorted(row[1] for row in rows) == ["和平甲", "和平甲"]
    assert AuditEvent.objects.get(action="export", actor=heping_staff).row_count == 2
    refused = client.get(f"/payments/batches/{batch.pk}/bank.csv")
    assert refused.status_code == 403 and "6216600000" not in refused.content.decode()
    assert AuditEvent.objects.filter(action="denied", actor=heping_staff, object_id=str(batch.pk)).count() == 1
