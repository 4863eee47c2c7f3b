"""Teams and organizations (issue 8): the same catalog language, evaluator, reasons and quotes as for a
person, each subject checked against its own field table; amounts checked by hand against 002 and 004."""

import io
import json
import subprocess
import sys

import pytest

from rencai.policies.calculator import calculate, calculate_policies
from rencai.policies.cli import calc_main
from rencai.policies.engine.catalog import CatalogError, load_catalog
from rencai.policies.profile import ProfileError
from rencai.policies.tests.helpers import REPO, seeds_dir
from rencai.policies.tests.test_catalog import _break, _copy_catalog, _only_problem

EXAMPLES = REPO / "docs" / "contracts" / "examples"
USCC = "91210100MA0Y5X4A17"
TEAM = {"subject": "team", "as_of": "2019-06-01", "city": "shenyang"}
ORG = {"subject": "organization", "as_of": "2023-06-01", "city": "shenyang",
       "organization": {"type": "enterprise", "uscc": USCC, "industry_field": "leading", "key_enterprise": True}}


def one(profile: dict, policy: str) -> dict:
    found = [r for r in calculate(profile)["results"] if r["policy"] == policy]
    assert len(found) == 1, policy
    return found[0]


def team(**team_fields) -> dict:
    return {**TEAM, "team": team_fields}


# -- the team grant: 002, "每多增加1人,给予团队20万元资助,资助总额最高为100万元" -----------------------------------


def test_the_team_grant_quotes_002_with_its_per_member_rule():
    policy = load_catalog().policies["ln-innovation-team-grant"]
    text = (seeds_dir() / policy.source.document).read_text(encoding="utf-8")
    assert policy.subject == "team" and policy.source.quote in text
    assert "每多增加1人,给予团队20万元资助,资助总额最高为100万元" in policy.source.quote
    assert "100万元、300万元、500万元项目资助,对一流创新创业团队给予1000万元" in policy.source.quote


@pytest.mark.parametrize(("level", "added", "yuan"), [
    ("level_100", 0, 1_000_000),           # 100万, nobody added
    ("level_300", 1, 3_000_000 + 200_000),  # 300万 + 1 × 20万
    ("level_300", 3, 3_000_000 + 600_000),  # 300万 + 3 × 20万
    ("level_500", 5, 5_000_000 + 1_000_000),  # 5 × 20万 = 100万, exactly the cap
    ("level_500", 6, 5_000_000 + 1_000_000),  # 6 × 20万 = 120万, capped at 100万
    ("first_class", 12, 10_000_000 + 1_000_000),  # 一流团队 1000万 + at most 100万
])
def test_the_team_grant_is_its_level_plus_20万_per_added_member_capped_at_100万(level, added, yuan):
    result = one(team(level=level, added_members=added), "ln-innovation-team-grant")
    assert result["eligible"] is True and result["kind"] == "program"
    assert result["one_time_amount"] == yuan == result["total"]
    member_part = min(added * 200_000, 1_000_000)
    assert f"增加成员{added}人×20万元（此项最高100万元）={member_part}元，合计{yuan}元" in " ".join(result["reasons"])
    assert result["source"]["document"] == "002_4d15402d64436b6b.txt"


def test_a_team_not_yet_assessed_is_manual_with_every_level_listed_never_a_guessed_one():
    result = one(team(added_members=3), "ln-innovation-team-grant")
    assert result["eligible"] == "manual" and result["one_time_amount"] is None
    text = " ".join(result["reasons"])
    for tier in ("100万元", "300万元", "500万元", "一流创新创业团队资助1000万元", "每多增加1人资助团队20万元"):
        assert tier in text
    assert any("起算" in reason for reason in result["reasons"])  # the open point is said, not invented


def test_a_level_without_the_added_members_is_unknown_naming_them_in_chinese():
    result = one(team(level="level_300"), "ln-innovation-team-grant")
    assert result["eligible"] == "unknown" and result["missing"] == ["team.added_members"]
    assert "随同引进并经认定的增加成员人数" in result["reasons"][0]


def test_the_team_grant_ended_with_the_plan_and_is_liaonings():
    assert one({**team(level="level_100", added_members=0), "as_of": "2021-01-01"},
               "ln-innovation-team-grant")["decided_by"] == "ln-innovation-team-grant/in-force-until"
    assert one({**team(level="level_100", added_members=0), "city": "nantong"},
               "ln-innovation-team-grant")["decided_by"] == "ln-innovation-team-grant/jurisdiction"


