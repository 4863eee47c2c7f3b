"""The payments API: a talent's schedules, payments and bank account (masked); budget lines; entitlements and
batches scoped by jurisdiction; finance approves or rejects a batch (without the role: 403, logged); the bank's
returned file (a bad line: every bad line reported by number, nothing changed). Money is a decimal string.
Every response is checked against /api/openapi.json."""

import csv
import datetime as dt
import io

import pytest

from rencai.accounts.enums import Role
from rencai.audit.models import AuditEvent
from rencai.core.openapi_check import checked_body, post_json
from rencai.notifications.models import Notification
from rencai.payments.models import BankAccount, BudgetLine, Payment, PaymentBatch, PaymentSkip, SkipKind
from rencai.payments.run import pay_month
from rencai.talents.models import Talent

from .factories import POLICY, budget, clone_talents, entitlements_for, june_prepared, returned_file

pytestmark = pytest.mark.django_db
BASE = "/api/payments"
MONTH = dt.date(2025, 6, 1)


def check(response, method: str, path: str) -> dict:
    return checked_body(response, method, BASE + path)


post = post_json


@pytest.fixture
def prepared(make_talent, city_staff):
    """Three 和平区 talents and one 浑南区 talent, each with an account and June's 2500.00 prepared."""
    return june_prepared([*clone_talents(make_talent(name="和平甲"), 3), make_talent(name="浑南乙", district="浑南区")],
                         actor=city_staff)


def test_talent_sets_the_account_once_and_sees_paid_next_and_stopped(client, make_talent, make_user):
    user = make_user("talent-1", Role.TALENT)
    talent = make_talent(name="王晓明")
    Talent.objects.filter(pk=talent.pk).update(user=user)
    client.force_login(user)
    empty = check(client.get(f"{BASE}/mine"), "get", "/mine")
    assert empty == {"account": None, "entitlements": []}
    bad = client.put(f"{BASE}/mine/account", {"bank_name": "工", "account_name": "王晓明",
                                              "account_number": "6222-abc"}, content_type="application/json")
    body = check(bad, "put", "/mine/account")
    assert bad.status_code == 422 and {e["field"] for e in body["errors"]} == {"bank_name", "account_number"}
    assert "银行账号" in body["message"] and "开户银行" in body["message"]
    not_text = client.put(f"{BASE}/mine/account", {"bank_name": "中国工商银行", "account_name": "王晓明",
                                                   "account_number": 6222021234567890123},
                          content_type="application/json")
    assert not_text.status_code == 422 and "银行账号" in not_text.json()["message"]
    assert not BankAccount.objects.exists()
    saved = client.put(f"{BASE}/mine/account", {"bank_name": "中国工商银行", "account_name": "王晓明",
                                                "account_number": "6222 0212 3456 7890 123"},
                       content_type="application/json")
    assert check(saved, "put", "/mine/account")["account_number_masked"] == "6222 **** **** 0123"
    assert "6222021234567890123" not in saved.content.decode()

    entitlements_for([talent], start=dt.date(2025, 5, 1))
    budget(POLICY, 2025, 1_000_000)
    pay_month(month=dt.date(2025, 5, 1))
    PaymentSkip.objects.create(entitlement=talent.entitlements.get(), month=MONTH, kind=SkipKind.STOPPED,
                               reason="本月复核不再符合条件：学历")
    mine = client.get(f"{BASE}/mine")
    body = check(mine, "get", "/mine")
    assert "6222021234567890123" not in mine.content.decode()
    [schedule] = body["entitlements"]
    assert schedule["policy_title"] == "高校毕业生生活补贴" and schedule["status_label"] == "发放中"
    assert (schedule["monthly_amount"], schedule["months"], schedule["total"]) == ("2500.00", 36, "90000.00")
    assert schedule["payments"][0]["month"] == "2025-05-01" and schedule["payments"][0]["amount"] == "2500.00"
    assert schedule["paid_total"] == "0.00"  # prepared, not yet confirmed by the bank
    assert schedule["skips"] == [{"month": "2025-06-01", "kind": "stopped", "kind_label": "停发",
                                  "reason": "本月复核不再符合条件：学历"}]
    assert (schedule["next_month"], schedule["next_amount"]) == ("2025-07-01", "2500.00")


