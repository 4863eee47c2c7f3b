"""Batches, the bank file out and the returned file in: good file, a bad line, a retry never paid twice."""

import csv
import datetime as dt
import io

import pytest

from rencai.core.errors import Conflict, PermissionDenied, ValidationFailed
from rencai.payments import batches
from rencai.payments.models import BatchLine, BudgetLine, Payment, PaymentStatus

from .factories import clone_talents, june_prepared, returned_file

MONTH = dt.date(2025, 6, 1)


@pytest.fixture
def prepared(make_talent, city_staff):
    return june_prepared(clone_talents(make_talent(), 3), actor=city_staff)


def _bank_lines(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.django_db
def test_bank_file_envelope_and_a_good_returned_file(prepared, city_staff, finance):
    batch = batches.batch_create(actor=city_staff, month=MONTH)
    assert (batch.count, batch.total_fen) == (3, 750_000)
    with pytest.raises(Conflict):
        batches.bank_file(actor=finance, batch_id=batch.pk)  # not approved yet
    with pytest.raises(PermissionDenied):
        batches.batch_transition(actor=city_staff, batch_id=batch.pk, action="approve")
    batches.batch_transition(actor=finance, batch_id=batch.pk, action="approve")
    content, _name = batches.bank_file(actor=finance, batch_id=batch.pk)
    rows = _bank_lines(content)
    assert rows[0] == ["BATCH", batch.number, "3", "7500.00", "2025-06"]
    assert rows[1] == batches.BANK_COLUMNS
    assert len(rows) == 2 + 3 and len({r[0] for r in rows[2:]}) == 3
    assert rows[2][3] == "622202000000000000" and rows[2][4] == "2500.00"
    assert rows[2][5] == "高校毕业生生活补贴 2025-06"  # the purpose a talent reads on a statement: no policy id
    returned = ["reference,amount,result,reason", f"{rows[2][0]},2500.00,paid,", f"{rows[3][0]},2500.00,成功,",
                f"{rows[4][0]},2500.00,failed,账户已销户"]
    assert batches.batch_return_import(actor=city_staff, batch_id=batch.pk, upload=returned_file(returned)) == \
        {"paid": 2, "failed": 1, "unchanged": 0}
    statuses = sorted(Payment.objects.values_list("status", flat=True))
    assert statuses == [PaymentStatus.FAILED, PaymentStatus.PAID, PaymentStatus.PAID]
    assert Payment.objects.get(status=PaymentStatus.FAILED).reason == "账户已销户"
    assert BudgetLine.objects.get().paid_fen == 500_000
    # The same file again changes nothing.
    assert batches.batch_return_import(actor=city_staff, batch_id=batch.pk, upload=returned_file(returned)) == \
        {"paid": 0, "failed": 0, "unchanged": 3}
    assert BudgetLine.objects.get().paid_fen == 500_000
    xlsx, _ = batches.batch_xlsx(actor=finance, batch_id=batch.pk)
    assert xlsx[:2] == b"PK"


@pytest.mark.django_db
def test_a_bad_line_changes_nothing_and_every_bad_line_is_named(prepared, city_staff, finance):
    batch = batches.batch_create(actor=city_staff, month=MONTH)
    batches.batch_transition(actor=finance, batch_id=batch.pk, action="approve")
    refs = list(BatchLine.objects.order_by("pk").values_list("reference", flat=True))
    returned = ["reference,amount,result,reason", f"{refs[0]},2500.00,paid,", "PB-NOPE-1,2500.00,paid,",
                f"{refs[1]},2500.01,paid,", f"{refs[2]},2500.00,maybe,"]
    with pytest.raises(ValidationFailed) as info:
        batches.batch_return_import(actor=city_staff, batch_id=batch.pk, upload=returned_file(returned))
    messages = [e.message for e in info.value.errors]
    assert [m[:4] for m in messages] == ["第3行：", "第4行：", "第5行："]
    assert "不属于本批次" in messages[0] and "金额" in messages[1]
    assert not Payment.objects.filter(status=PaymentStatus.PAID).exists()
    assert set(BatchLine.objects.values_list("result", flat=True)) == {"pending"}
    assert BudgetLine.objects.get().paid_fen == 0


@pytest.mark.django_db
def test_failed_payment_is_retried_in_a_later_batch_and_never_paid_twice(prepared, city_staff, finance):
    first = batches.batch_create(actor=city_staff, month=MONTH)
    batches.batch_transition(actor=finance, batch_id=first.pk, action="approve")
    refs = list(first.lines.order_by("pk").values_list("reference", flat=True))
    batches.batch_return_import(actor=city_staff, batch_id=first.pk, upload=returned_file(
        ["reference,amount,result,reason", f"{refs[0]},2500,paid,", f"{refs[1]},2500,paid,",
         f"{refs[2]},2500,failed,户名不符"]))
    second = batches.batch_create(actor=city_staff, month=MONTH)
    assert second.count == 1
    retry = second.lines.get()
    assert retry.payment_id == first.lines.get(reference=refs[2]).payment_id and retry.reference not in refs
    with pytest.raises(Conflict):  # nothing else payable: paid ones are never batched again
        batches.batch_create(actor=city_staff, month=MONTH)
    batches.batch_transition(actor=finance, batch_id=second.pk, action="approve")
    batches.batch_return_import(actor=city_staff, batch_id=second.pk, upload=returned_file(
        ["reference,amount,result,reason", f"{retry.reference},2500.00,paid,"]))
    assert Payment.objects.filter(status=PaymentStatus.PAID).count() == 3
    assert BudgetLine.objects.get().paid_fen == 750_000
    # The old failed line cannot be turned into a second payment.
    with pytest.raises(ValidationFailed):
        batches.batch_return_import(actor=city_staff, batch_id=first.pk, upload=returned_file(
            ["reference,amount,result,reason", f"{refs[2]},2500,paid,"]))
    assert BudgetLine.objects.get().paid_fen == 750_000


@pytest.mark.django_db
def test_a_district_officer_neither_cancels_nor_imports_returns_for_a_batch_of_another_office(
        prepared, city_staff, heping_staff, finance):
    from rencai.audit.enums import AuditAction
    from rencai.audit.models import AuditEvent

    draft = batches.batch_create(actor=city_staff, month=MONTH)
    with pytest.raises(PermissionDenied):
        batches.batch_transition(actor=heping_staff, batch_id=draft.pk, action="cancel")
    batches.batch_transition(actor=finance, batch_id=draft.pk, action="approve")
    content, _name = batches.bank_file(actor=finance, batch_id=draft.pk)
    reference = _bank_lines(content)[2][0]
    with pytest.raises(PermissionDenied):
        batches.batch_return_import(actor=heping_staff, batch_id=draft.pk, upload=returned_file(
            ["reference,amount,result,reason", f"{reference},2500.00,paid,"]))
    assert not Payment.objects.filter(status=PaymentStatus.PAID).exists()
    refused = AuditEvent.objects.filter(actor=heping_staff, action=AuditAction.DENIED)
    assert refused.count() == 2 and all(e.object_id == str(draft.pk) for e in refused)
