"""Pages of jobs and 见习: the employer's form, review with the confirm step, applying, the applicants page and
its moves, exports logged, scoping (another district, another employer, no login) and the public page."""

import pytest
from django.urls import reverse

from rencai.accounts.enums import Role
from rencai.audit.models import AuditEvent
from rencai.opportunities import services
from rencai.opportunities.models import Application, Opportunity

from . import jobs_fixtures as fx

org, hr, returnee, published_job, job_data = fx.org, fx.hr, fx.returnee, fx.published_job, fx.job_data

pytestmark = pytest.mark.django_db


def test_employer_posts_through_the_form_and_staff_approve_with_a_confirm_step(client, hr, heping_staff):
    client.force_login(hr)
    assert client.get(reverse("opportunities:jobs_mine")).status_code == 200
    assert "定向岗位" in client.get(reverse("opportunities:job_new")).content.decode()
    bad = client.post(reverse("opportunities:job_new"), {**job_data(), "salary_max": "100", "submit": "1"})
    assert bad.status_code == 422 and "月薪上限不能低于月薪下限" in bad.content.decode()
    assert not Opportunity.objects.exists()
    response = client.post(reverse("opportunities:job_new"), {**job_data(), "submit": "1"})
    job = Opportunity.objects.get()
    assert response.status_code == 302 and job.status == "pending" and job.targeted_returnee
    client.force_login(heping_staff)
    queue = client.get(reverse("opportunities:review_queue")).content.decode()
    assert job.title in queue
    url = reverse("opportunities:act", args=[job.pk])
    asked = client.post(url, {"target": "published"})  # no confirmed=1: the confirmation page, nothing done
    assert asked.status_code == 200 and "确认发布" in asked.content.decode()
    assert Opportunity.objects.get().status == "pending"
    client.post(url, {"target": "published", "confirmed": "1"})
    assert Opportunity.objects.get().status == "published"


def test_talent_applies_and_the_employer_moves_the_application_to_hire(client, published_job, returnee, talent_user,
                                                                       hr, hunnan_staff, make_user):
    client.force_login(talent_user)
    detail = client.get(reverse("opportunities:detail", args=[published_job.pk])).content.decode()
    assert 'id="apply-form"' in detail
    client.post(reverse("opportunities:apply", args=[published_job.pk]), {"cover_note": "愿意来沈阳"})
    again = client.post(reverse("opportunities:apply", args=[published_job.pk]), {"cover_note": "再次"})
    assert again.status_code == 409 and "不能重复申请" in again.content.decode()
    application = Application.objects.get()
    mine = client.get(reverse("opportunities:mine")).content.decode()
    assert published_job.title in mine and "已投递" in mine

    client.force_login(hunnan_staff)  # another district: nothing of it
    assert client.get(reverse("opportunities:applicants", args=[published_job.pk])).status_code == 404
    client.force_login(hr)
    page = client.get(reverse("opportunities:applicants", args=[published_job.pk])).content.decode()
    assert returnee.id_number_masked in page and returnee.name in page
    act = reverse("opportunities:application_act", args=[application.pk])
    for target in ("interview", "offer"):
        client.post(act, {"target": target, "confirmed": "1"})
    asked = client.post(act, {"target": "hired"})
    assert "确认录用" in asked.content.decode() and Application.objects.get().state == "offer"
    client.post(act, {"target": "hired", "confirmed": "1"})
    assert Application.objects.get().state == "hired"
    returnee.refresh_from_db()
    assert returnee.organization_id == hr.organization_id
    export = client.get(reverse("opportunities:applicants_export", args=[published_job.pk]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action="export", object_type="opportunities.application").exists()


def test_other_employers_and_strangers_see_nothing_private(client, published_job, make_user):
    from rencai.conftest import make_uscc
    from rencai.organizations.models import Organization

    other = Organization.objects.create(name="另一家公司", uscc=make_uscc(), kind="enterprise", district_id="210102")
    client.force_login(make_user("hr2", Role.EMPLOYER, organization=other))
    assert client.get(reverse("opportunities:applicants", args=[published_job.pk])).status_code == 404
    assert client.get(reverse("opportunities:job_edit", args=[published_job.pk])).status_code == 403
    draft = services.opportunity_create(published_job.created_by, job_data(title="尚未提交的岗位"))
    assert client.get(reverse("opportunities:detail", args=[draft.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("opportunities:detail", args=[published_job.pk])).status_code == 302


def test_public_page_lists_open_opportunities_without_login(client, published_job, hr):
    draft = services.opportunity_create(hr, job_data(title="草稿岗位"))
    page = client.get(reverse("opportunities:public"), {"targeted": "1", "industry": "robotics"}).content.decode()
    assert published_job.title in page and draft.title not in page
    challenges = client.get(reverse("opportunities:public"), {"kind": "challenge"}).content.decode()
    assert published_job.title not in challenges
    detail = client.get(reverse("opportunities:public_detail", args=[published_job.pk]))
    assert detail.status_code == 200 and "登录后申请" in detail.content.decode()
    assert client.get(reverse("opportunities:public_detail", args=[draft.pk])).status_code == 404


def test_staff_list_export_and_retention_pages(client, published_job, heping_staff, leader):
    client.force_login(heping_staff)
    listing = client.get(reverse("opportunities:all"), {"status": "published"}).content.decode()
    assert published_job.title in listing
    assert client.get(reverse("opportunities:all_export")).status_code == 200
    assert AuditEvent.objects.filter(action="export", object_type="opportunities.opportunity").exists()
    assert client.get(reverse("opportunities:retention")).status_code == 200
    client.force_login(leader)
    assert client.get(reverse("opportunities:review_queue")).status_code == 200
