"""Issue 14, items 3 and 11 for recognition: applications and cards follow the talent's current district, and
an employer sees only employees whose employment it (or staff) has confirmed."""

import pytest

from rencai.recognition import selectors
from rencai.talents.models import Talent
from rencai.talents.services import employment_confirm, talent_update

from .conftest import submitted

pytestmark = pytest.mark.django_db


def test_the_queue_follows_a_move(client, talent_user, admin_user, heping_staff, hunnan_staff):
    application = submitted(talent_user)
    assert selectors.application_queue(user=heping_staff).filter(pk=application.pk).exists()
    assert selectors.queue_counts(user=hunnan_staff) == {}

    talent_update(actor=admin_user, talent_id=application.talent_id, changes={"district": "浑南区"})

    assert not selectors.application_queue(user=heping_staff).filter(pk=application.pk).exists()
    assert selectors.queue_counts(user=heping_staff) == {}
    assert selectors.application_queue(user=hunnan_staff).filter(pk=application.pk).exists()
    client.force_login(heping_staff)
    assert client.get(f"/recognition/applications/{application.pk}/").status_code == 404
    assert "张三明" not in client.get("/recognition/queue/").content.decode()
    client.force_login(hunnan_staff)
    assert client.get(f"/recognition/applications/{application.pk}/").status_code == 200
    assert "张三明" in client.get("/recognition/queue/").content.decode()


def test_an_unconfirmed_employee_is_no_candidate(talent_user, employer_user):
    """自主认定's candidates and the employer's applications rest on confirmed employment only."""
    talent = Talent.objects.get(user=talent_user)
    assert selectors.employees_for_recognition(user=employer_user).filter(pk=talent.pk).exists()
    Talent.objects.filter(pk=talent.pk).update(employment_status="claimed")
    assert not selectors.employees_for_recognition(user=employer_user).filter(pk=talent.pk).exists()
    application = submitted(talent_user)
    assert not selectors.application_is_visible(user=employer_user, application_id=application.pk)
    employment_confirm(actor=employer_user, talent_id=talent.pk)
    assert selectors.application_is_visible(user=employer_user, application_id=application.pk)
    assert selectors.is_applicant(employer_user, selectors.application_get(user=employer_user,
                                                                           application_id=application.pk))
