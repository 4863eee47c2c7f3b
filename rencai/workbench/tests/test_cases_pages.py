"""The test-case pages (issue 13): the list with each result, the form (the calculator's questions), correcting
a shipped case, retiring one, a draft's results, the YAML export; officers only, bad input a Chinese 4xx."""

import pytest
import yaml
from django.urls import reverse

from rencai.policies.published import shipped_texts
from rencai.workbench import services
from rencai.workbench.cases import shipped_cases
from rencai.workbench.models import RuleCase

pytestmark = pytest.mark.django_db
POLICY = "sy-purchase-subsidy-skilled"
SHIPPED = "全国技术能手购房补贴30万元"


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def _answers(**overrides):
    data = {"name": "中华技能大奖获得者补50万元", "expected_status": "true", "expected_one_time": "500000",
            "expected_monthly": "", "city": "shenyang", "honors": ["china_skills_award"], "bought_home": "yes",
            "purchase_date": "2025-03-01", "first_home": "yes", "self_occupied": "yes", "as_of": "2025-06-01"}
    data.update(overrides)
    return data


def test_the_list_shows_each_result_and_only_officers_see_it(client, officer_client, heping_staff):
    page = officer_client.get(reverse("workbench:cases", args=[POLICY]))
    html = page.content.decode()
    assert page.status_code == 200 and SHIPPED in html and "全部通过" in html and "系统随附" in html
    assert POLICY not in html.replace(f"/{POLICY}/", "/")  # no id on screen, only in links
    assert officer_client.get(reverse("workbench:cases", args=["sy-no-such-policy"])).status_code == 404
    client.force_login(heping_staff)
    assert client.get(reverse("workbench:cases", args=[POLICY])).status_code == 403
    assert client.post(reverse("workbench:case_new", args=[POLICY]), _answers()).status_code == 403
    assert not RuleCase.objects.exists()


def test_an_officer_adds_a_case_with_the_calculators_questions(officer_client):
    form = officer_client.get(reverse("workbench:case_new", args=[POLICY])).content.decode()
    assert "预期结果" in form and "您的出生日期" in form
    answer = officer_client.post(reverse("workbench:case_new", args=[POLICY]), _answers())
    assert answer.status_code == 302
    row = RuleCase.objects.get()
    assert row.profile["honors"] == ["china_skills_award"] and row.profile["purchase"]["first_home"] is True
    assert "as_of" not in row.profile and str(row.as_of) == "2025-06-01"
    html = officer_client.get(reverse("workbench:cases", args=[POLICY])).content.decode()
    assert "中华技能大奖获得者补50万元" in html and "全部通过" in html and "本单位" in html


def test_bad_input_and_a_duplicate_name_are_refused_in_chinese(officer_client):
    bad = officer_client.post(reverse("workbench:case_new", args=[POLICY]),
                              _answers(expected_one_time="五十万", expected_status=""))
    html = bad.content.decode()
    assert bad.status_code == 422 and "预期一次性金额须为数字" in html and "请选择预期结果" in html
    assert officer_client.post(reverse("workbench:case_new", args=[POLICY]), _answers()).status_code == 302
    twice = officer_client.post(reverse("workbench:case_new", args=[POLICY]), _answers())
    assert twice.status_code == 409 and "已有名为" in twice.content.decode()


def test_correcting_a_shipped_case_replaces_it_and_a_wrong_expectation_shows_why(officer_client):
    url = reverse("workbench:case_edit", args=[POLICY, SHIPPED])
    form = officer_client.get(url).content.decode()
    assert "系统随附的用例" in form and SHIPPED in form
    answer = officer_client.post(url, _answers(name=SHIPPED, honors=["national_technical_expert"],
                                               expected_one_time="310000"))
    assert answer.status_code == 302
    row = RuleCase.objects.get(name=SHIPPED)
    html = officer_client.get(reverse("workbench:cases", args=[POLICY])).content.decode()
    assert html.count(SHIPPED) == 1 and "未通过" in html and "一次性金额预期310000.00元，实为300000元" in html
    again = officer_client.post(reverse("workbench:case_edit", args=[row.pk]),
                                _answers(name=SHIPPED, honors=["national_technical_expert"],
                                         expected_one_time="300000"))
    assert again.status_code == 302
    assert "全部通过" in officer_client.get(reverse("workbench:cases", args=[POLICY])).content.decode()


