"""The talent's bank account form: every problem at once, next to its field and in a summary, on the same page
with what was typed kept (it was a bare error page, the form gone)."""

import pytest

from rencai.payments.models import BankAccount

pytestmark = pytest.mark.django_db


def test_the_bank_account_form_shows_every_error_next_to_its_field(client, talent_user):
    client.force_login(talent_user)
    response = client.post("/me/payments/account/", {"bank_name": "", "account_name": "张", "account_number": "12ab"})
    html = response.content.decode()
    assert response.status_code == 422 and 'id="account-form"' in html and "novalidate" in html
    for key, words in (("bank_name", "请填写开户银行"), ("account_name", "请填写户名"),
                       ("account_number", "银行账号应为8到30位数字")):
        assert f'<p class="field-error" id="err-{key}">{words}' in html, key
        assert f'href="#{key}"' in html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'value="张"' in html and 'value="12ab"' in html  # what was typed stays
    assert not BankAccount.objects.exists()
    done = client.post("/me/payments/account/", {"bank_name": "中国工商银行沈阳分行", "account_name": "张三明",
                                                 "account_number": "6222021234567890123"})
    assert done.status_code == 302 and BankAccount.objects.count() == 1
