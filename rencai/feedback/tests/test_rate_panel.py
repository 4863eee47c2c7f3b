"""好差评 where the item is: a finished 政策兑现 application's page and an answered question's page show the talent
the form (posting to feedback:rate and returning to the page), then "您的评价" with the 差评's case; an open
question shows why it cannot be rated yet; other viewers see no form."""

import pytest
from django.urls import reverse

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
    assert "您的评价：<strong>非常不满意</strong>" in page and f"回访 {case.number}</a>：待回访" in page
    assert 'class="rate-form"' not in page


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
    assert f"您的评价：<strong>满意</strong>（{rating.created_at:%Y-%m-%d}）" in page and not Case.objects.exists()
    client.force_login(heping_staff)  # the officer sees the rating, not a form
    page = client.get(url).content.decode()
    assert "满意" in page and 'class="rate-form"' not in page
