"""Programme grants' stages paid through payments (issue 8, 项目申报): a unit's grant without a talent through the
real monthly run, batch, bank file and returned file; stages of one grant side by side; idempotent by reference;
cancelling before and after payment; never stopped by the condition re-check; scoped by the unit's district;
concurrent scheduling on PostgreSQL."""

import csv
import datetime as dt
import io
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from rencai.accounts.enums import Role
from rencai.conftest import make_uscc
from rencai.core.errors import Conflict, PermissionDenied, ValidationFailed
from rencai.notifications.models import Notification
from rencai.organizations.services import organization_create
from rencai.payments import batches, selectors, services
from rencai.payments.grants import grant_stage_cancel, grant_stage_schedule
from rencai.payments.models import BudgetLine, Entitlement, EntitlementStatus, Payment, PaymentSkip, PaymentStatus
from rencai.payments.run import pay_month
from rencai.regions.models import Region

from .factories import POLICY, budget, entitlements_for, returned_file

MONTH = dt.date(2025, 6, 1)
STATION = "ln-postdoc-station-grant"  # 博士后科研工作站设站资助, paid to the unit
STATION_FEN = 15_000_000


def _unit(name: str, district: str = "和平区", *, account: str | None = None, actor=None):
    org = organization_create(name=name, uscc=make_uscc("210112" if district == "浑南区" else "210102"),
                              kind="enterprise", district=district)
    if account:
        services.bank_account_set(actor=actor, organization=org, bank_name="盛京银行和平支行", account_name=name,
                                  account_number=account)
    return org


def _station_stage(org, reference: str, actor, amount: str = "150000.00") -> Entitlement:
    return grant_stage_schedule(reference=reference, policy_id=STATION, amount=Decimal(amount), month=MONTH,
                                actor=actor, organization=org, payee="employer")


@pytest.mark.django_db
def test_a_units_stage_is_paid_by_the_run_the_batch_and_the_returned_file(city_staff, finance, make_user,
                                                                          django_capture_on_commit_callbacks):
    org = _unit("沈阳博后工作站有限公司", account="6216610200001234", actor=city_staff)
    hr = make_user("station-hr", Role.EMPLOYER, organization=org)
    stage = _station_stage(org, "XM0000031-1", city_staff)
    assert (stage.talent_id, stage.organization_id, stage.one_time_fen) == (None, org.pk, STATION_FEN)
    assert (stage.start_month, stage.end_month, stage.status) == (MONTH, MONTH, EntitlementStatus.ACTIVE)
    budget(STATION, 2025, 1_000_000)
    result = pay_month(month=MONTH)
    assert (result.created, result.stopped, result.held) == (1, 0, 0)
    assert BudgetLine.objects.get(policy=STATION).prepared_fen == STATION_FEN
    batch = batches.batch_create(actor=city_staff, month=MONTH)
    assert (batch.count, batch.total_fen) == (1, STATION_FEN)
    batches.batch_transition(actor=finance, batch_id=batch.pk, action="approve")
    content, _name = batches.bank_file(actor=finance, batch_id=batch.pk)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[2][1:5] == ["沈阳博后工作站有限公司", "盛京银行和平支行", "6216610200001234", "150000.00"]
    xlsx, _ = batches.batch_xlsx(actor=finance, batch_id=batch.pk)
    assert xlsx[:2] == b"PK"
    with django_capture_on_commit_callbacks(execute=True):
        outcome = batches.batch_return_import(actor=city_staff, batch_id=batch.pk,
                                              upload=returned_file(["reference,amount,result,reason",
                                                                    f"{rows[2][0]},150000.00,paid,"]))
    assert outcome == {"paid": 1, "failed": 0, "unchanged": 0}
    assert Payment.objects.get(entitlement=stage).status == PaymentStatus.PAID
    assert BudgetLine.objects.get(policy=STATION).paid_fen == STATION_FEN
    told = Notification.objects.get(recipient=hr)  # the unit's employer user, as the talent would be
    assert "已到账" in told.title and told.link == "/"


@pytest.mark.django_db
def test_two_stages_of_one_grant_coexist_and_the_same_reference_is_one_row(make_talent, city_staff):
    talent = make_talent()
    first = grant_stage_schedule(reference="XM0000012-1", policy_id=POLICY, amount=Decimal("2500000.00"),
                                 month=MONTH, actor=city_staff, talent=talent)
    second = grant_stage_schedule(reference="XM0000012-2", policy_id=POLICY, amount=Decimal("2500000.00"),
                                  month=dt.date(2027, 6, 15), actor=city_staff, talent=talent)
    entitlements_for([talent], start=dt.date(2025, 1, 1))  # and an ordinary schedule of the same policy
    assert Entitlement.objects.filter(talent=talent, policy=POLICY, status="active").count() == 3
    assert second.start_month == dt.date(2027, 6, 1)
    again = grant_stage_schedule(reference="XM0000012-1", policy_id=POLICY, amount=Decimal("2500000"),
                                 month=dt.date(2025, 6, 20), actor=city_staff, talent=talent)
    assert again.pk == first.pk and Entitlement.objects.filter(grant_reference="XM0000012-1").count() == 1
    with pytest.raises(Conflict) as refused:
        grant_stage_schedule(reference="XM0000012-1", policy_id=POLICY, amount=Decimal("2400000.00"),
                             month=MONTH, actor=city_staff, talent=talent)
    assert refused.value.status == 409 and "XM0000012-1" in refused.value.message
    org = _unit("沈阳某科技有限公司")
    with pytest.raises(Conflict):  # the same reference, paid to the employer instead
        grant_stage_schedule(reference="XM0000012-1", policy_id=POLICY, amount=Decimal("2500000.00"),
                             month=MONTH, actor=city_staff, talent=talent, organization=org, payee="employer")
    assert Entitlement.objects.get(pk=first.pk).one_time_fen == 250_000_000


