"""Draft revisions, publication and open-point decisions (issue 13), through the services."""

import datetime as dt

import pytest

from rencai.core.errors import Conflict, PermissionDenied
from rencai.policies.calculator import calculate, default_catalog
from rencai.policies.published import shipped_texts
from rencai.workbench import editing, services
from rencai.workbench.models import RevisionState, RuleCase, RuleRevision
from rencai.workbench.tests.conftest import DOCTOR_CASE

pytestmark = pytest.mark.django_db
FILE = "sy-living-subsidy-graduate.yaml"
POLICY = "sy-living-subsidy-graduate"
DOCTOR_2012 = {"city": "210100", "birth_date": "1985-03-01", "degree": "doctor", "graduation_date": "2012-07-01"}
AS_OF = dt.date(2027, 3, 1)


def _result(profile, as_of=AS_OF):
    answer = calculate(profile, as_of=as_of)
    return next(r for r in answer["results"] if r["policy"] == POLICY)




def _shipped() -> str:
    return shipped_texts()[FILE]


def _with_point(text: str) -> str:
    """The shipped rule with a graduation-window open point (the sentence is 004's)."""
    if "graduation-window" in text:
        return text
    return text.replace("notes:", "open_points:\n  - id: graduation-window\n    question: 毕业多少年内可以申领？\n"
                                  "    sentence: 博士毕业生每月2500元\nnotes:", 1)


def test_a_draft_changes_nothing_until_published(publish, officer, replace_case):
    replace_case(POLICY, DOCTOR_CASE, monthly=3000)
    text = editing.edit_fields(_shipped(), values={("subsidy", "doctor"): 3000})
    draft = services.revision_create(actor=officer, file=FILE, text=text, note="博士提高到3000元")
    assert draft.number == 1 and draft.state == RevisionState.DRAFT
    assert _result(DOCTOR_2012)["monthly_amount"] == 2500
    publish(draft, "市政府2026年第12号文件")
    assert _result(DOCTOR_2012)["monthly_amount"] == 3000
    draft.refresh_from_db()
    assert draft.in_force and draft.published_by == officer and draft.publish_reason == "市政府2026年第12号文件"
    from rencai.policies.models import PolicyRecord

    assert PolicyRecord.objects.get(policy=POLICY).rule_text == text


def test_a_second_publication_keeps_the_first(publish, officer, replace_case):
    replace_case(POLICY, DOCTOR_CASE, monthly=3000)
    first = services.revision_create(actor=officer, file=FILE,
                                     text=editing.edit_fields(_shipped(), values={("subsidy", "doctor"): 3000}))
    publish(first, "一")
    replace_case(POLICY, DOCTOR_CASE, monthly=2800)
    second = services.revision_create(actor=officer, file=FILE, based_on=first,
                                      text=editing.edit_fields(first.text, values={("subsidy", "doctor"): 2800}))
    publish(second, "二")
    first.refresh_from_db()
    assert not first.in_force and first.state == RevisionState.PUBLISHED
    assert RuleRevision.objects.filter(file=FILE, in_force=True).get().pk == second.pk
    assert _result(DOCTOR_2012)["monthly_amount"] == 2800


@pytest.mark.parametrize(("change", "words"), [
    (lambda t: t.replace("amount:\n  monthly: subsidy", "amount:\n  monthly: subsidy +", 1), "第"),
    (lambda t: t.replace('when: degree == "doctor"', 'when: degree == "phd"', 1), "第"),
    (lambda t: t.replace("发放期限最长三年", "发放期限最长五年", 1), "不在依据文件中"),
    (lambda t: t.replace("months: 36", "months: 0", 1), "months"),
])
def test_a_rule_that_does_not_check_is_refused_with_the_place(publish, officer, change, words):
    with pytest.raises(services.RuleError) as refused:
        services.revision_create(actor=officer, file=FILE, text=change(_shipped()))
    assert words in refused.value.message
    assert refused.value.status == 422
    assert not RuleRevision.objects.exists()


def test_only_officers_write_rules(publish, heping_staff, officer):
    with pytest.raises(PermissionDenied):
        services.revision_create(actor=heping_staff, file=FILE, text=_shipped())
    draft = services.revision_create(actor=officer, file=FILE, text=_shipped())
    with pytest.raises(PermissionDenied):
        publish(draft, "x", actor=heping_staff)


def test_publishing_needs_a_reason_and_refuses_a_stale_draft(publish, officer, replace_case):
    replace_case(POLICY, DOCTOR_CASE, monthly=3000)
    a = services.revision_create(actor=officer, file=FILE,
                                 text=editing.edit_fields(_shipped(), values={("subsidy", "doctor"): 3000}))
    b = services.revision_create(actor=officer, file=FILE,
                                 text=editing.edit_fields(_shipped(), values={("subsidy", "master"): 1500}))
    with pytest.raises(services.RuleError):
        publish(a, "  ")
    publish(a, "提高博士标准")
    with pytest.raises(Conflict) as stale:
        publish(b, "提高硕士标准")
    assert stale.value.status == 409
    assert _result(DOCTOR_2012)["monthly_amount"] == 3000  # the one in force stays
    with pytest.raises(Conflict):
        publish(a, "again")