def test_xingliao_teams_by_kind_and_introduction_and_jianghai_by_kind_with_a_returnee_lead():
    later = {**TEAM, "as_of": "2023-06-01"}
    innovation = {**later, "team": {"kind": "innovation", "introduced": True}}
    assert one(innovation, "ln-xingliao-innovation-team-grant")["eligible"] == "manual"
    assert one(innovation, "ln-xingliao-startup-team-reward")["eligible"] is False
    local = {**later, "team": {"kind": "startup", "introduced": False}}
    assert one(local, "ln-xingliao-startup-team-reward")["reasons"][0].startswith("非引进团队")
    nantong = {"subject": "team", "as_of": "2026-01-01", "city": "nantong", "lead": {"returnee": True}}
    startup = one({**nantong, "team": {"kind": "startup"}}, "nt-jianghai-returnee-team-program")
    assert (startup["eligible"], startup["one_time_amount"]) == (True, 6_000_000)  # 团队600万元
    innovation = one({**nantong, "team": {"kind": "innovation"}}, "nt-jianghai-returnee-team-program")
    assert innovation["one_time_amount"] == 3_000_000  # 团队300万元
    assert one({**nantong, "team": {"kind": "startup"}, "lead": {"returnee": False}},
               "nt-jianghai-returnee-team-program")["eligible"] is False


# -- 急需紧缺人才奖励: 004, "择优给予6万元、9万元、15万元、30万元奖励" ----------------------------------------------


@pytest.mark.parametrize(("tier", "yuan"), [("tier_6", 60_000), ("tier_9", 90_000), ("tier_15", 150_000),
                                            ("tier_30", 300_000)])
def test_the_urgent_reward_tier_chosen_by_review_is_its_004_amount(tier, yuan):
    result = one({**ORG, "award_tier": tier}, "sy-urgent-talent-employer")
    assert result["eligible"] is True and result["one_time_amount"] == yuan
    assert f"{yuan // 10000}万元" in result["source"]["quote"]
    assert result["source"]["quote"] in (seeds_dir() / "004_7b8a2565d53e5b61.txt").read_text(encoding="utf-8")


def test_before_review_the_urgent_reward_is_manual_with_the_four_tiers():
    result = one(ORG, "sy-urgent-talent-employer")
    assert result["eligible"] == "manual" and result["one_time_amount"] is None
    assert "6万元、9万元、15万元、30万元" in " ".join(result["reasons"])


@pytest.mark.parametrize(("change", "decided_by"), [
    ({"type": "university"}, "enterprise"),
    ({"key_enterprise": False}, "key-enterprise"),
    ({"industry_field": "other"}, "industry"),
])
def test_the_urgent_reward_is_for_key_enterprises_of_leading_and_emerging_industries(change, decided_by):
    profile = {**ORG, "organization": {**ORG["organization"], **change}, "award_tier": "tier_30"}
    result = one(profile, "sy-urgent-talent-employer")
    assert result["eligible"] is False and result["decided_by"] == f"sy-urgent-talent-employer/{decided_by}"


def test_the_person_side_of_the_urgent_reward_is_unchanged():
    person = {"as_of": "2023-06-01", "city": "shenyang", "employment": {"employer_type": "enterprise"}}
    result = one(person, "sy-urgent-talent-reward")
    assert (result["eligible"], result["one_time_amount"]) == (True, 300_000)
    assert calculate(person) == calculate({**person, "subject": "person"})
    assert "sy-urgent-talent-employer" not in {r["policy"] for r in calculate(person)["results"]}


# -- 博士后科研工作站 / 创新实践基地: 002, "对设立单位由省财政分别给予15万元和10万元资助" ---------------------------


@pytest.mark.parametrize(("stations", "yuan"), [
    (["postdoc_workstation"], 150_000),
    (["postdoc_practice_base"], 100_000),
    (["postdoc_workstation", "postdoc_practice_base"], 250_000),
])
def test_a_unit_that_sets_up_a_postdoc_station_gets_15万_or_10万(stations, yuan):
    profile = {**ORG, "as_of": "2019-06-01", "stations": [{"kind": k, "new": True} for k in stations]}
    result = one(profile, "ln-postdoc-station-grant")
    assert result["eligible"] is True and result["one_time_amount"] == yuan
    assert "分别给予15万元和10万元资助" in result["source"]["quote"]