@pytest.mark.django_db
def test_bad_input_names_the_field_in_chinese(make_talent, city_staff, make_user):
    talent = make_talent()
    cases = [
        ({"payee": "employer", "talent": talent}, "organization", "收款单位"),
        ({"payee": "talent"}, "talent", "人才"),
        ({"talent": talent, "amount": 1500.5}, "amount", "金额"),
        ({"talent": talent, "reference": ""}, "reference", "项目资助编号"),
        ({"talent": talent, "policy_id": "no-such-policy"}, "policy_id", "政策"),
        ({"talent": talent, "month": "2025-06"}, "month", "月份"),
        ({"talent": 10**9}, "talent", "人才"),
    ]
    for changes, field, word in cases:
        call = {"reference": "XM0000099-1", "policy_id": POLICY, "amount": Decimal("1000.00"), "month": MONTH,
                "actor": city_staff, **changes}
        with pytest.raises(ValidationFailed) as failed:
            grant_stage_schedule(**call)
        errors = {e.field: e.message for e in failed.value.errors}
        assert field in errors and word in errors[field], (changes, errors)
    with pytest.raises(PermissionDenied):
        grant_stage_schedule(reference="XM0000099-1", policy_id=POLICY, amount=Decimal("1000.00"), month=MONTH,
                             actor=make_user("leader-x", Role.LEADER, "210100"), talent=talent)
    assert not Entitlement.objects.exists()


@pytest.mark.django_db
def test_cancel_before_payment_works_and_after_payment_is_a_conflict(city_staff, make_user,
                                                                     django_capture_on_commit_callbacks):
    org = _unit("沈阳验收单位有限公司", account="6216610200005678", actor=city_staff)
    hr = make_user("accept-hr", Role.EMPLOYER, organization=org)
    paid = _station_stage(org, "XM0000040-1", city_staff, amount="50000.00")
    later = _station_stage(org, "XM0000040-2", city_staff, amount="50000.00")
    assert grant_stage_cancel(reference="XM0000040-9", reason="验收未通过", actor=city_staff) is None
    with pytest.raises(ValidationFailed):
        grant_stage_cancel(reference="XM0000040-2", reason="", actor=city_staff)
    budget(STATION, 2025, 1_000_000)
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = grant_stage_cancel(reference="XM0000040-2", reason="验收未通过", actor=city_staff)
    assert cancelled.pk == later.pk and cancelled.status == EntitlementStatus.CANCELLED
    assert cancelled.end_reason == "验收未通过"
    assert Notification.objects.filter(recipient=hr, body__contains="验收未通过").exists()
    assert grant_stage_cancel(reference="XM0000040-2", reason="验收未通过", actor=city_staff).pk == later.pk
    assert pay_month(month=MONTH).created == 1  # the cancelled stage is not paid
    assert list(Payment.objects.values_list("entitlement_id", flat=True)) == [paid.pk]
    with pytest.raises(Conflict) as refused:
        grant_stage_cancel(reference="XM0000040-1", reason="验收未通过", actor=city_staff)
    assert refused.value.status == 409
    assert Entitlement.objects.get(pk=paid.pk).status == EntitlementStatus.ACTIVE


@pytest.mark.django_db
def test_a_stage_is_not_stopped_where_an_ordinary_schedule_of_the_same_talent_and_policy_is(make_talent,
                                                                                            city_staff):
    talent = make_talent()
    ordinary = entitlements_for([talent], start=dt.date(2025, 1, 1))[0]
    stage = grant_stage_schedule(reference="XM0000050-2", policy_id=POLICY, amount=Decimal("30000.00"),
                                 month=MONTH, actor=city_staff, talent=talent)
    talent.district = Region.objects.get(code="320602")  # moved out of 沈阳: the policy's conditions fail
    talent.save()
    budget(POLICY, 2025, 1_000_000)
    result = pay_month(month=MONTH)
    assert (result.created, result.stopped) == (1, 1)
    assert Payment.objects.get().entitlement_id == stage.pk
    assert PaymentSkip.objects.get().entitlement_id == ordinary.pk


