"""Django's technical 500 page (what `make run` shows with DEBUG on) never shows a password, a personal number or
a reveal reason: not in the submitted form, the query string, the local variables nor the exception message."""

import dataclasses

import pytest
from django.http import HttpResponse
from django.urls import path

from rencai.conftest import make_resident_id, talent_data
from rencai.core.error_reporting import CLEANSED, cleanse, mask_text

PASSWORD = "Secret-Pass-2024!"
PHONE = "13912345678"
BANK = "6222021234567890123"
PASSPORT = "E12345678"
REASON = "核对张三的补贴发放情况"


@pytest.fixture
def technical_pages(settings, client):
    settings.DEBUG = True  # the developer's `make run`
    client.raise_request_exception = False
    return client


def _assert_nothing_personal(html: str, *numbers: str):
    for secret in (PASSWORD, PHONE, BANK, PASSPORT, REASON, *numbers):
        assert secret not in html, secret
    assert CLEANSED in html


@pytest.mark.django_db
def test_a_registration_that_fails_shows_no_personal_data_on_the_technical_page(technical_pages, monkeypatch):
    """The reported case: a registration failing under load showed password, 身份证 and phone."""
    id_number = make_resident_id()

    def overloaded(**kwargs):
        username, password, data = kwargs["username"], kwargs["password"], kwargs["data"]  # noqa: F841 - locals
        raise RuntimeError(f"database is locked while registering {data.id_number} / {data.phone}")

    monkeypatch.setattr("rencai.talents.services.talent_self_register", overloaded)
    form = talent_data(id_number=id_number, phone=PHONE, username="newbie", password=PASSWORD,
                       password_confirm=PASSWORD, bank_account=BANK, consent="on")
    response = technical_pages.post(f"/register/?id_number={id_number}&q={PHONE}", form)
    html = response.content.decode()
    assert response.status_code == 500
    assert "RuntimeError" in html and "database is locked while registering" in html  # the page is still useful
    assert "overloaded" in html and "username" in html  # frames and variable names are still shown
    _assert_nothing_personal(html, id_number, id_number[6:14] + id_number[-4:])


@dataclasses.dataclass
class _Applicant:  # stands for a pydantic schema or a dataclass whose repr spells out its fields
    name: str
    id_number: str
    mobile: str


def _failing_view(request):
    id_number = request.POST["zjhm"]  # a field whose name says nothing
    applicant = _Applicant("张三", id_number, PHONE)
    payload = {"card": {"bank_account": BANK, "note": f"护照 {PASSPORT}"}, "amount": 3000}
    value = f"证件号码{id_number}，手机{PHONE[:3]} {PHONE[3:7]} {PHONE[7:]}"
    reason = REASON
    raise ValueError(f"bad input {value!r} for {applicant.name} {payload['amount']} ({len(reason)} chars)")
    return HttpResponse()


urlpatterns = [path("boom/", _failing_view)]


@pytest.mark.urls(__name__)
def test_locals_and_exception_messages_are_cleansed_by_name_and_by_content(technical_pages):
    id_number = make_resident_id()
    response = technical_pages.post("/boom/", {"zjhm": id_number, "password": PASSWORD, "reason": REASON})
    html = response.content.decode()
    assert response.status_code == 500 and "ValueError" in html
    assert "张三" in html and "3000" in html  # what is not personal data stays readable
    _assert_nothing_personal(html, id_number)

    # The plain-text report (API clients, error e-mails) as well.
    text = technical_pages.post("/boom/", {"zjhm": id_number, "password": PASSWORD},
                                HTTP_ACCEPT="text/plain").content.decode()
    assert "ValueError" in text and id_number not in text and PASSWORD not in text


def test_cleanse_by_name_and_by_content():
    assert mask_text(f"x{PHONE}y 2101021985061512 3X") == "x" + "*" * 11 + "y " + "*" * 16 + " 3X"
    assert mask_text("21010219850615123X") == "*" * 18
    assert mask_text("共 3000 元，第 12 页") == "共 3000 元，第 12 页"
    cleaned = cleanse({"password": PASSWORD, "items": [{"phone": PHONE}], "other": f"tel {PHONE}", "n": 7})
    assert cleaned == {"password": CLEANSED, "items": [{"phone": CLEANSED}], "other": "tel " + "*" * 11, "n": 7}


def test_the_log_of_a_server_error_shows_no_personal_number():
    import logging
    import sys

    from rencai.core.error_reporting import MaskPersonalNumbers

    try:
        raise ValueError(f"bad id {PHONE}")
    except ValueError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s",
                                   (f"/talents/?q={PHONE}",), sys.exc_info())
    assert MaskPersonalNumbers().filter(record)
    line = logging.Formatter().format(record)
    assert "ValueError: bad id" in line and "/talents/?q=" in line and PHONE not in line


def test_record_numbers_stay_readable_while_passports_are_masked():
    from rencai.core.error_reporting import mask_text

    assert mask_text("认定申请RD0000001已提交") == "认定申请RD0000001已提交"
    assert "E12345678" not in mask_text("护照 E12345678")