def test_a_station_held_before_brings_no_grant_and_the_grant_ended_with_the_plan():
    held = {**ORG, "as_of": "2019-06-01", "stations": [{"kind": "postdoc_workstation", "new": False}]}
    result = one(held, "ln-postdoc-station-grant")
    assert result["eligible"] is False and "未新设立博士后科研工作站" in result["reasons"][0]
    new = {**held, "stations": [{"kind": "postdoc_workstation", "new": True}], "as_of": "2021-03-01"}
    assert one(new, "ln-postdoc-station-grant")["decided_by"].endswith("/in-force-until")


def test_skill_platforms_are_500万_20万_10万_and_an_academician_workstation_is_manual():
    profile = {**ORG, "as_of": "2019-06-01", "stations": [
        {"kind": "skill_training_base_national", "new": True}, {"kind": "skill_master_station_provincial",
                                                                "new": True},
        {"kind": "academician_workstation", "new": True}]}
    assert one(profile, "ln-skill-platform-grant")["one_time_amount"] == 5_000_000 + 100_000
    academician = one(profile, "ln-academician-workstation-grant")
    assert academician["eligible"] == "manual" and "金额文件未载明" in " ".join(academician["reasons"])


def test_an_internship_units_subsidy_needs_its_retention_rate_and_the_office_decides():
    nantong = {"subject": "organization", "as_of": "2026-01-01", "city": "nantong",
               "organization": {"internship_unit": True}}
    result = one(nantong, "nt-internship-retention-subsidy")
    assert result["eligible"] == "unknown" and "见习留用率" in result["reasons"][0]
    nantong["organization"]["internship_retention_rate"] = 82.5
    result = one(nantong, "nt-internship-retention-subsidy")
    assert result["eligible"] == "manual" and "见习留用率82.5%" in result["reasons"]


# -- the output, one policy, bad input ------------------------------------------------------------------


def test_a_subjects_answer_holds_only_its_own_policies_in_the_persons_shape():
    catalog = load_catalog()
    answer = calculate(team(level="level_100", added_members=0))
    assert answer["subject"] == "team" and answer["team"] == {"city": "210100"} and answer["choices"] == []
    assert {r["policy"] for r in answer["results"]} == {p.id for p in catalog.subject_policies("team")}
    person_keys = set(calculate({"as_of": "2023-06-01"})["results"][0])
    assert all(set(r) == person_keys for r in answer["results"])
    org = calculate(ORG)
    assert org["organization"] == {"city": "210100", "uscc": USCC}
    assert {r["policy"] for r in org["results"]} == {p.id for p in catalog.subject_policies("organization")}


def test_one_programme_for_one_subject_and_a_policy_of_another_subject_is_refused():
    answer = calculate_policies(team(level="level_500", added_members=2), policy="ln-innovation-team-grant")
    assert [r["policy"] for r in answer["results"]] == ["ln-innovation-team-grant"]
    assert answer["results"][0]["one_time_amount"] == 5_400_000
    with pytest.raises(ProfileError) as caught:
        calculate_policies(team(), policy="sy-rent-subsidy")
    assert caught.value.field == "policy"
    person = calculate_policies({"as_of": "2023-06-01", "city": "shenyang"}, policy="sy-rent-subsidy")
    assert [r["policy"] for r in person["results"]] == ["sy-rent-subsidy"]


