"""Recognition's forms: every problem of an application on the first submit (an employer's missing employee
included, with the other fields, not first and alone); a talent with an application under way is not offered a
second one (nor an upgrade) and is told why, with a link to the one under way; an expert's scores are refused
with every problem at once, next to its field."""

import re

import pytest

from rencai.recognition.models import Application

from .conftest import assignment_of, submitted

pytestmark = pytest.mark.django_db


def test_an_employers_application_reports_every_problem_at_once(client, employer_user, authorization):
    client.force_login(employer_user)
    response = client.post("/recognition/apply/", {"way": "employer", "talent": "", "category": "",
                                                   "annual_salary": "abc"})
    html = response.content.decode()
    assert response.status_code == 422
    for key in ("talent", "category", "annual_salary"):  # beside their fields …
        assert f'id="err-{key}"' in html, key
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    for words in ("请选择申请认定的本单位人才", "请选择申请的人才类别", "年薪"):  # … and all in the summary
        assert words in summary, words
    assert 'href="#err-talent"' in summary and not Application.objects.exists()


def test_no_second_application_is_offered_while_one_is_under_way(client, talent_user):
    pending = submitted(talent_user)
    client.force_login(talent_user)
    mine = client.get("/recognition/mine/").content.decode()
    assert 'href="/recognition/apply/"' not in mine  # neither 申请人才认定 nor 申请认定升级
    notice = mine.split('id="pending-application"', 1)[1].split("</div>", 1)[0]
    assert pending.number in notice and "正在办理" in notice
    assert f'href="/recognition/applications/{pending.pk}/"' in notice
    form = client.get("/recognition/apply/")
    html = form.content.decode()
    assert form.status_code == 200 and 'id="apply-form"' not in html and pending.number in html
    assert f'href="/recognition/applications/{pending.pk}/"' in html
    # Once it ends, the form is offered again.
    client.post(f"/recognition/applications/{pending.pk}/withdraw/", {"confirmed": "1"})
    assert 'id="apply-form"' in client.get("/recognition/apply/").content.decode()
    assert 'href="/recognition/apply/"' in client.get("/recognition/mine/").content.decode()


def test_an_experts_scores_are_refused_all_at_once_next_to_their_fields(client, talent_user, heping_staff,
                                                                        experts):
    from rencai.recognition import services

    application = submitted(talent_user, way="review", category="C")
    services.application_accept(actor=heping_staff, application_id=application.pk)
    services.application_panel_form(actor=heping_staff, application_id=application.pk,
                                    expert_ids=[e.pk for e in experts[:3]])
    assignment = assignment_of(application, experts[0])
    client.force_login(experts[0].user)
    response = client.post(f"/recognition/reviews/{assignment.pk}/",
                           {"confirmed": "1", "professional": "21", "potential": "", "experience": "x",
                            "contribution": "10", "remuneration": "10"})
    html = response.content.decode()
    assert response.status_code == 422 and "novalidate" in html  # the server reports all, not the browser one
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert len(re.findall(r"<li>", summary)) == 3
    for code in ("professional", "potential", "experience"):
        assert f'href="#s-{code}"' in summary
    assert "专业水平：应在0至20分之间" in summary and "能力潜力：请填写0至20的整数分" in summary


def test_an_authorisation_lists_every_problem_in_chinese(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/recognition/authorizations/", {"organization_uscc": "", "valid_from": "x",
                                                            "quota_C": "-1"})
    html = response.content.decode()
    assert response.status_code == 422
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    items = [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", summary)]
    assert items == ["请填写用人单位的统一社会信用代码", "授权起始日“x”不是有效日期，请按 YYYY-MM-DD 填写",
                     "请填写授权截止日", "C类名额应为非负整数，而不是“-1”"], items  # each names its field