def test_a_revision_that_fails_a_case_is_refused(publish, officer):
    RuleCase.objects.create(policy=POLICY, name="博士每月2500元", profile=DOCTOR_2012, as_of=AS_OF,
                            expected_status="true", expected_monthly=2500, created_by=officer)
    draft = services.revision_create(actor=officer, file=FILE,
                                     text=editing.edit_fields(_shipped(), values={("subsidy", "doctor"): 3000}))
    with pytest.raises(services.RuleError) as refused:
        publish(draft, "提高")
    assert "博士每月2500元" in refused.value.message and "每月金额预期2500" in refused.value.message
    draft.refresh_from_db()
    assert draft.state == RevisionState.DRAFT and not RuleRevision.objects.filter(in_force=True).exists()
    assert _result(DOCTOR_2012)["monthly_amount"] == 2500


def _decided(text: str, **overrides) -> str:
    values = {"kind": "condition", "basis": "沈阳市高校毕业生生活补贴实施细则（沈人社发〔2026〕9号）",
              "basis_date": dt.date(2026, 11, 20), "effective_from": dt.date(2027, 1, 1), "by": "王政策",
              "on": dt.date(2026, 12, 3),
              "condition": {"id": "graduated-within-5-years", "test": "as_of <= add_years(graduation_date, 5)",
                            "fail": "毕业时间{graduation_date}，已超过毕业五年"}}
    values.update(overrides)
    return editing.decide_point(_with_point(text), "graduation-window", **values)


def test_a_decided_window_applies_from_its_day_and_is_named_in_results(publish, officer):
    draft = services.revision_create(actor=officer, file=FILE, text=_decided(_shipped()))
    publish(draft, "实施细则明确毕业年限")
    old = _result(DOCTOR_2012)
    assert old["eligible"] is False
    assert old["decisions"][0]["point"] == "graduation-window"
    assert old["decisions"][0]["basis"].startswith("沈阳市高校毕业生生活补贴实施细则")
    recent = _result({**DOCTOR_2012, "graduation_date": "2024-07-01"})
    assert recent["eligible"] is True and recent["decisions"][0]["from"] == "2027-01-01"
    before_the_day = _result(DOCTOR_2012, as_of=dt.date(2026, 12, 31))
    assert before_the_day["eligible"] is True and before_the_day["decisions"] == []
    # Five years 以内 include the day five years after graduation (民法典 1259).
    assert _result({**DOCTOR_2012, "graduation_date": "2022-03-01"})["eligible"] is True
    assert _result({**DOCTOR_2012, "graduation_date": "2022-02-28"})["eligible"] is False


def test_an_open_point_decided_without_basis_is_refused(publish, officer):
    text = _decided(_shipped()).replace("basis: 沈阳市高校毕业生生活补贴实施细则（沈人社发〔2026〕9号）", "basis: ''")
    with pytest.raises(services.RuleError) as refused:
        services.revision_create(actor=officer, file=FILE, text=text)
    assert "依据" in refused.value.message


def test_a_decision_must_be_encoded_in_the_rule(publish, officer):
    text = _decided(_shipped()).replace("    decision: graduation-window\n", "")
    with pytest.raises(services.RuleError) as refused:
        services.revision_create(actor=officer, file=FILE, text=text)
    assert "没有引用它的条件" in refused.value.message


def test_an_undecided_point_is_listed_as_open(publish, officer):
    draft = services.revision_create(actor=officer, file=FILE, text=_with_point(_shipped()))
    publish(draft, "列出开放事项")
    result = _result(DOCTOR_2012)
    assert "毕业多少年内可以申领？" in result["open_points"] and result["decisions"] == []
    assert default_catalog().policies[POLICY].open_points[0].decision is None


def test_the_rules_in_force_export_as_a_catalog(publish, officer, tmp_path, replace_case):
    replace_case(POLICY, DOCTOR_CASE, monthly=3100)
    from django.core.management import call_command

    from rencai.policies.engine.catalog import load_catalog

    draft = services.revision_create(actor=officer, file=FILE,
                                     text=editing.edit_fields(_shipped(), values={("subsidy", "doctor"): 3100}))
    publish(draft, "导出测试")
    call_command("rules_export", str(tmp_path))
    exported = load_catalog(tmp_path)
    assert exported.policies[POLICY].lets[0].rows[0].value == 3100
    assert (tmp_path / FILE).read_text(encoding="utf-8") == draft.text
    assert set(p.name for p in tmp_path.glob("*.yaml")) == set(shipped_texts())


def test_the_demo_leaves_one_draft_that_changes_no_result(make_user):
    from django.contrib.auth.models import Permission

    from rencai.accounts.enums import Role
    from rencai.workbench.demo import DEMO_FILE, workbench_demo_load

    officer = make_user("policy_officer_demo", Role.STAFF, "210100")
    officer.username = "policy_officer"
    officer.save()
    officer.user_permissions.add(Permission.objects.get(codename="edit_rules"))
    draft = workbench_demo_load()
    assert draft.state == RevisionState.DRAFT and draft.file == DEMO_FILE
    assert workbench_demo_load().pk == draft.pk  # run again: the same draft
    checked = services.rule_check(DEMO_FILE, draft.text)
    assert services.changed_policies(default_catalog(), checked.catalog) == []