@pytest.mark.parametrize(("profile", "field"), [
    ({**TEAM, "subject": "family"}, "subject"),
    (team(level="level_200"), "team.level"),
    (team(added_members=-1), "team.added_members"),
    (team(added_members=2.5), "team.added_members"),
    (team(added_members=True), "team.added_members"),
    ({**TEAM, "degree": "doctor"}, "degree"),  # a person's field in a team's profile
    ({**TEAM, "lead": {"degree": "doctor"}}, "lead.degree"),
    ({**ORG, "organization": {"uscc": "91210100MA0Y5X4A18"}}, "organization.uscc"),  # wrong check character
    ({**ORG, "organization": {"type": "factory"}}, "organization.type"),
    ({**ORG, "organization": {"internship_retention_rate": 120}}, "organization.internship_retention_rate"),
    ({**ORG, "stations": [{"kind": "postdoc_workstation"}]}, "stations[0].new"),
    ({**ORG, "stations": [{"kind": "lab", "new": True}]}, "stations[0].kind"),
    ({**ORG, "award_tier": "tier_12"}, "award_tier"),
    ({**ORG, "received": ["no-such-policy"]}, "received"),
])
def test_bad_team_and_organization_input_names_the_field(profile, field):
    with pytest.raises(ProfileError) as caught:
        calculate(json.loads(json.dumps(profile)))
    assert caught.value.field == field
    assert caught.value.message_zh and caught.value.message_en


# -- the catalog: a subject reads only its own fields --------------------------------------------------


def test_a_person_field_in_a_team_policy_is_a_load_error_with_file_and_line(tmp_path):
    directory = _copy_catalog(tmp_path)
    line = _break(directory, "ln-xingliao-innovation-team-grant.yaml", 'test: team.kind == "innovation"',
                  'test: degree == "doctor"')
    problem, _ = _only_problem(directory)
    assert (problem.file, problem.line) == ("ln-xingliao-innovation-team-grant.yaml", line)
    assert "个人的字段" in problem.message and "团队政策" in problem.message


def test_a_team_field_in_an_organization_policy_and_an_organization_field_in_a_persons_are_errors(tmp_path):
    directory = _copy_catalog(tmp_path)
    _break(directory, "ln-postdoc-station-grant.yaml", "  one_time: 'if(", "  one_time: 'team.added_members + if(")
    _break(directory, "sy-urgent-talent-reward.yaml", 'test: employment.employer_type == "enterprise"',
           "test: organization.key_enterprise")
    with pytest.raises(CatalogError) as caught:
        load_catalog(directory)
    messages = {p.file: p.message for p in caught.value.problems}
    assert "团队的字段" in messages["ln-postdoc-station-grant.yaml"]
    assert "单位的字段" in messages["sy-urgent-talent-reward.yaml"]


def test_a_persons_placeholder_in_a_team_policys_words_is_an_error(tmp_path):
    directory = _copy_catalog(tmp_path)
    _break(directory, "ln-xingliao-startup-team-reward.yaml", "fail: 团队类型为{team.kind}",
           "fail: 学历为{degree}")
    problem, _ = _only_problem(directory)
    assert problem.file == "ln-xingliao-startup-team-reward.yaml" and "{degree}" in problem.message


# -- the command and the API -----------------------------------------------------------------------------


def test_calc_reads_the_team_and_organization_examples():
    for name, policy, yuan in (("team-innovation-liaoning.json", "ln-innovation-team-grant", 4_000_000),
                               ("organization-postdoc-shenyang.json", "ln-postdoc-station-grant", 150_000)):
        out, err = io.StringIO(), io.StringIO()
        assert calc_main([str(EXAMPLES / name)], stdout=out, stderr=err) == 0, err.getvalue()
        answer = json.loads(out.getvalue())
        assert answer["subject"] in ("team", "organization")
        found = next(r for r in answer["results"] if r["policy"] == policy)
        assert (found["eligible"], found["one_time_amount"]) == (True, yuan)
    out = io.StringIO()
    assert calc_main([str(EXAMPLES / "team-innovation-liaoning.json"), "--format", "text"], stdout=out) == 0
    assert "高水平创新创业团队项目资助" in out.getvalue() and "申报主体：团队" in out.getvalue()


