"""Real login, the staff list with filters and paging, a reveal through htmx, the Excel import and the
self-registration, in Chromium."""

import io

import pytest
from openpyxl import Workbook

from rencai.audit.models import AuditEvent
from rencai.browser import confirm, menu
from rencai.conftest import make_resident_id
from rencai.talents.models import Talent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-123")
    page.click("button[type=submit]")
    page.wait_for_url(page.base_url + "/")


def test_district_officer_logs_in_filters_pages_and_reveals(page, heping_staff, make_talent):
    for i in range(55):
        make_talent(name=f"和平{i:02d}", highest_degree="博士" if i % 2 else "硕士")
    make_talent(name="浑南人", district="浑南区")
    login(page, "heping")
    assert "和平区" in page.inner_text("header")
    page.click("text=人才信息库")
    assert page.inner_text("#total-count") == "55"
    assert "浑南人" not in page.content()
    page.click("text=下一页")
    assert "第 2 / 2 页" in page.content()
    page.select_option("#f-degree", "doctor")
    page.click("button:has-text('查询')")
    assert page.inner_text("#total-count") == "27"

    page.click("tbody tr:first-child a")
    masked = page.inner_text("#id-number")
    assert "**********" in masked
    page.fill("#reveal-reason", "核验补贴申请材料")
    page.click("button:has-text('查看')")
    confirm(page, expect="审计日志", htmx=True)
    page.wait_for_selector("#revealed-value")
    revealed = page.inner_text("#revealed-value")
    assert len(revealed) == 18 and revealed[:4] == masked[:4] and revealed[-1] == masked[-1]
    assert AuditEvent.objects.get(action="reveal").details["reason"] == "核验补贴申请材料"


def test_import_with_bad_rows_then_only_the_good_ones(page, heping_staff, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "证件号码", "所在区县"])
    ws.append(["好人", make_resident_id(), "和平区"])
    ws.append(["坏人", "123456", "和平区"])
    path = tmp_path / "导入.xlsx"
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(buffer.getvalue())

    login(page, "heping")
    menu(page, "人才信息库")
    page.click("text=批量导入")
    page.set_input_files("#import-file", str(path))
    page.click("button:has-text('上传并检查')")
    assert "未导入任何数据" in page.inner_text("#import-summary")
    assert "3" in page.inner_text("#import-errors tbody tr:first-child td:first-child")
    assert Talent.objects.count() == 0
    page.set_input_files("#import-file", str(path))
    page.check("input[name=only_valid]")
    page.click("button:has-text('上传并检查')")
    assert "已导入 1 行" in page.inner_text("#import-summary")
    assert list(Talent.objects.values_list("name", flat=True)) == ["好人"]


def test_self_registration_shows_field_errors_then_the_profile(page, db):
    page.goto(page.base_url + "/register/")
    page.fill("#id_username", "newcomer")
    page.fill("#id_password", "a-Strong-pass-9")
    page.fill("#id_name", "周新")
    valid = make_resident_id()
    page.fill("#id_id_number", valid[:-1] + ("1" if valid[-1] == "0" else "0"))
    page.fill("#id_district", "和平区")
    page.click("button:has-text('提交')")
    assert "校验位错误" in page.inner_text("form")
    page.fill("#id_id_number", make_resident_id())
    page.fill("#id_password", "a-Strong-pass-9")  # a password is never sent back to the browser
    page.click("button:has-text('提交')")
    page.wait_for_url(page.base_url + "/me/")
    assert "周新" in page.inner_text("main") and "**********" in page.inner_text("#id-number")


@pytest.mark.parametrize("role", ["admin", "staff", "leader", "employer", "talent"])
def test_every_menu_page_of_every_role_loads_without_errors(page, role, make_user, make_talent):
    from rencai.conftest import make_uscc
    from rencai.organizations.services import organization_create

    org = organization_create(name="沈阳测试科技有限公司", uscc=make_uscc(), kind="enterprise", district="和平区")
    talent = make_talent(organization_uscc=org.uscc)
    user = {
        "admin": lambda: make_user("u", "admin"),
        "staff": lambda: make_user("u", "staff", "210102", reveal=True),
        "leader": lambda: make_user("u", "leader", "210100"),
        "employer": lambda: make_user("u", "employer", organization=org),
        "talent": lambda: make_user("u", "talent"),
    }[role]()
    if role == "talent":
        Talent.objects.filter(pk=talent.pk).update(user=user)
    login(page, "u")
    links = page.eval_on_selector_all("header nav a", "els => els.map(e => e.getAttribute('href'))")
    assert len(links) >= 2
    for href in links:
        response = page.goto(page.base_url + href)
        assert response.status == 200, href
        assert page.locator("h1").count() >= 1, href
    if role != "talent":
        response = page.goto(f"{page.base_url}/talents/{talent.pk}/")
        assert response.status == 200 and talent.name in page.inner_text("h1")


def test_a_talent_maintains_their_own_information(page, make_user, make_talent):
    user = make_user("u", "talent")
    talent = make_talent(name="维护者", phone="13900000002")
    Talent.objects.filter(pk=talent.pk).update(user=user)
    login(page, "u")
    page.click("text=我的档案")
    page.click("text=维护我的信息")
    assert page.locator("#id_name").count() == 0  # identity and name are not the talent's to change
    page.fill("#id_phone", "13600006666")
    page.select_option("#id_housing_status", "owns")
    page.click("button:has-text('提交')")
    page.wait_for_url(page.base_url + "/me/")
    assert "136****6666" in page.inner_text("#phone") and "本市自有住房" in page.inner_text("main")