@pytest.mark.django_db
def test_a_units_stage_is_seen_in_its_districts_lists_only(city_staff, heping_staff, hunnan_staff, make_user,
                                                           talent_user, client):
    heping_org = _unit("和平区博后工作站", account="6216610200000001", actor=city_staff)
    hunnan_org = _unit("浑南区博后工作站", "浑南区", account="6216610200000002", actor=city_staff)
    heping_stage = _station_stage(heping_org, "XM0000060-1", city_staff)
    hunnan_stage = _station_stage(hunnan_org, "XM0000061-1", city_staff)
    budget(STATION, 2025, 1_000_000)
    pay_month(month=MONTH)

    def seen(user):
        return set(selectors.entitlements_visible(user=user).values_list("pk", flat=True))

    assert seen(heping_staff) == {heping_stage.pk}
    assert seen(hunnan_staff) == {hunnan_stage.pk}
    assert seen(city_staff) == {heping_stage.pk, hunnan_stage.pk}
    assert seen(make_user("heping-hr", Role.EMPLOYER, organization=heping_org)) == {heping_stage.pk}
    assert seen(talent_user) == set()  # a talent never sees a unit's rows
    assert set(selectors.payments_visible(user=heping_staff).values_list("entitlement_id", flat=True)) == \
        {heping_stage.pk}
    batch = batches.batch_create(actor=heping_staff, month=MONTH)  # a district office batches its own units
    assert batch.count == 1 and batch.lines.get().payment.entitlement_id == heping_stage.pk
    client.force_login(heping_staff)
    page = client.get("/payments/entitlements/").content.decode()
    assert "和平区博后工作站" in page and "浑南区博后工作站" not in page
    body = client.get("/api/payments/entitlements").json()
    assert [(r["payee_name"], r["talent_id"], r["district_name"], r["grant_reference"]) for r in body["results"]] \
        == [("和平区博后工作站", None, "和平区", "XM0000060-1")]
    lines = client.get(f"/api/payments/batches/{batch.pk}").json()["lines"]["results"]
    assert [(line["payee_name"], line["talent_name"]) for line in lines] == [("和平区博后工作站", None)]
    assert "和平区博后工作站" in client.get(f"/payments/batches/{batch.pk}/").content.decode()
    # The unit moves to 浑南区: its rows leave 和平区's lists at once (the organization's current district).
    type(heping_org).objects.filter(pk=heping_org.pk).update(district_id="210112")
    assert seen(heping_staff) == set()
    assert seen(hunnan_staff) == {heping_stage.pk, hunnan_stage.pk}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency is tested on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_calls_at_once_schedule_one_row(regions, make_user):
    city = make_user("city-race", Role.STAFF, "210100")
    org = _unit("并发博后工作站")
    barrier = threading.Barrier(2)
    outcomes = []

    def schedule():
        try:
            barrier.wait(timeout=60)
            outcomes.append(_station_stage(org, "XM0000070-1", city).pk)
        except Exception as exc:  # anything at all is what this test is for
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=schedule) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    row = Entitlement.objects.get(grant_reference="XM0000070-1")
    assert outcomes == [row.pk, row.pk]


@pytest.mark.django_db
def test_the_admin_site_finds_a_stage_by_its_reference(city_staff, admin_user, client):
    _station_stage(_unit("后台查找工作站"), "XM0000080-1", city_staff)
    _station_stage(_unit("另一工作站"), "XM0000081-1", city_staff)
    client.force_login(admin_user)
    page = client.get("/admin/payments/entitlement/", {"q": "XM0000080-1"}).content.decode()
    assert "后台查找工作站" in page and "另一工作站" not in page


@pytest.mark.django_db
def test_a_stage_is_not_stopped_by_the_insurance_feed(make_talent, city_staff, settings, tmp_path):
    """An 急需紧缺人才奖励 (the feed checks it) granted as a programme's stage: the feed's month without the talent
    stops their ordinary schedule of the same policy, never the stage."""
    from .test_feed_check import REWARD, _deliver, _employed, _row

    settings.MEDIA_ROOT = tmp_path / "media"
    talent = _employed(make_talent(name="急需人才", social_insurance="在本市缴纳"))
    ordinary = Entitlement.objects.create(talent=talent, policy=REWARD, one_time_fen=6_000_000, start_month=MONTH,
                                          end_month=MONTH)
    stage = grant_stage_schedule(reference="XM0000090-1", policy_id=REWARD, amount=Decimal("60000.00"),
                                 month=MONTH, actor=city_staff, talent=talent)
    budget(REWARD, 2025, 1_000_000)
    may = dt.date(2025, 5, 1)
    _deliver(may, [_row(make_talent(name="别人"), may)])  # May delivered, without the talent
    result = pay_month(month=MONTH)
    assert (result.created, result.stopped) == (1, 1)
    assert Payment.objects.get().entitlement_id == stage.pk
    assert PaymentSkip.objects.get().entitlement_id == ordinary.pk
    assert "社保缴纳" in PaymentSkip.objects.get().reason
