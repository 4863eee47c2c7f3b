"""The registry's older forms: every error on the first submit, at once, next to its field and in a summary at the
top that names each field in Chinese (Django's password rules with them); a reveal refused for want of a reason
says so next to the reason (through htmx too); a workbook checked with bad rows is kept for its uploader, so that
只导入正确的行 needs no second pick of the file."""

import re

import pytest

from rencai.audit.models import AuditEvent
from rencai.talents.models import Talent
from rencai.talents.tests.test_excel import mixed_rows, workbook

pytestmark = pytest.mark.django_db


def _summary(html: str) -> list[str]:
    block = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    return [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", block)]


def test_registration_reports_the_account_and_the_record_at_once_in_chinese(client):
    response = client.post("/register/", {"username": "", "password": "password", "name": "",
                                          "id_number": "123", "district": ""})
    html = response.content.decode()
    assert response.status_code == 422
    summary = _summary(html)
    # The account's problems and the record's, in one round, each named in Chinese.
    for words in ("用户名不能为空", "这个密码太常见了。", "姓名不能为空", "证件号码：居民身份证号码",
                  "所在区县不能为空"):
        assert any(words in item for item in summary), (words, summary)
    assert "too common" not in html and "This password" not in html
    assert 'href="#id_username"' in html and 'href="#id_password"' in html and 'href="#id_name"' in html
    # …and beside each field.
    assert re.search(r'id="err-password"><li>这个密码太常见了。', html)
    assert not Talent.objects.exists()


def test_the_staff_form_summary_names_fields_in_chinese_and_links_to_them(client, heping_staff):
    client.force_login(heping_staff)
    response = client.post("/talents/new/", {"name": "", "id_number": "123", "district": "火星区", "phone": "1",
                                             "graduation_date": "2099-01-01", "highest_degree": "doctor"})
    html = response.content.decode()
    assert response.status_code == 422
    summary = _summary(html)
    expected = {"姓名": "id_name", "证件号码": "id_id_number", "所在区县": "id_district", "手机号码": "id_phone",
                "毕业日期": "id_graduation_date"}
    assert len(summary) == len(expected), summary
    for label, anchor in expected.items():  # each problem names its field in Chinese and links to it
        assert any(item.startswith(label) for item in summary), (label, summary)
        assert f'href="#{anchor}"' in html
    assert not any(re.search(r"[A-Za-z_]{3,}", item) for item in summary), summary  # no field keys


@pytest.fixture
def staff_talent(client, heping_staff, make_talent):
    client.force_login(heping_staff)
    return make_talent(name="号码甲")


def test_a_reveal_without_a_reason_says_so_next_to_the_reason_through_htmx(client, staff_talent):
    url = f"/talents/{staff_talent.pk}/reveal/"
    response = client.post(url, {"field": "id_number", "reason": "", "confirmed": "1"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 422
    assert html.lstrip().startswith("<form") and 'id="reveal-form"' in html and "data-swap-errors" in html
    assert re.search(r'id="reveal-reason"[^>]*aria-invalid="true"', html)
    assert '<p class="field-error" id="reveal-reason-error">请填写查看事由（至少2个字）</p>' in html
    assert not AuditEvent.objects.filter(action="reveal").exists()

    plain = client.post(url, {"field": "phone", "reason": "", "confirmed": "1"})  # no script: the whole page
    page = plain.content.decode()
    assert plain.status_code == 422 and "<h1>" in page and 'id="reveal-reason-error"' in page
    assert '<option value="phone" selected>' in page  # what was chosen stays chosen

    done = client.post(url, {"field": "id_number", "reason": "核验补贴申请材料", "confirmed": "1"},
                       HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and 'id="revealed-value"' in done.content.decode()
    assert AuditEvent.objects.filter(action="reveal").count() == 1


def test_only_the_valid_rows_without_picking_the_file_again(client, heping_staff, hunnan_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(heping_staff)
    checked = client.post("/talents/import/", {"file": workbook(mixed_rows())})
    html = checked.content.decode()
    assert checked.status_code == 422 and "未导入任何数据" in html and not Talent.objects.exists()
    token = re.search(r'name="kept" value="([^"]+)"', html).group(1)
    assert 'id="import-kept-valid"' in html and "其中 2 行正确" in html

    client.force_login(hunnan_staff)  # the kept file is its uploader's only
    refused = client.post("/talents/import/", {"kept": token})
    assert refused.status_code == 400 and "重新选择文件" in refused.content.decode()
    assert not Talent.objects.exists()

    client.force_login(heping_staff)
    done = client.post("/talents/import/", {"kept": token})
    assert done.status_code == 200 and "已导入 2 行" in done.content.decode()
    assert sorted(Talent.objects.values_list("name", flat=True)) == ["王一", "王六"]
    again = client.post("/talents/import/", {"kept": token})  # read once: nothing kept any longer
    assert again.status_code == 400 and Talent.objects.count() == 2
    assert not any((tmp_path / "kept-uploads").iterdir())
    forged = client.post("/talents/import/", {"kept": token[:-2] + "xx"})
    assert forged.status_code == 400 and 'id="import-file-error"' in forged.content.decode()
