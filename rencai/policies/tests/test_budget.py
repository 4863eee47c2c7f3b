"""预算测算 over the registry: the command, the page (scoped to the jurisdiction) and its chart."""

import datetime as dt
import re

import pytest
from django.core.management import CommandError, call_command

from rencai.browser import menu
from rencai.policies.budget import registry_simulate

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2024, 6, 1)


def test_registry_simulation_counts_people_and_money(make_talent):
    make_talent(name="博士一")
    make_talent(name="博士二", district="浑南区")
    make_talent(name="硕士", highest_degree="硕士")
    [change] = registry_simulate(as_of=AS_OF, overrides={"sy-living-subsidy-graduate.doctor": 3000})
    assert (change.people_before, change.people_after, change.people_changed) == (3, 3, 2)
    assert change.monthly_after - change.monthly_before == 2 * 500
    assert change.months_this_year == 7 and change.this_year_change == 2 * 500 * 7
    assert change.duration_change == 2 * 500 * 36


def test_command_prints_the_changes_and_refuses_bad_sets(make_talent, capsys):
    make_talent()
    call_command("simulate", "--set", "sy-living-subsidy-graduate.doctor=3000", "--as-of", "2024-06-01")
    out = capsys.readouterr().out
    assert "高校毕业生生活补贴" in out and "增加 3,500.00 元" in out and "增加 18,000.00 元" in out
    with pytest.raises(CommandError, match="没有金额档次"):
        call_command("simulate", "--set", "sy-living-subsidy-graduate.professor=1")
    with pytest.raises(CommandError, match="金额应为数字"):
        call_command("simulate", "--set", "sy-living-subsidy-graduate.doctor=lots")
    with pytest.raises(CommandError, match="--set"):
        call_command("simulate")


def test_page_is_scoped_to_the_jurisdiction(client, heping_staff, leader, make_talent):
    make_talent(name="和平博士")
    make_talent(name="浑南博士", district="浑南区")
    query = "?key=sy-living-subsidy-graduate.doctor&amount=3000&as_of=2024-06-01"
    client.force_login(heping_staff)
    html = client.get("/policies/whatif/" + query).content.decode()
    assert '<td class="people-changed">1</td>' in html and '<td class="this-year-change">3500.00</td>' in html
    client.force_login(leader)
    html = client.get("/policies/whatif/" + query).content.decode()
    assert '<td class="people-changed">2</td>' in html and '<td class="this-year-change">7000.00</td>' in html


def test_page_refuses_bad_input(client, leader):
    client.force_login(leader)
    response = client.get("/policies/whatif/?key=sy-living-subsidy-graduate.doctor&amount=-5")
    assert response.status_code == 422 and "不能为负" in response.content.decode()
    response = client.get("/policies/whatif/?key=sy-living-subsidy-graduate.doctor&amount=5&as_of=2024-13-01")
    assert response.status_code == 422 and "评估日" in response.content.decode()


def test_page_names_every_rows_mistake_beside_it_in_chinese(client, heping_staff):
    client.force_login(heping_staff)
    response = client.get("/policies/whatif/", [("key", "sy-living-subsidy-graduate.doctor"), ("amount", "abc"),
                                                ("key", "no-such.row"), ("amount", "5"),
                                                ("key", ""), ("amount", "7")])
    html = response.content.decode()
    assert response.status_code == 422 and "有 3 个调整项需要修改" in html
    for row, message in [(1, "新标准金额应为数字（元）"), (2, "请从列表中选择调整项"), (3, "请先选择调整项")]:
        block = html.split(f'id="whatif-row-{row}"')[1].split('class="filters whatif-row"')[0]
        assert message in block and 'aria-invalid="true"' in block, row
    # The rows are kept as typed, and no internal key is shown as a message.
    assert 'value="abc"' in html and "no-such" not in html.split('id="whatif-error"')[1].split("</div>")[0]


def test_page_offers_the_viewers_own_region_first(client, heping_staff):
    client.force_login(heping_staff)
    html = client.get("/policies/whatif/").content.decode()
    groups = re.findall(r'<optgroup label="([^"]+)">', html.split('id="whatif-key-1"')[1].split("</select>")[0])
    assert groups[:2] == ["沈阳市", "辽宁省"]
    assert all(label.endswith("（不适用于本辖区人员）") for label in groups[2:]) and groups[2:]


def test_talents_and_employers_cannot_simulate(client, make_user):
    client.force_login(make_user("t", "talent"))
    assert client.get("/policies/whatif/").status_code == 403


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_leader_sees_the_chart(page, make_user, make_talent):
    make_talent()
    make_user("boss", "leader", "210100")
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "pw-for-tests-123")
    page.click("button[type=submit]")
    menu(page, "预算测算")
    page.select_option("select[name=key] >> nth=0", "sy-living-subsidy-graduate.doctor")
    page.fill("input[name=amount] >> nth=0", "3000")
    page.click("button:has-text('测算')")
    page.wait_for_selector("#whatif-chart canvas")
    assert "高校毕业生生活补贴" in page.inner_text("#whatif-result")
