"""Recognition in the audit log: every step of an application, decisions as such, and authorisations."""

import pytest

from rencai.audit.models import AuditEvent
from rencai.recognition import services

from .conftest import submitted

pytestmark = pytest.mark.django_db


def test_steps_and_the_decision_are_audited(talent_user, heping_staff):
    application = submitted(talent_user)
    services.application_accept(actor=heping_staff, application_id=application.pk)
    events = AuditEvent.objects.filter(object_type="recognition.application", object_id=str(application.pk))
    assert list(events.order_by("id").values_list("action", flat=True)) == [
        "recognition", "recognition", "recognition", "decision"]  # create, submit, accept, approve
    decision = events.get(action="decision")
    assert decision.actor == heping_staff and decision.region_code == "210102"
    assert "认定通过" in decision.summary and "张三明" in decision.summary


def test_an_authorisation_is_audited(authorization, admin_user, client):
    event = AuditEvent.objects.get(action="authorization", object_id=str(authorization.pk))
    assert event.actor == admin_user and "C类1名" in event.summary and "D类10名" in event.summary
    client.force_login(admin_user)
    response = client.post(f"/admin/recognition/employerauthorization/{authorization.pk}/change/", {
        "revoked": "on", "quotas-TOTAL_FORMS": "2", "quotas-INITIAL_FORMS": "2", "quotas-MIN_NUM_FORMS": "0",
        "quotas-MAX_NUM_FORMS": "1000",
        **{f"quotas-{i}-id": str(q.pk) for i, q in enumerate(authorization.quotas.order_by("pk"))},
        **{f"quotas-{i}-authorization": str(authorization.pk) for i in range(2)},
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    authorization.refresh_from_db()
    assert authorization.revoked
    assert AuditEvent.objects.filter(action="authorization", summary__startswith="撤销").count() == 1