def test_retiring_a_shipped_case_and_exporting_the_rest(officer_client):
    assert officer_client.post(reverse("workbench:case_retire", args=[POLICY, SHIPPED])).status_code == 302
    exported = officer_client.get(reverse("workbench:cases_export", args=[POLICY]))
    data = yaml.safe_load(exported.content.decode())
    assert exported["Content-Disposition"].endswith(f'"{POLICY}.yaml"') and data["policy"] == POLICY
    names = [c["name"] for c in data["cases"]]
    assert SHIPPED not in names and len(names) == len(shipped_cases()[POLICY]) - 1
    assert data["cases"][0]["expect"]["one_time_amount"] == 100000


def test_a_drafts_cases_are_run_against_its_catalog(officer_client, officer):
    text = shipped_texts()[f"{POLICY}.yaml"].replace("value: 300000", "value: 350000", 1)
    draft = services.revision_create(actor=officer, file=f"{POLICY}.yaml", text=text)
    html = officer_client.get(reverse("workbench:revision_cases", args=[draft.pk])).content.decode()
    assert "第1版" in html and "1个未通过" in html and "一次性金额预期300000元，实为350000元" in html


APARTMENT = "sy-apartment-free-rent"
NO_APARTMENT = "无房源时不提供免租公寓"


def test_a_case_beyond_the_questions_opens_in_full_and_keeps_what_they_do_not_ask(officer_client):
    url = reverse("workbench:case_edit", args=[APARTMENT, NO_APARTMENT])
    html = officer_client.get(url).content.decode()
    assert "超出计算器问答所能填写的范围" in html and 'name="profile_text"' in html
    assert "apartment_available: false" in html and "您的出生日期" not in html  # the whole profile, no questions
    shipped = next(c for c in shipped_cases()[APARTMENT] if c.name == NO_APARTMENT)
    text = yaml.safe_dump({**shipped.profile, "talent_category": "B"}, allow_unicode=True)
    answer = officer_client.post(url, {"mode": "questions", "name": NO_APARTMENT, "expected_status": "false",
                                       "profile_text": text, "as_of": "2025-06-01"})
    assert answer.status_code == 302, answer.content.decode()[:3000]
    row = RuleCase.objects.get(policy=APARTMENT, name=NO_APARTMENT)
    assert row.profile == {**shipped.profile, "talent_category": "B"} and str(row.as_of) == "2025-06-01"
    assert row.profile["housing"]["apartment_available"] is False  # kept, though no question asks it
    assert "全部通过" in officer_client.get(reverse("workbench:cases", args=[APARTMENT])).content.decode()


def test_a_profile_in_full_that_does_not_parse_or_names_an_unknown_field_is_refused_in_chinese(officer_client):
    url = reverse("workbench:case_new", args=[POLICY]) + "?mode=text"
    assert 'name="profile_text"' in officer_client.get(url).content.decode()
    data = {"mode": "text", "name": "全文填写", "expected_status": "true", "as_of": "2025-06-01"}
    broken = officer_client.post(url, {**data, "profile_text": "city: shenyang\nhonors: [china_skills_award\n"})
    assert broken.status_code == 422 and "格式有误" in broken.content.decode()
    unknown = officer_client.post(url, {**data, "profile_text": "city: shenyang\nhobby: 读书\n"})
    assert unknown.status_code == 422 and "人员情况有误" in unknown.content.decode()
    assert "hobby" in unknown.content.decode()  # the contract's field the officer wrote, named back
    assert not RuleCase.objects.exists()


def test_a_team_policys_case_is_written_in_full(officer_client):
    policy = "ln-innovation-team-grant"
    url = reverse("workbench:case_new", args=[policy])
    html = officer_client.get(url).content.decode()
    assert "subject: team" in html and "您的出生日期" not in html
    # 002: 300万元 for the level, and 每多增加1人 20万元: two more members
    text = ("subject: team\ncity: shenyang\nteam:\n  kind: innovation\n  level: level_300\n  introduced: true\n"
            "  added_members: 2\n")
    answer = officer_client.post(url, {"mode": "text", "name": "300万元层次团队增加2人共340万元",
                                       "expected_status": "true", "expected_one_time": "3400000",
                                       "profile_text": text, "as_of": "2019-06-01"})
    assert answer.status_code == 302, answer.content.decode()[:3000]
    row = RuleCase.objects.get(policy=policy)
    assert row.profile["subject"] == "team" and row.profile["team"]["added_members"] == 2
    html = officer_client.get(reverse("workbench:cases", args=[policy])).content.decode()
    assert "300万元层次团队增加2人共340万元" in html and "未通过" not in html
