"""The workbench's pages, as an officer and as others (issue 13)."""

import pytest
from django.urls import reverse

from rencai.policies.published import shipped_texts
from rencai.workbench.models import RevisionState, RuleRevision

pytestmark = pytest.mark.django_db
POLICY = "sy-living-subsidy-graduate"
FILE = f"{POLICY}.yaml"


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def test_officers_see_the_rules_and_others_do_not(client, officer_client, heping_staff):
    page = officer_client.get(reverse("workbench:home"))
    assert page.status_code == 200 and "高校毕业生生活补贴" in page.content.decode()
    assert officer_client.get(reverse("workbench:policy", args=[POLICY])).status_code == 200
    assert officer_client.get(reverse("workbench:edit", args=[POLICY])).status_code == 200
    assert officer_client.get(reverse("workbench:policy", args=["sy-no-such-policy"])).status_code == 404
    client.force_login(heping_staff)
    for url in (reverse("workbench:home"), reverse("workbench:edit", args=[POLICY])):
        assert client.get(url).status_code == 403


def test_a_text_that_does_not_parse_is_refused_with_its_line(officer_client):
    text = shipped_texts()[FILE].replace("months: 36", "months: [36", 1)
    page = officer_client.post(reverse("workbench:edit", args=[POLICY]),
                               {"mode": "text", "text": text, "note": "改期限"})
    assert page.status_code == 422
    assert "第" in page.content.decode() and "行" in page.content.decode()
    assert not RuleRevision.objects.exists()


def test_the_common_fields_make_a_draft_and_its_page_compares_it(officer_client):
    edit = officer_client.get(reverse("workbench:edit", args=[POLICY]))
    form = edit.context["fields_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update({"mode": "fields", "note": "博士标准提高", "in_force_until": ""})
    doctor = next(i for i, row in enumerate(form.rows) if row["row"] == "doctor")
    data[f"row_{doctor}"] = "3000"
    answer = officer_client.post(reverse("workbench:edit", args=[POLICY]), data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    draft = RuleRevision.objects.get()
    assert "value: 3000" in draft.text and draft.state == RevisionState.DRAFT
    page = officer_client.get(answer["Location"]).content.decode()
    assert "已修改" in page and "3000" in page and "2500" in page
    compare = officer_client.get(reverse("workbench:compare", args=[POLICY]), {"a": 0, "b": 1}).content.decode()
    assert "3000" in compare and "2500" in compare


def test_a_quote_that_is_not_in_the_document_is_refused(officer_client):
    edit = officer_client.get(reverse("workbench:edit", args=[POLICY]))
    form = edit.context["fields_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update({"mode": "fields", "note": "改原文", "in_force_until": "", "quote": "博士毕业生每月3000元"})
    page = officer_client.post(reverse("workbench:edit", args=[POLICY]), data)
    assert page.status_code == 422 and "不在依据文件中" in page.content.decode()


def test_publishing_from_the_page(officer_client, django_capture_on_commit_callbacks, replace_case):
    from rencai.workbench.tests.conftest import DOCTOR_CASE

    replace_case(POLICY, DOCTOR_CASE, monthly=2600)
    text = shipped_texts()[FILE].replace("value: 2500", "value: 2600", 1)
    officer_client.post(reverse("workbench:edit", args=[POLICY]), {"mode": "text", "text": text, "note": "n"})
    draft = RuleRevision.objects.get()
    url = reverse("workbench:publish", args=[draft.pk])
    refused = officer_client.post(url, {"reason": "", "confirmed": "1"})
    assert refused.status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        done = officer_client.post(url, {"reason": "市政府通知", "confirmed": "1"})
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.in_force
    calculator = officer_client.get(reverse("policies:detail", args=[POLICY])).content.decode()
    assert "value: 2600" in calculator


def test_only_an_administrator_names_policy_officers(client, admin_user, heping_staff):
    client.force_login(heping_staff)
    assert client.get(reverse("workbench:officers")).status_code == 403
    client.force_login(admin_user)
    assert client.post(reverse("workbench:officers"), {"user": heping_staff.pk, "grant": "1"}).status_code == 302
    heping_staff.refresh_from_db()
    assert heping_staff.has_perm("workbench.edit_rules")
    client.force_login(heping_staff)
    assert client.get(reverse("workbench:home")).status_code == 200


def test_the_lists_and_the_policy_page_say_which_decision_a_result_rests_on(officer_client, officer, publish,
                                                                             make_talent):
    import datetime as dt

    from rencai.policies.matching import match_run
    from rencai.workbench import editing, services

    text = shipped_texts()[FILE]
    if "graduation-window" not in text:
        text = text.replace("notes:", "open_points:\n  - id: graduation-window\n    question: 毕业多少年内可以申领？\n"
                                      "    sentence: 博士毕业生每月2500元\nnotes:", 1)
    text = editing.decide_point(
        text, "graduation-window", kind="condition", basis="沈阳市高校毕业生生活补贴实施细则",
        basis_date=dt.date(2026, 11, 20), effective_from=dt.date(2026, 12, 1), by="孙政策", on=dt.date(2026, 12, 3),
        condition={"id": "graduated-within-5-years", "test": "as_of <= add_years(graduation_date, 5)",
                   "fail": "已超过毕业五年"})
    publish(services.revision_create(actor=officer, file=FILE, text=text), "实施细则")
    make_talent(name="近五年", graduation_date="2023-07-01")
    make_talent(name="十年前", graduation_date="2012-07-01")
    match_run(as_of=dt.date(2027, 1, 4))
    page = officer_client.get(reverse("policies:match_list", args=[POLICY])).content.decode()
    assert "名单依据本单位对文件未写明事项的决定" in page and "沈阳市高校毕业生生活补贴实施细则" in page
    assert "近五年" in page and "十年前" not in page
    detail = officer_client.get(reverse("policies:detail", args=[POLICY])).content.decode()
    assert "本单位已决定" in detail and "孙政策" in detail
