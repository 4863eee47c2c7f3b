import threading

import pytest
from django.db import connection

from rencai.audit.models import AuditEvent
from rencai.conftest import make_resident_id, talent_data
from rencai.core import crypto
from rencai.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from rencai.talents import services
from rencai.talents.models import Education, Talent
from rencai.talents.validation import talent_input_validate

pytestmark = pytest.mark.django_db


def test_staff_registers_a_talent_with_education(heping_staff):
    talent = services.talent_create(actor=heping_staff, data=talent_input_validate(talent_data()))
    assert talent.district_id == "210102"
    assert talent.returnee is True
    assert Education.objects.get(talent=talent).overseas is True
    assert talent.source == "staff"
    assert talent.id_number_masked.count("*") == 13  # all but the first four and the check character


def test_the_same_person_is_never_registered_twice(heping_staff):
    number = make_resident_id()
    services.talent_create(actor=heping_staff, data=talent_input_validate(talent_data(id_number=number)))
    with pytest.raises(Conflict) as info:
        services.talent_create(actor=heping_staff,
                               data=talent_input_validate(talent_data(id_number=number, name="另一个名字")))
    assert "重复登记" in info.value.message
    assert Talent.objects.count() == 1


def test_unknown_district_is_refused_and_nothing_written(heping_staff):
    with pytest.raises(ValidationFailed) as info:
        services.talent_create(actor=heping_staff, data=talent_input_validate(talent_data(district="999999")))
    assert info.value.errors[0].field == "district"
    assert Talent.objects.count() == 0


def test_staff_cannot_register_outside_their_jurisdiction(heping_staff):
    with pytest.raises(PermissionDenied):
        services.talent_create(actor=heping_staff, data=talent_input_validate(talent_data(district="浑南区")))
    assert Talent.objects.count() == 0


def test_leader_cannot_register(leader):
    with pytest.raises(PermissionDenied):
        services.talent_create(actor=leader, data=talent_input_validate(talent_data()))


def test_reveal_needs_permission_reason_and_is_logged(heping_staff, leader, make_talent):
    talent = make_talent(phone="13900001111")
    with pytest.raises(ValidationFailed):
        services.talent_reveal(actor=heping_staff, talent_id=talent.pk, field="phone", reason="")
    assert not AuditEvent.objects.filter(action="reveal").exists()
    value = services.talent_reveal(actor=heping_staff, talent_id=talent.pk, field="phone", reason="核验补贴材料",
                                   ip_address="127.0.0.1")
    assert value == "13900001111"
    log = AuditEvent.objects.get(action="reveal")
    assert (log.actor, log.object_id, log.details, log.ip_address) == (
        heping_staff, str(talent.pk), {"field": "phone", "reason": "核验补贴材料"}, "127.0.0.1")
    with pytest.raises(PermissionDenied):
        services.talent_reveal(actor=leader, talent_id=talent.pk, field="id_number", reason="想看看")
    assert AuditEvent.objects.filter(action="reveal").count() == 1


def test_staff_without_the_permission_cannot_reveal(make_user, make_talent):
    plain = make_user("plain", "staff", "210102", reveal=False)
    talent = make_talent()
    with pytest.raises(PermissionDenied):
        services.talent_reveal(actor=plain, talent_id=talent.pk, field="id_number", reason="核验材料")
    assert not AuditEvent.objects.filter(action="reveal").exists()


def test_reveal_outside_jurisdiction_is_not_found(hunnan_staff, make_talent):
    talent = make_talent(district="和平区")
    with pytest.raises(NotFound):
        services.talent_reveal(actor=hunnan_staff, talent_id=talent.pk, field="id_number", reason="核验材料")
    assert not AuditEvent.objects.filter(action="reveal").exists()


def test_self_registration_creates_user_and_record_together():
    data = talent_input_validate(talent_data())
    talent = services.talent_self_register(username="newcomer", password="a-Strong-pass-9", data=data)
    assert talent.user.username == "newcomer" and talent.user.role == "talent"
    with pytest.raises(Conflict):  # same person, another username: refused, and no orphan user is left
        services.talent_self_register(username="second", password="a-Strong-pass-9", data=data)
    from rencai.accounts.models import User

    assert not User.objects.filter(username="second").exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_of_one_person_leave_one_record(admin_user):
    data = talent_input_validate(talent_data())
    barrier = threading.Barrier(4)
    outcomes = []

    def register():
        barrier.wait()
        try:
            services.talent_create(actor=admin_user, data=data)
            outcomes.append("created")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "created"]
    assert Talent.objects.filter(id_number_hash=crypto.lookup_hash(data.id_number)).count() == 1
