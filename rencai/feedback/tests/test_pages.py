"""The pages of 咨询与评价: every form answers bad input with a 4xx naming the field in Chinese and writes nothing,
irreversible acts ask first, lists are a fixed number of queries, the FAQ is on the policy's page."""

import pytest
from django.urls import reverse

from rencai.accounts.context_processors import nav_entries
from rencai.feedback import services
from rencai.feedback.enums import CaseStatus, ConsultationStatus, Grade
from rencai.feedback.models import Case, Consultation, Rating

pytestmark = pytest.mark.django_db
RENT = "sy-rent-subsidy"


def _labels(user) -> set[str]:
    found = set()
    for entry in nav_entries(user):
        found |= {i.label for i in entry.items} if entry.items else {entry.label}
    return found


def test_menu_entries_per_role(talent_user, heping_staff, make_supervisor, leader):
    assert "咨询评价" in _labels(talent_user)
    assert "咨询答复" in _labels(heping_staff) and "回访督办" not in _labels(heping_staff)
    assert {"咨询答复", "回访督办", "满意度"} <= _labels(make_supervisor("lead"))
    assert "满意度" in _labels(leader) and "咨询答复" not in _labels(leader)


def test_asking_names_the_field_and_writes_nothing_then_asks(client, talent_user, talent):
    client.force_login(talent_user)
    assert client.get(reverse("feedback:ask") + f"?policy={RENT}").status_code == 200
    response = client.post(reverse("feedback:ask"), {"policy": "nope", "question": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "请填写咨询内容" in html and "咨询政策" in html and not Consultation.objects.exists()
    response = client.post(reverse("feedback:ask"), {"policy": RENT, "question": "要什么材料？"})
    consultation = Consultation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("feedback:question",
                                                                           args=[consultation.pk])


def test_answer_and_publish_ask_first_and_refuse_personal_numbers(client, talent_user, talent, heping_staff):
    consultation = services.consultation_ask(actor=talent_user, question=f"我是{talent.name}，可以申请吗？",
                                             policy_id=RENT)
    client.force_login(heping_staff)
    url = reverse("feedback:consultation_act", args=[consultation.pk])
    page = client.get(reverse("feedback:question", args=[consultation.pk])).content.decode()
    assert 'data-confirm' in page and "答复内容" in page
    asked = client.post(url, {"action": "answer", "answer": "可以"})  # not yet confirmed: the question only
    assert asked.status_code == 200 and "确认答复" in asked.content.decode()
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.OPEN
    empty = client.post(url, {"action": "answer", "answer": " ", "confirmed": "1"})
    assert empty.status_code == 422 and "请填写答复内容" in empty.content.decode()
    client.post(url, {"action": "answer", "answer": "可以，请在政策兑现页面申请。", "confirmed": "1"})
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.ANSWERED
    page = client.get(reverse("feedback:question", args=[consultation.pk])).content.decode()
    assert talent.name not in page.split("公开的问题")[1]  # the suggested FAQ wording has no name
    refused = client.post(url, {"action": "publish", "faq_question": "电话13812345678怎么办",
                                "faq_answer": "请申请", "confirmed": "1"})
    assert refused.status_code == 422 and "公开的问题中含有手机号码" in refused.content.decode()
    client.post(url, {"action": "publish", "faq_question": "可以申请吗？", "faq_answer": "可以，请在政策兑现页面申请。",
                      "confirmed": "1"})
    detail = client.get(reverse("policies:detail", args=[RENT])).content.decode()
    assert "可以申请吗？" in detail and talent.name not in detail


def test_rating_through_the_page(client, talent_user, talent, rejected, make_supervisor):
    make_supervisor("lead")
    application = rejected()
    client.force_login(talent_user)
    page = client.get(reverse("feedback:mine")).content.decode()
    assert application.number in page and "非常不满意" in page
    url = reverse("feedback:rate")
    data = {"subject_kind": "fulfilment.application", "subject_id": application.pk, "confirmed": "1"}
    bad = client.post(url, {**data, "grade": ""})
    assert bad.status_code == 422 and "评价等级" in bad.content.decode() and not Rating.objects.exists()
    poor = client.post(url, {**data, "grade": Grade.DISSATISFIED, "comment": ""})
    assert poor.status_code == 422 and "差评请写明不满意的原因" in poor.content.decode()
    asked = client.post(url, {"subject_kind": "fulfilment.application", "subject_id": application.pk,
                              "grade": Grade.DISSATISFIED, "comment": "没说清楚"})
    assert "转给被评价人所在部门的主管" in asked.content.decode() and not Rating.objects.exists()
    assert client.post(url, {**data, "grade": Grade.DISSATISFIED, "comment": "没说清楚"}).status_code == 302
    assert Case.objects.get().status == CaseStatus.OPEN
    again = client.post(url, {**data, "grade": Grade.SATISFIED})
    assert again.status_code == 409 and "回访处理中" in again.content.decode()
    assert Rating.objects.count() == 1


def test_complaint_form_names_every_bad_field(client, talent_user, talent, make_supervisor):
    make_supervisor("lead")
    client.force_login(talent_user)
    assert client.get(reverse("feedback:complain")).status_code == 200
    bad = client.post(reverse("feedback:complain"), {"about_kind": "person", "about_person": "999", "text": "",
                                                     "confirmed": "1"})
    html = bad.content.decode()
    assert bad.status_code == 422 and "涉及人员" in html and "请填写反映内容" in html and not Case.objects.exists()


def test_supervisor_pages_and_their_refusals(client, talent_user, talent, rejected, make_supervisor, heping_staff,
                                             leader):
    lead = make_supervisor("lead")
    rating = services.rating_give(actor=talent_user, subject_kind="fulfilment.application",
                                  subject_id=rejected().pk, grade=Grade.VERY_DISSATISFIED, comment="慢")
    case = rating.case
    client.force_login(heping_staff)  # the person rated: not a supervisor, sees no case
    assert client.get(reverse("feedback:cases")).status_code == 403
    assert client.get(reverse("feedback:case", args=[case.pk])).status_code == 404
    assert client.get(reverse("feedback:satisfaction")).status_code == 403
    client.force_login(lead)
    listing = client.get(reverse("feedback:cases")).content.decode()
    assert case.number in listing
    url = reverse("feedback:case_act", args=[case.pk])
    empty = client.post(url, {"action": "call_back", "note": "", "confirmed": "1"})
    assert empty.status_code == 422 and "请填写回访情况" in empty.content.decode()
    early = client.post(url, {"action": "resolve", "note": "好了", "confirmed": "1"})
    assert early.status_code == 409
    client.post(url, {"action": "call_back", "note": "已联系", "confirmed": "1"})
    client.post(url, {"action": "resolve", "note": "已说明", "confirmed": "1"})
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED
    client.force_login(leader)
    table = client.get(reverse("feedback:satisfaction")).content.decode()
    assert heping_staff.department.name in table and "非常不满意" in table


def _count(client, url, django_assert_max_num_queries) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_lists_are_a_fixed_number_of_queries(client, talent_user, talent, heping_staff, make_supervisor, leader,
                                             rejected, django_assert_max_num_queries):
    """The talent's page, the department's questions, the supervisor's cases and the satisfaction table read
    the same number of queries whatever their rows (pinned, and compared at one and at three rows)."""
    # The talent's page reads each kind of rateable item (applications, their decided steps, questions, 一件事).
    lead = make_supervisor("lead")
    pages = [(talent_user, "feedback:mine", 12), (heping_staff, "feedback:queue", 9), (lead, "feedback:cases", 8),
             (leader, "feedback:satisfaction", 11)]

    def add():
        c = services.consultation_ask(actor=talent_user, question="问题", policy_id=RENT)
        services.consultation_transition(actor=heping_staff, consultation_id=c.pk, action="answer", answer="答")
        services.rating_give(actor=talent_user, subject_kind="feedback.consultation", subject_id=c.pk,
                             grade=Grade.DISSATISFIED, comment="不清楚")
        services.consultation_ask(actor=talent_user, question="再问", policy_id=RENT)

    add()
    counts = {}
    for user, name, _pinned in pages:
        client.force_login(user)
        counts[name] = _count(client, reverse(name) + ("?status=all" if name == "feedback:queue" else ""),
                              django_assert_max_num_queries)
    add()
    add()
    for user, name, pinned in pages:
        client.force_login(user)
        again = _count(client, reverse(name) + ("?status=all" if name == "feedback:queue" else ""),
                       django_assert_max_num_queries)
        assert again == counts[name], (name, counts[name], again)
        assert again == pinned, (name, again)


@pytest.mark.parametrize("role, region, expected", [
    ("staff", "210102", "feedback:queue"), ("leader", "210100", "feedback:satisfaction"),
    ("admin", None, "feedback:cases"), ("employer", None, None)])
def test_the_talents_page_sends_other_roles_to_their_own(client, make_user, role, region, expected):
    from rencai.conftest import make_uscc
    from rencai.organizations.services import organization_create

    organization = organization_create(name="沈阳评价科技有限公司", uscc=make_uscc(), kind="enterprise",
                                       district="和平区") if role == "employer" else None
    client.force_login(make_user("u", role, region, organization=organization))
    response = client.get(reverse("feedback:mine"))
    if expected is None:
        assert response.status_code == 403 and "人才本人" in response.content.decode()
    else:
        assert response.status_code == 302 and response["Location"] == reverse(expected)


def test_general_questions_published_show_before_asking(client, talent_user, talent, heping_staff):
    """An FAQ about no policy is shown on the question form (a policy's, on its page and when it is chosen)."""
    general = services.consultation_ask(actor=talent_user, question="窗口在哪里？")
    services.consultation_transition(actor=heping_staff, consultation_id=general.pk, action="answer", answer="一楼")
    services.consultation_transition(actor=heping_staff, consultation_id=general.pk, action="publish",
                                     faq_question="服务窗口在哪里？", faq_answer="行政审批大厅一楼")
    client.force_login(talent_user)
    assert "服务窗口在哪里？" in client.get(reverse("feedback:ask")).content.decode()
    assert "服务窗口在哪里？" not in client.get(reverse("feedback:ask") + f"?policy={RENT}").content.decode()


def test_a_rating_names_every_bad_field_at_once(talent_user, talent):
    from rencai.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as failed:
        services.rating_give(actor=talent_user, subject_kind="nothing", subject_id=1, grade="")
    assert {e.field for e in failed.value.errors} == {"subject", "grade"}
