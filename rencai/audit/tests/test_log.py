"""The audit log is append-only: not through the model, the queryset, the admin site, nor raw SQL."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.audit.enums import AuditAction
from rencai.audit.models import AuditEvent, AuditLogImmutable
from rencai.audit.services import audit_record


@pytest.fixture
def event(make_user):
    staff = make_user("audit_staff", Role.STAFF, region="210102")
    return audit_record(actor=staff, action=AuditAction.EXPORT, summary="导出人才名单", filters={"name": "李"},
                        row_count=3, ip_address="10.0.0.7")


def test_record_keeps_who_what_where(event):
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor_name, stored.actor_role, stored.action) == ("audit_staff", "staff", "export")
    assert stored.region_code == "210102"  # the actor's department, absent an object with a district
    assert stored.filters == {"name": "李"} and stored.row_count == 3 and stored.ip_address == "10.0.0.7"


def test_orm_refuses_update_and_delete(event):
    event.summary = "改写"
    with pytest.raises(AuditLogImmutable):
        event.save()
    with pytest.raises(AuditLogImmutable):
        event.delete()
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(summary="改写")
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == "导出人才名单"


@pytest.mark.parametrize("statement", [
    "UPDATE audit_auditevent SET summary = 'x' WHERE id = %s",
    "DELETE FROM audit_auditevent WHERE id = %s",
])
def test_database_rejects_raw_update_and_delete(event, statement):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, summary="导出人才名单").exists()


def test_admin_is_read_only(event, client, make_user):
    admin = make_user("audit_admin", Role.ADMIN)
    client.force_login(admin)
    assert client.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 200
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_still_flush_and_guard_returns(make_user):
    """The test-only flush must not leave the guard down (checked in the next test's fresh tables too)."""
    staff = make_user("flush_staff", Role.STAFF, region="210102")
    event = audit_record(actor=staff, action=AuditAction.EXPORT, summary="导出")
    with pytest.raises(DatabaseError):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])


def test_page_for_auditors_only(event, client, make_user):
    auditor = make_user("auditor1", Role.AUDITOR)
    client.force_login(auditor)
    page = client.get("/audit/", {"action": "export", "actor": "audit_staff"})
    assert page.status_code == 200
    assert "导出人才名单" in page.content.decode() and "审计日志" in page.content.decode()
    assert client.get("/audit/", {"action": "reveal"}).content.decode().count("导出人才名单") == 0
    for role, region in [(Role.STAFF, "210100"), (Role.LEADER, "210100"), (Role.TALENT, None)]:
        client.force_login(make_user(f"not_auditor_{role}", role, region=region))
        assert client.get("/audit/").status_code == 403


def test_district_auditor_sees_only_their_region(event, client, make_user):
    other = make_user("hunnan_auditor", Role.AUDITOR, region="210112")
    client.force_login(other)
    assert "导出人才名单" not in client.get("/audit/").content.decode()
    city = make_user("city_auditor", Role.AUDITOR, region="210100")
    client.force_login(city)
    assert "导出人才名单" in client.get("/audit/").content.decode()


def test_date_range_search(event, client, make_user):
    client.force_login(make_user("auditor2", Role.AUDITOR))
    day = timezone.localtime(event.at).date()  # the filter's days are local (Asia/Shanghai), as people read them
    assert "导出人才名单" in client.get("/audit/", {"date_from": day, "date_to": day}).content.decode()
    assert "导出人才名单" not in client.get("/audit/", {"date_from": "2000-01-01", "date_to": "2000-01-02"}
                                          ).content.decode()


def test_an_auditor_reads_the_log_and_no_talent_record(client, make_user):
    client.force_login(make_user("auditor3", Role.AUDITOR, region="210100"))
    assert client.get("/").status_code == 200
    for url in ("/talents/", "/api/talents", "/policies/matches/", "/recognition/queue/", "/talents/claims/"):
        assert client.get(url).status_code == 403, url
    assert client.get("/audit/", {"page": "9" * 30, "date_from": "不是日期"}).status_code == 200
