"""Issue 14 item 4: twenty identical requests at once end as one success and the documented 409s (or all
successes), never a 500, and the data stay right — on SQLite and on PostgreSQL, through the pages and the API."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from rencai.conftest import make_resident_id, talent_data
from rencai.core import crypto
from rencai.core.tests.races import assert_success_or_conflict, clients_for, race
from rencai.talents.models import Talent

pytestmark = pytest.mark.django_db(transaction=True)
N = 20


def _same_person_once(id_number: str) -> None:
    assert Talent.objects.filter(id_number_hash=crypto.lookup_hash(id_number)).count() == 1


def test_twenty_self_registrations_of_one_person(regions):
    from rencai.accounts.models import User

    data = talent_data(password="a-Strong-pass-9")
    answers = race(lambda client, i: client.post("/register/", {**data, "username": f"racer{i}"}),
                   clients_for(None, N))
    counts = assert_success_or_conflict(answers)
    assert counts == {302: 1, 409: N - 1}
    assert all("重复登记" in a.content.decode() for a in answers if a.status_code == 409)
    _same_person_once(data["id_number"])
    assert User.objects.filter(username__startswith="racer").count() == 1  # no account without its record


def test_twenty_self_registrations_with_one_username(regions):
    data = talent_data(password="a-Strong-pass-9", username="same-name")
    others = [make_resident_id() for _ in range(N)]  # different people, one username
    answers = race(lambda client, i: client.post("/register/", {**data, "id_number": others[i]}),
                   clients_for(None, N))
    # the first wins; the others are told the username is taken (422 once it is committed, 409 while racing)
    counts = assert_success_or_conflict(answers, success=(302, 422))
    assert counts.get(302) == 1
    assert Talent.objects.count() == 1


def test_twenty_staff_registrations_through_the_page(heping_staff):
    data = talent_data()
    answers = race(lambda client, i: client.post("/talents/new/", data), clients_for(heping_staff, N))
    assert assert_success_or_conflict(answers) == {302: 1, 409: N - 1}
    _same_person_once(data["id_number"])


def test_twenty_posts_to_the_api(heping_staff):
    data = talent_data()
    answers = race(lambda client, i: client.post("/api/talents", data, content_type="application/json"),
                   clients_for(heping_staff, N))
    assert assert_success_or_conflict(answers) == {201: 1, 409: N - 1}
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"duplicate_person"}
    _same_person_once(data["id_number"])


def _workbook(ids) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "证件号码", "所在区县"])
    for n, id_number in enumerate(ids):
        ws.append([f"导入{n}", id_number, "和平区"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_five_imports_of_one_file(heping_staff):
    ids = [make_resident_id() for _ in range(30)]
    content = _workbook(ids)
    answers = race(lambda client, i: client.post("/api/talents/import",
                                                 {"file": SimpleUploadedFile("人才.xlsx", content)}),
                   clients_for(heping_staff, 5))
    assert_success_or_conflict(answers)
    imported = [a.json() for a in answers if a.status_code == 200 and a.json()["imported_rows"]]
    assert len(imported) == 1 and imported[0]["imported_rows"] == 30
    # the others either found the people already registered (every row reported) or lost the race (409)
    for answer in answers:
        if answer.status_code == 200 and not answer.json()["imported_rows"]:
            assert len(answer.json()["errors"]) == 30
    assert Talent.objects.count() == 30
    for id_number in ids:
        _same_person_once(id_number)
