"""好差评 where the item is: a finished 政策兑现 application's page and an answered question's page show the talent
the form (posting to feedback:rate and returning to the page), then "您的评价" with the 差评's case; an open
question shows why it cannot be rated yet; other viewers see no form."""

import pytest
from django.urls import reverse
from django.utils import timezone

from rencai.feedback import services
from rencai.feedback.enums import Grade
from rencai.feedback.models import Case, Rating

pytestmark = pytest.mark.django_db
RENT = "sy-rent-subsidy"


def test_a_finished_application_is_rated_on_its_page(client, talent_user, talent, rejected, make_supervisor):
    make_supervisor("heping_lead")
    application = rejected()
    url = reverse("fulfilment:detail", args=[application.pk])
    client.force_login(talent_user)
    page = client.get(url).content.decode()
    assert 'class="rate-form"' in page and "非常不满意" in page
    response = client.post(reverse("feedback:rate"), {
        "subject_kind": "fulfilment.application", "subject_id": application.pk, "grade": Grade.VERY_DISSATISFIED,
        "comment": "理由没说清楚", "next": url, "confirmed": "1"})
    assert response.status_code == 302 and response["Location"] == url
    case = Case.objects.get()
    page = client.get(url).content.decode()
    rated = page.split('id="rating"')[1].split("</section>")[0]  # the application's own panel
    assert "您的评价：<strong>非常不满意</strong>" in rated and f"回访 {case.number}</a>：待回访" in rated
    assert 'class="rate-form"' not in rated


def test_the_question_page_says_why_then_takes_the_rating(client, talent_user, talent, heping_staff):
    consultation = services.consultation_ask(actor=talent_user, question="要什么材料？", policy_id=RENT)
    url = reverse("feedback:question", args=[consultation.pk])
    client.force_login(talent_user)
    page = client.get(url).content.decode()
    assert "该咨询尚未答复，答复后才能评价" in page and 'class="rate-form"' not in page
    services.consultation_transition(actor=heping_staff, consultation_id=consultation.pk, action="answer",
                                     answer="劳动合同和社保缴纳证明。")
    assert 'class="rate-form"' in client.get(url).content.decode()
    response = client.post(reverse("feedback:rate"), {
        "subject_kind": "feedback.consultation", "subject_id": consultation.pk, "grade": Grade.SATISFIED,
        "next": url, "confirmed": "1"})
    assert response["Location"] == url
    rating = Rating.objects.get()
    page = client.get(url).content.decode()
    day = timezone.localtime(rating.created_at)  # the page shows the local day (after 16:00 UTC, the next one)
    assert f"您的评价：<strong>满意</strong>（{day:%Y-%m-%d}）" in page and not Case.objects.exists()
    client.force_login(heping_staff)  # the officer sees the rating, not a form
    page = client.get(url).content.decode()
    assert "满意" in page and 'class="rate-form"' not in page


def test_each_decided_step_is_rated_on_the_application_page(client, talent_user, talent, heping_staff,
                                                           make_supervisor):
    """A step a department has decided is rated while the application goes on (the district's review, before
    the city's approval); its 差评 goes to that department's supervisor; a step not yet taken offers nothing."""
    from rencai.fulfilment import services as fulfilment_services
    from rencai.fulfilment.models import ApplicationStep
    from rencai.fulfilment.tests.conftest import POLICY, put_on_file

    supervisor = make_supervisor("heping_lead")
    put_on_file(talent_user, talent)
    application, _ = fulfilment_services.application_submit(actor=talent_user, talent_id=talent.pk, policy_id=POLICY)
    url = reverse("fulfilment:detail", args=[application.pk])
    client.force_login(talent_user)
    assert 'id="rating-step-' not in client.get(url).content.decode()  # nothing decided yet
    fulfilment_services.application_approve(actor=heping_staff, application_id=application.pk, reason="材料齐全")
    district = ApplicationStep.objects.get(application=application, decided_by=heping_staff)
    page = client.get(url).content.decode()
    step_panel = page.split(f'id="rating-step-{district.pk}"')[1].split("</section>")[0]
    assert f"评价“{district.title}”环节（{district.department}）" in step_panel and 'class="rate-form"' in step_panel
    assert page.count('class="card rating-panel"') == 2  # the application's (not finished: why) and the step's
    response = client.post(reverse("feedback:rate"), {
        "subject_kind": "fulfilment.step", "subject_id": district.pk, "grade": Grade.DISSATISFIED,
        "comment": "审核时要求补交已经上传过的材料", "next": url, "confirmed": "1"})
    assert response.status_code == 302 and response["Location"] == url
    case = Case.objects.get()
    assert case.assignee == supervisor and case.assignee != heping_staff
    assert Rating.objects.get().person_id == heping_staff.pk
    step_panel = client.get(url).content.decode().split(f'id="rating-step-{district.pk}"')[1].split("</section>")[0]
    assert "您的评价：<strong>不满意</strong>" in step_panel and 'class="rate-form"' not in step_panel
    twice = client.post(reverse("feedback:rate"), {"subject_kind": "fulfilment.step", "subject_id": district.pk,
                                                    "grade": Grade.SATISFIED, "confirmed": "1"})
    assert twice.status_code == 409 and Rating.objects.count() == 1
    pending = ApplicationStep.objects.filter(application=application, decided_by__isnull=True).first()
    refused = client.post(reverse("feedback:rate"), {"subject_kind": "fulfilment.step", "subject_id": pending.pk,
                                                      "grade": Grade.SATISFIED, "confirmed": "1"})
    assert refused.status_code == 409 and "尚未办理" in refused.content.decode()
