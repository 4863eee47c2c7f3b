"""The expert's task list (评审任务, /reviews/ and recognition's old address) shows the assignments of every
registered kind, each linking to its own scoring page; a kind registers like feedback's rateable items."""

import pytest

from rencai.reviews import subjects

from .conftest import KIND, form, item, score


@pytest.fixture
def test_kind(monkeypatch):
    monkeypatch.setitem(subjects.KINDS, KIND, subjects.Kind(
        KIND, "项目申报（测试）",
        lambda ids: {pk: subjects.Item(number=f"XM{pk:05d}", applicant="测试团队", detail="青年拔尖人才")
                     for pk in ids},
        lambda assignment_id: f"/programmes/score/{assignment_id}/"))


def test_the_task_list_shows_every_kind(client, test_kind, heping_staff, experts, orgs, sheet, make_user,
                                        make_talent):
    from rencai.recognition import services as recognition
    from rencai.recognition.tests.conftest import submitted
    from rencai.reviews.models import Assignment

    first, second = item(), item()
    form(heping_staff, first, orgs, [experts["丙"], experts["丁"], experts["戊"]], sheet)
    form(heping_staff, second, orgs, [experts["丙"], experts["丁"], experts["戊"]], sheet)
    score(experts["丙"], second, 25, 33)
    applicant = make_user("page-talent", "talent")
    talent = make_talent(name="页面测试")
    talent.user = applicant
    talent.save(update_fields=["user"])
    application = submitted(applicant, way="review", category="D")
    recognition.application_accept(actor=heping_staff, application_id=application.pk)
    recognition.application_panel_form(actor=heping_staff, application_id=application.pk,
                                       expert_ids=[experts[n].pk for n in ("丙", "丁", "戊")])
    mine = Assignment.objects.get(panel__kind="recognition.application", expert=experts["丙"])
    client.force_login(experts["丙"].user)
    for address in ("/reviews/", "/recognition/reviews/"):
        html = client.get(address).content.decode()
        table = html.split('id="assignments"')[1].split("</table>")[0]
        assert f"XM{first.id:05d}" in table and f"XM{second.id:05d}" in table and application.number in table
        assert "项目申报（测试）" in table and "人才认定申请" in table and "已评 83 分" in table
        assert f'href="/recognition/reviews/{mine.pk}/"' in table and table.count("待评分") == 2
    client.force_login(experts["甲"].user)  # stands aside: nothing listed
    assert "暂无评审任务" in client.get("/reviews/").content.decode()
    client.force_login(heping_staff)
    assert client.get("/reviews/").status_code == 403


def test_staff_record_an_experts_declared_conflict_on_a_recognition_application(client, heping_staff, experts,
                                                                                 make_user, make_talent):
    from rencai.recognition import services as recognition
    from rencai.recognition.tests.conftest import submitted
    from rencai.reviews.models import ConflictDeclaration

    applicant = make_user("declare-talent", "talent")
    talent = make_talent(name="回避测试")
    talent.user = applicant
    talent.save(update_fields=["user"])
    application = submitted(applicant, way="review", category="D")
    recognition.application_accept(actor=heping_staff, application_id=application.pk)
    client.force_login(heping_staff)
    address = f"/recognition/applications/{application.pk}/"
    refused = client.post(f"{address}declare/", {"expert": experts["丙"].pk, "reason": "", "confirmed": "1"})
    assert refused.status_code == 422 and "请填写回避理由" in refused.content.decode()
    asked = client.post(f"{address}declare/", {"expert": experts["丙"].pk, "reason": "与申请人系师生关系"})
    assert asked.status_code == 200 and "确认记录回避" in asked.content.decode()  # asked first (core/confirm.py)
    assert not ConflictDeclaration.objects.exists()
    done = client.post(f"{address}declare/", {"expert": experts["丙"].pk, "reason": "与申请人系师生关系",
                                             "confirmed": "1"})
    assert done.status_code == 302
    declaration = ConflictDeclaration.objects.get()
    assert (declaration.expert, declaration.declared_by, declaration.kind, declaration.object_id) == (
        experts["丙"], heping_staff, "recognition.application", application.pk)
    html = client.get(address).content.decode()
    assert "丙专家（专家已申报回避（与申请人系师生关系））" in html and f'id="expert-{experts["丙"].pk}"' not in html
    panel = client.post(f"{address}panel/", {"confirmed": "1", "experts": [experts[n].pk for n in ("丙", "丁", "戊")]})
    assert panel.status_code == 422 and "丙专家须回避" in panel.content.decode()
