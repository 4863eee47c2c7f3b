"""Django's own messages are in Chinese whatever language the browser asks for: a browser set to English sent
Accept-Language: en, and the password rules answered in English. The platform has one language (settings)."""

import pytest
from django.conf import settings

from rencai.conftest import talent_data

pytestmark = pytest.mark.django_db
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def test_one_language_whatever_the_browser_asks():
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans"] and settings.LANGUAGE_CODE == "zh-hans"


def test_password_rules_answer_in_chinese_to_an_english_browser(client):
    data = talent_data(username="english-browser", password="password")
    response = client.post("/register/", data, **ENGLISH)
    html = response.content.decode()
    assert response.status_code == 422
    assert "这个密码太常见了。" in html and "too common" not in html


def test_djangos_own_pages_answer_in_chinese_to_an_english_browser(client, admin_user):
    login = client.get("/admin/login/", **ENGLISH).content.decode()
    assert "用户名" in login and "Username" not in login
    refused = client.post("/admin/login/", {"username": "admin", "password": "wrong-password"}, **ENGLISH)
    assert "请输入一个正确的" in refused.content.decode()  # Django's "Please enter the correct …", in Chinese
    form_error = client.post("/talents/new/", {"highest_degree": "nonsense"}, **ENGLISH)  # not signed in
    assert form_error.status_code == 302
    client.force_login(admin_user)
    chosen = client.post("/talents/new/", {"highest_degree": "nonsense"}, **ENGLISH).content.decode()
    assert "选择一个有效的选项" in chosen and "Select a valid choice" not in chosen