def test_only_a_talent_with_a_record_has_payments_of_their_own(client, city_staff):
    client.force_login(city_staff)
    refused = client.get(f"{BASE}/mine")
    assert refused.status_code == 403 and "人才" in check(refused, "get", "/mine")["message"]
    account = client.put(f"{BASE}/mine/account", {"bank_name": "中国银行", "account_name": "某某",
                                                  "account_number": "6216600000001234"},
                         content_type="application/json")
    assert account.status_code == 403 and not BankAccount.objects.exists()
    client.logout()
    assert client.get(f"{BASE}/mine").status_code == 401


def test_budget_lines_with_committed_paid_remaining_and_forecast(client, prepared, city_staff, leader, talent_user):
    BudgetLine.objects.filter(policy=POLICY, year=2025).update(committed_fen=1_234_567)
    client.force_login(leader)
    rows = check(client.get(f"{BASE}/budgets", {"year": 2025}), "get", "/budgets")
    line = next(r for r in rows if r["policy"] == POLICY)
    assert line["has_line"] is True and line["policy_title"] == "高校毕业生生活补贴"
    assert (line["amount"], line["committed"], line["paid"], line["remaining"]) == (
        "1000000.00", "12345.67", "0.00", "987654.33")
    # Four entitlements of 2500 a month from 2025-01 for 36 months: all twelve months of 2026.
    assert line["forecast_next_year"] == "120000.00" and line["forecast_pending"] == "0.00"
    for year in ("1999", "99999", "abc"):
        bad = client.get(f"{BASE}/budgets", {"year": year})
        assert bad.status_code in (400, 422) and "年度" in check(bad, "get", "/budgets")["message"]
    client.force_login(talent_user)
    assert client.get(f"{BASE}/budgets").status_code == 403


def test_entitlements_are_scoped_by_the_talents_current_district(client, prepared, heping_staff, hunnan_staff):
    client.force_login(hunnan_staff)
    body = check(client.get(f"{BASE}/entitlements"), "get", "/entitlements")
    assert [r["talent_name"] for r in body["results"]] == ["浑南乙"] and body["results"][0]["total"] == "90000.00"
    client.force_login(heping_staff)
    assert client.get(f"{BASE}/entitlements").json()["count"] == 3
    # The talent moves: the old district's list loses them at once.
    Talent.objects.filter(pk=prepared[-1].pk).update(district_id="210102")
    assert client.get(f"{BASE}/entitlements").json()["count"] == 4
    client.force_login(hunnan_staff)
    assert client.get(f"{BASE}/entitlements").json()["count"] == 0
    bad = client.get(f"{BASE}/entitlements", {"status": "paused"})
    assert bad.status_code == 422 and "状态" in check(bad, "get", "/entitlements")["message"]


