"""好差评 on the request's own page: nothing to rate while a part is open (the reason is shown), the form once
done, back to the page after rating, then "您的评价" with the 差评's case; an unsafe ``next`` goes to /feedback/."""

import pytest
from django.urls import reverse

from rencai.feedback.enums import CaseStatus, Grade
from rencai.feedback.models import Case, Rating
from rencai.services import services
from rencai.services.enums import PartAction

from .conftest import set_category

pytestmark = pytest.mark.django_db


def _finish(request, officers):
    by_department = {"教育局": officers["education"], "公安局": officers["police"]}
    for part in request.parts.all():
        officer = by_department[part.department]
        services.part_transition(actor=officer, part_id=part.pk, action=PartAction.ASSIGN)
        services.part_transition(actor=officer, part_id=part.pk, action=PartAction.COMPLETE, note="已办结")


@pytest.fixture
def service_request(catalog, officers, talent_user, talent):
    set_category(talent, "B")
    return services.request_create(actor=talent_user, talent_id=talent.pk, bundle_key="sy-come-to-shenyang",
                                   item_keys=["ln-child-schooling", "ln-settlement"])


def test_rated_from_the_request_page_and_back_to_it(client, service_request, officers, make_officer, talent_user):
    make_officer("police_lead", "沈阳市公安局", supervisor=True)
    url = reverse("services:detail", args=[service_request.pk])
    client.force_login(talent_user)
    page = client.get(url).content.decode()
    assert "尚未全部办结，办结后才能评价" in page and 'class="rate-form"' not in page
    _finish(service_request, officers)
    page = client.get(url).content.decode()
    assert 'class="rate-form"' in page and f'name="next" value="{url}"' in page
    assert all(label in page for label in Grade.labels)
    response = client.post(reverse("feedback:rate"), {
        "subject_kind": "services.request", "subject_id": service_request.pk, "grade": Grade.DISSATISFIED,
        "comment": "两个部门都让我重复交材料", "next": url, "confirmed": "1"})
    assert response.status_code == 302 and response["Location"] == url
    case = Case.objects.get()
    assert case.assignee.username == "police_lead" and case.status == CaseStatus.OPEN
    page = client.get(url).content.decode()
    assert "您的评价：<strong>不满意</strong>" in page and f"回访 {case.number}</a>：待回访" in page
    assert 'class="rate-form"' not in page


@pytest.mark.parametrize("unsafe", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x"])
def test_an_unsafe_next_goes_to_the_feedback_page(client, service_request, officers, talent_user, unsafe):
    _finish(service_request, officers)
    client.force_login(talent_user)
    response = client.post(reverse("feedback:rate"), {
        "subject_kind": "services.request", "subject_id": service_request.pk, "grade": Grade.SATISFIED,
        "next": unsafe, "confirmed": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("feedback:mine")
    assert Rating.objects.filter(subject_id=service_request.pk).count() == 1


def test_a_refused_rating_keeps_where_to_return(client, service_request, officers, talent_user):
    _finish(service_request, officers)
    url = reverse("services:detail", args=[service_request.pk])
    client.force_login(talent_user)
    response = client.post(reverse("feedback:rate"), {
        "subject_kind": "services.request", "subject_id": service_request.pk, "grade": "", "next": url,
        "confirmed": "1"})
    assert response.status_code == 422 and "评价等级" in response.content.decode()
    assert f'name="next" value="{url}"' in response.content.decode() and not Rating.objects.exists()


def test_staff_see_no_rating_form(client, service_request, officers):
    _finish(service_request, officers)
    client.force_login(officers["education"])
    page = client.get(reverse("services:detail", args=[service_request.pk])).content.decode()
    assert 'id="rating"' not in page


def test_the_panel_reads_one_query_and_none_while_unfinished(service_request, officers, talent_user,
                                                             django_assert_num_queries):
    from rencai.feedback.selectors import rating_panel
    from rencai.services.selectors import request_get

    item = request_get(user=talent_user, request_id=service_request.pk)
    with django_assert_num_queries(0):
        panel = rating_panel(user=talent_user, kind="services.request", item=item)
    assert not panel.may_rate and "尚未全部办结" in panel.why_not
    _finish(service_request, officers)
    item = request_get(user=talent_user, request_id=service_request.pk)
    with django_assert_num_queries(1):
        panel = rating_panel(user=talent_user, kind="services.request", item=item)
    assert panel.may_rate and panel.why_not == ""