def test_calc_bad_team_input_is_exit_2_with_one_line():
    done = subprocess.run(
        [sys.executable, "-m", "rencai.cli", "calc", "-"], input=json.dumps(team(level="level_200")),
        capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "team.level" in lines[0] and "未知取值" in lines[0] and "Traceback" not in done.stderr


def test_api_answers_team_and_organization_profiles_and_refuses_bad_ones(client):
    response = client.post("/api/calc", json.dumps(team(level="first_class", added_members=9)),
                           content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    grant = next(r for r in body["results"] if r["policy"] == "ln-innovation-team-grant")
    assert body["subject"] == "team" and grant["one_time_amount"] == 11_000_000
    response = client.post("/api/calc", json.dumps({**ORG, "award_tier": "tier_9"}), content_type="application/json")
    urgent = next(r for r in response.json()["results"] if r["policy"] == "sy-urgent-talent-employer")
    assert urgent["one_time_amount"] == 90_000
    response = client.post("/api/calc", json.dumps({**ORG, "organization": {"uscc": "123"}}),
                           content_type="application/json")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "organization.uscc" and "统一社会信用代码" in error["message"]


def test_the_selector_the_programmes_app_calls_answers_one_or_all_programmes_of_a_subject():
    import datetime as dt

    from rencai.policies.selectors import policies_for_subject

    record = {"subject": "organization", "city": "shenyang", "organization": {"type": "enterprise"},
              "stations": [{"kind": "postdoc_practice_base", "new": True}]}
    results = policies_for_subject(profile=record, as_of=dt.date(2019, 6, 1))
    assert {r["policy"] for r in results} == {p.id for p in load_catalog().subject_policies("organization")}
    only = policies_for_subject(profile=record, policy="ln-postdoc-station-grant", as_of=dt.date(2019, 6, 1))
    assert [(r["policy"], r["one_time_amount"]) for r in only] == [("ln-postdoc-station-grant", 100_000)]
    with pytest.raises(ProfileError):
        policies_for_subject(profile=record, policy="ln-innovation-team-grant", as_of=dt.date(2019, 6, 1))


# -- the portal page: 个人 / 团队 / 单位 -----------------------------------------------------------------------


def test_the_calculator_page_offers_person_team_and_organization_in_chinese(client):
    page = client.get("/calc/").content.decode()
    assert "为谁计算" in page and 'href="?subject=team"' in page and 'href="?subject=organization"' in page
    team_page = client.get("/calc/", {"subject": "team"})
    assert team_page.status_code == 200
    html = team_page.content.decode()
    assert "评审确定的团队层次" in html and "随同引进并经认定的增加成员人数" in html and "calc-result" not in html
    assert "level_300" in html and "100万元资助层次" in html  # the option's value is a code, its words Chinese
    org = client.get("/calc/", {"subject": "organization"}).content.decode()
    assert "统一社会信用代码" in org and "博士后科研工作站" in org and "您的出生日期" not in org


def test_the_calculator_page_answers_a_team_with_the_per_member_rule(client):
    response = client.get("/calc/", {"subject": "team", "city": "shenyang", "as_of": "2019-06-01",
                                     "team_level": "level_500", "team_added_members": "8"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-policy="ln-innovation-team-grant"' in html and "6,000,000" in html  # 500万 + at most 100万
    assert "团队，在沈阳市" in html and "team.level" not in html and "level_500" not in html.split("calc-form")[0]


def test_the_calculator_page_answers_an_organization_and_names_bad_input_beside_its_question(client):
    response = client.get("/calc/", {"subject": "organization", "city": "shenyang", "as_of": "2019-06-01",
                                     "stations_new": ["postdoc_workstation", "postdoc_practice_base"]})
    html = response.content.decode()
    assert response.status_code == 200 and "250,000" in html
    bad = client.get("/calc/", {"subject": "organization", "as_of": "2019-06-01", "org_uscc": "123",
                                "stations_new": "postdoc_workstation", "stations_held": "postdoc_workstation"})
    assert bad.status_code == 422
    html = bad.content.decode()
    assert "有 1 项需要修改" in html and "不能既是新设立的又是以前已有的" in html
    bad = client.get("/calc/", {"subject": "organization", "as_of": "2019-06-01", "org_uscc": "123"})
    assert bad.status_code == 422 and "统一社会信用代码无效" in bad.content.decode()
    bad = client.get("/calc/", {"subject": "team", "as_of": "2019-06-01", "team_added_members": "-2"})
    assert bad.status_code == 422 and "增加成员人数不能为负数" in bad.content.decode()


def test_the_batch_path_stays_a_persons():
    import datetime as dt

    import polars as pl

    from rencai.policies.batch import evaluate_frame

    with pytest.raises(ValueError, match="person"):
        evaluate_frame(pl.DataFrame({"person_id": [1]}), as_of=dt.date(2019, 6, 1),
                       policies=["ln-innovation-team-grant"])
    assert all(p.subject == "person" for p in load_catalog().person_policies())