def test_batch_create_reject_approve_and_the_returned_file(client, prepared, city_staff, heping_staff, finance):
    client.force_login(city_staff)
    bad_month = post(client, f"{BASE}/batches", {"month": "2025-13"})
    assert bad_month.status_code == 422 and "所属月份" in check(bad_month, "post", "/batches")["message"]
    created = post(client, f"{BASE}/batches", {"month": "2025-06"})
    batch = check(created, "post", "/batches")
    assert created.status_code == 201 and (batch["count"], batch["total"], batch["status"]) == (4, "10000.00",
                                                                                               "draft")
    assert batch["lines"]["count"] == 4 and batch["may_approve"] is False
    nothing = post(client, f"{BASE}/batches", {"month": "2025-06"})
    assert nothing.status_code == 409 and check(nothing, "post", "/batches")["code"] == "nothing_to_batch"

    # Without the role a decision is refused (403) and logged; the batch stays a draft.
    for action, body in (("approve", None), ("reject", {"reason": "金额有误"})):
        refused = post(client, f"{BASE}/batches/{batch['id']}/{action}", body)
        assert refused.status_code == 403 and check(refused, "post", f"/batches/{{batch_id}}/{action}")["message"]
    assert AuditEvent.objects.filter(action="denied", actor=city_staff,
                                     object_type="payments.paymentbatch").count() == 2

    client.force_login(finance)
    no_reason = post(client, f"{BASE}/batches/{batch['id']}/reject", {"reason": ""})
    assert no_reason.status_code == 422 and "退回原因" in check(no_reason, "post", "/batches/{batch_id}/reject")[
        "message"]
    rejected = post(client, f"{BASE}/batches/{batch['id']}/reject", {"reason": "请核对收款账户后重报"})
    assert check(rejected, "post", "/batches/{batch_id}/reject")["status"] == "rejected"
    assert not PaymentBatch.objects.exists() and set(Payment.objects.values_list("status", flat=True)) == {
        "prepared"}
    assert Notification.objects.filter(recipient=city_staff, title__contains="被财政退回").exists()
    assert AuditEvent.objects.filter(actor=finance, summary__contains="请核对收款账户后重报").exists()

    client.force_login(city_staff)
    batch = post(client, f"{BASE}/batches", {"month": "2025-06"}).json()
    client.force_login(finance)
    approved = post(client, f"{BASE}/batches/{batch['id']}/approve")
    assert check(approved, "post", "/batches/{batch_id}/approve")["status"] == "approved"
    twice = post(client, f"{BASE}/batches/{batch['id']}/approve")
    assert twice.status_code == 409 and check(twice, "post", "/batches/{batch_id}/approve")["message"]
    # Without the role, deciding an already decided batch is still a 403 (permission before state), logged.
    client.force_login(city_staff)
    for action, body in (("approve", None), ("reject", {"reason": "金额有误"})):
        refused = post(client, f"{BASE}/batches/{batch['id']}/{action}", body)
        assert refused.status_code == 403, (action, refused.content)
    assert AuditEvent.objects.filter(action="denied", actor=city_staff,
                                     object_type="payments.paymentbatch").count() == 4
    client.force_login(finance)
    late_reject = post(client, f"{BASE}/batches/{batch['id']}/reject", {"reason": "金额有误"})
    assert late_reject.status_code == 409

    bank_file = client.get(f"{BASE}/batches/{batch['id']}/bank-file")
    assert bank_file.status_code == 200 and bank_file["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(bank_file.content.decode("utf-8-sig"))))
    assert rows[0] == ["BATCH", batch["number"], "4", "10000.00", "2025-06"] and len(rows) == 6
    references = [row[0] for row in rows[2:]]
    assert AuditEvent.objects.filter(action="export", actor=finance, object_type="payments.paymentbatch").exists()

    client.force_login(city_staff)
    detail = check(client.get(f"{BASE}/batches/{batch['id']}"), "get", "/batches/{batch_id}")
    assert [line["reference"] for line in detail["lines"]["results"]] == references
    assert {line["amount"] for line in detail["lines"]["results"]} == {"2500.00"}
    url = f"{BASE}/batches/{batch['id']}/returns"
    bad = client.post(url, {"file": returned_file([
        "reference,amount,result,reason", f"{references[0]},2500.00,paid,", "PB000000-0000001,2500.00,paid,",
        f"{references[1]},2400.00,paid,", f"{references[2]},2500.00,maybe,"])})
    body = check(bad, "post", "/batches/{batch_id}/returns")
    assert bad.status_code == 422 and [e["message"][:3] for e in body["errors"]] == ["第3行", "第4行", "第5行"]
    assert set(Payment.objects.values_list("status", flat=True)) == {"batched"}
    good = client.post(url, {"file": returned_file([
        "reference,amount,result,reason", f"{references[0]},2500.00,paid,", f"{references[1]},2500.00,成功,",
        f"{references[2]},2500.00,paid,", f"{references[3]},2500.00,failed,账户已销户"])})
    assert check(good, "post", "/batches/{batch_id}/returns") == {"paid": 3, "failed": 1, "unchanged": 0}
    assert BudgetLine.objects.get().paid_fen == 750_000
    missing = client.post(url, {})
    assert missing.status_code in (400, 422) and "银行回盘文件" in missing.json()["message"]

    # Scoping: a 和平区 officer sees the batch, but only the lines of 和平区 talents.
    client.force_login(heping_staff)
    seen = check(client.get(f"{BASE}/batches/{batch['id']}"), "get", "/batches/{batch_id}")
    assert seen["count"] == 4 and seen["lines"]["count"] == 3
    assert "浑南乙" not in {line["talent_name"] for line in seen["lines"]["results"]}
    listing = check(client.get(f"{BASE}/batches"), "get", "/batches")
    assert [b["number"] for b in listing["results"]] == [batch["number"]] and listing["results"][0]["total"] == (
        "10000.00")


def test_batches_are_for_government_users_only(client, prepared, talent_user, city_staff):
    client.force_login(city_staff)
    batch = post(client, f"{BASE}/batches", {}).json()
    client.force_login(talent_user)
    assert client.get(f"{BASE}/batches").status_code == 403
    assert client.get(f"{BASE}/batches/{batch['id']}").status_code == 403
    assert post(client, f"{BASE}/batches", {}).status_code == 403
    assert post(client, f"{BASE}/batches/{batch['id']}/approve").status_code == 404
    refused = client.get(f"{BASE}/batches/{batch['id']}/bank-file")
    assert refused.status_code == 404 and refused["Content-Type"].startswith("application/json")
    huge = client.get(f"{BASE}/batches/{10**30}")
    assert huge.status_code == 422 and "发放批次" in huge.json()["message"]
    client.force_login(city_staff)
    cancelled = post(client, f"{BASE}/batches/{batch['id']}/cancel")
    assert check(cancelled, "post", "/batches/{batch_id}/cancel")["status"] == "cancelled"
    assert not PaymentBatch.objects.exists()


def test_the_bank_file_is_for_those_who_approve_batches_only(client, prepared, city_staff, heping_staff, finance,
                                                             admin_user, leader):
    """The bank file has every district's full account numbers: a district or city officer who may reveal
    numbers is still refused (403, logged), before and after approval; finance and administrators download it,
    each download logged as an export (who, which batch, how many lines)."""
    client.force_login(city_staff)
    batch = post(client, f"{BASE}/batches", {"month": "2025-06"}).json()
    path = "/batches/{batch_id}/bank-file"
    url = f"{BASE}/batches/{batch['id']}/bank-file"
    assert heping_staff.has_perm("talents.reveal_personal_data") and city_staff.has_perm(
        "talents.reveal_personal_data")

    client.force_login(finance)
    draft = client.get(url)  # the approver is told it is not approved yet (409); the others, that it is not theirs
    assert draft.status_code == 409 and "审批" in check(draft, "get", path)["message"]
    for officer in (heping_staff, city_staff):
        client.force_login(officer)
        refused = client.get(url)
        assert refused.status_code == 403 and "银行发放文件" in check(refused, "get", path)["message"]
    assert post(client, f"{BASE}/batches/{batch['id']}/approve").status_code == 403  # city_staff cannot approve
    client.force_login(finance)
    assert post(client, f"{BASE}/batches/{batch['id']}/approve").status_code == 200
    for officer in (heping_staff, city_staff, leader):
        client.force_login(officer)
        refused = client.get(url)
        assert refused.status_code == 403 and refused["Content-Type"].startswith("application/json")
        assert "62220200000000" not in refused.content.decode()
    assert AuditEvent.objects.filter(action="denied", actor=heping_staff, object_id=str(batch["id"]),
                                     summary__contains="银行发放文件").count() == 2
    assert not AuditEvent.objects.filter(action="export").exists()

    for approver in (finance, admin_user):
        client.force_login(approver)
        downloaded = client.get(url)
        assert downloaded.status_code == 200
        rows = list(csv.reader(io.StringIO(downloaded.content.decode("utf-8-sig"))))
        assert len(rows[2:]) == 4 and {row[3] for row in rows[2:]} == {f"62220200000000{i:04d}" for i in range(4)}
        export = AuditEvent.objects.get(action="export", actor=approver)
        assert (export.object_type, export.object_id, export.row_count) == ("payments.paymentbatch",
                                                                            str(batch["id"]), 4)
