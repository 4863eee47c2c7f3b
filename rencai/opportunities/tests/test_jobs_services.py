"""Services of jobs and 见习: creation checks, the opportunity's one transition, applying, the application's one
transition (hire → registry), the award check and internship retention."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from rencai.opportunities import services
from rencai.opportunities.models import Application, ApplicationStep, Opportunity

from . import jobs_fixtures as fx

org, hr, returnee, published_job, job_data = fx.org, fx.hr, fx.returnee, fx.published_job, fx.job_data

pytestmark = pytest.mark.django_db


def fields_of(exc) -> set[str]:
    return {e.field for e in exc.value.errors}


def test_create_refuses_bad_fields_all_at_once_and_writes_nothing(hr):
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    with pytest.raises(ValidationFailed) as exc:
        services.opportunity_create(hr, job_data(title="", closes_on=past, salary_min="30000", salary_max="20000",
                                                 positions="0", degree_min="小学"))
    assert fields_of(exc) == {"title", "closes_on", "salary_max", "positions", "degree_min"}
    assert "截止日期不能早于今天" in exc.value.message and "月薪上限不能低于月薪下限" in exc.value.message
    assert not Opportunity.objects.exists()


def test_staff_publish_challenges_not_jobs_and_challenge_needs_field_and_funding(heping_staff, hunnan_staff):
    with pytest.raises(PermissionDenied):
        services.opportunity_create(heping_staff, job_data())
    base = {"kind": "challenge", "title": "高纯靶材制备", "description": "突破高纯金属靶材",
            "sponsor_name": "和平区科技局",
            "district": "210102", "closes_on": job_data()["closes_on"]}
    with pytest.raises(ValidationFailed) as exc:
        services.opportunity_create(heping_staff, {**base, "funding": "-1"})
    assert fields_of(exc) == {"challenge_field", "funding"}
    with pytest.raises(ValidationFailed) as exc:  # not their district
        services.opportunity_create(hunnan_staff, {**base, "challenge_field": "new_materials", "funding": "100"})
    assert fields_of(exc) == {"district"}
    challenge = services.opportunity_create(heping_staff, {**base, "challenge_field": "new_materials",
                                                           "funding": "500000"})
    assert challenge.funding == Decimal("500000") and challenge.organization is None
    assert challenge.salary_min is None and not challenge.targeted_returnee


def test_opportunity_transitions_who_and_when(hr, heping_staff, hunnan_staff, city_staff):
    job = services.opportunity_create(hr, job_data())
    assert job.organization_id == hr.organization_id and job.district_id == "210102" and job.status == "draft"
    with pytest.raises(Conflict):  # not submitted yet
        services.opportunity_transition(heping_staff, job.pk, "published")
    with pytest.raises(PermissionDenied):
        services.opportunity_transition(heping_staff, job.pk, "pending")
    services.opportunity_transition(hr, job.pk, "pending")
    with pytest.raises(NotFound):  # another district's staff
        services.opportunity_transition(hunnan_staff, job.pk, "published")
    with pytest.raises(PermissionDenied):
        services.opportunity_transition(hr, job.pk, "published")
    with pytest.raises(ValidationFailed) as exc:
        services.opportunity_transition(heping_staff, job.pk, "returned", reason="  ")
    assert fields_of(exc) == {"reason"}
    job = services.opportunity_transition(heping_staff, job.pk, "returned", reason="薪资范围请写明")
    assert job.status == "returned" and job.review_reason == "薪资范围请写明"
    services.opportunity_update(hr, job.pk, {"salary_max": "28000"})
    services.opportunity_transition(hr, job.pk, "pending")
    job = services.opportunity_transition(city_staff, job.pk, "published")
    assert job.published_at and job.reviewed_by == city_staff and job.review_reason == ""
    with pytest.raises(Conflict):  # published: no longer editable
        services.opportunity_update(hr, job.pk, {"title": "改名"})
    job = services.opportunity_transition(hr, job.pk, "closed")
    assert job.status == "closed" and job.closed_at


def test_expired_counts_as_closed_and_the_sweep_closes_it(published_job, returnee, talent_user):
    Opportunity.objects.filter(pk=published_job.pk).update(closes_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(Conflict) as exc:
        services.application_apply(talent_user, published_job.pk, "我想应聘")
    assert "已过截止日期" in exc.value.message
    from django.core.management import call_command

    call_command("opportunities_close_expired", stdout=open(__import__("os").devnull, "w"))
    assert Opportunity.objects.get(pk=published_job.pk).status == "closed"
    assert services.opportunities_close_expired() == 0
    assert not Application.objects.exists()


def test_apply_rules(published_job, talent, talent_user, hr, make_user, make_talent):
    talent.returnee = False
    talent.save(update_fields=["returnee"])
    with pytest.raises(Conflict) as exc:  # 定向: returnees only
        services.application_apply(talent_user, published_job.pk, "")
    assert "定向" in exc.value.message
    talent.returnee = True
    talent.save(update_fields=["returnee"])
    with pytest.raises(PermissionDenied):
        services.application_apply(hr, published_job.pk, "")
    other = make_talent(name="王五")
    from rencai.documents.models import Document

    foreign = Document.objects.create(talent=other, file="x.pdf", original_name="x.pdf",
                                      content_type="application/pdf", size=1, sha256="0" * 64,
                                      uploaded_by=talent_user)
    with pytest.raises(ValidationFailed) as exc:
        services.application_apply(talent_user, published_job.pk, "", document_ids=[foreign.pk])
    assert fields_of(exc) == {"documents"}
    application = services.application_apply(talent_user, published_job.pk, "有五年机器人研发经验")
    assert application.state == "received"
    with pytest.raises(Conflict) as exc:
        services.application_apply(talent_user, published_job.pk, "再来一次")
    assert "不能重复申请" in exc.value.message
    assert Application.objects.count() == 1
    services.application_transition(talent_user, application.pk, "withdrawn")
    again = services.application_apply(talent_user, published_job.pk, "重新申请")
    assert again.pk != application.pk


def test_application_moves_to_hire_and_the_registry_follows(published_job, returnee, talent_user, hr,
                                                            hunnan_staff, heping_staff,
                                                            django_capture_on_commit_callbacks):
    from rencai.analytics.models import EmploymentSpell
    from rencai.talents.models import TalentChange

    application = services.application_apply(talent_user, published_job.pk, "")
    with pytest.raises(Conflict):  # no skipping
        services.application_transition(hr, application.pk, "hired")
    with pytest.raises(NotFound):
        services.application_transition(hunnan_staff, application.pk, "interview")
    with pytest.raises(PermissionDenied):  # the talent may only withdraw
        services.application_transition(talent_user, application.pk, "interview")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(hr, application.pk, "interview", note="周三面试")
        services.application_transition(heping_staff, application.pk, "offer")
    with pytest.raises(PermissionDenied):
        services.application_transition(hr, application.pk, "withdrawn")
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_transition(hr, application.pk, "hired")
    assert [s.to_state for s in ApplicationStep.objects.filter(application=application)] == [
        "received", "interview", "offer", "hired"]
    returnee.refresh_from_db()
    assert returnee.organization_id == published_job.organization_id
    assert returnee.employment_status == "confirmed" and returnee.employment_confirmed_by == hr
    assert returnee.employment_start == timezone.localdate() and returnee.employer_type == "enterprise"
    assert EmploymentSpell.objects.filter(talent=returnee, organization_id=published_job.organization_id,
                                          ended_on__isnull=True).exists()
    assert "hire" in TalentChange.objects.filter(talent=returnee).latest("at").changes
    from rencai.notifications.models import Notification

    assert Notification.objects.filter(recipient=talent_user, kind="opportunities").count() == 3
    with pytest.raises(Conflict):  # final
        services.application_transition(hr, application.pk, "declined")


def test_challenge_award_within_funding(heping_staff, make_user, make_talent, talent_user, talent):
    base = {"kind": "challenge", "title": "芯片封装可靠性", "description": "提升封装良率",
            "sponsor_name": "和平区科技局",
            "district": "210102", "closes_on": job_data()["closes_on"], "challenge_field": "semiconductor",
            "funding": "100000"}
    challenge = services.opportunity_create(heping_staff, base)
    services.opportunity_transition(heping_staff, challenge.pk, "pending")
    services.opportunity_transition(heping_staff, challenge.pk, "published")
    with pytest.raises(ValidationFailed):
        services.application_apply(talent_user, challenge.pk, "")  # a proposal is required
    first = services.application_apply(talent_user, challenge.pk, "三步方案")
    second_user = make_user("lisi", Role.TALENT)
    other = make_talent(name="李四")
    other.user = second_user
    other.save(update_fields=["user"])
    second = services.application_apply(second_user, challenge.pk, "另一方案", team="赵六、钱七")
    for application in (first, second):
        services.application_transition(heping_staff, application.pk, "shortlisted")
    with pytest.raises(ValidationFailed):
        services.application_transition(heping_staff, first.pk, "awarded", award_amount="0")
    services.application_transition(heping_staff, first.pk, "awarded", award_amount="60000")
    with pytest.raises(ValidationFailed) as exc:
        services.application_transition(heping_staff, second.pk, "awarded", award_amount="40000.01")
    assert "不能超过榜单金额" in exc.value.message
    assert Application.objects.get(pk=second.pk).state == "shortlisted"
    done = services.application_transition(heping_staff, second.pk, "awarded", award_amount="40000")
    assert done.award_amount == Decimal("40000")


def test_internship_end_and_retention(hr, heping_staff, returnee, talent_user):
    from rencai.opportunities import selectors

    data = job_data(kind="internship", title="数据分析见习生", targeted_returnee="")
    internship = services.opportunity_create(hr, data)
    services.opportunity_transition(hr, internship.pk, "pending")
    services.opportunity_transition(heping_staff, internship.pk, "published")
    application = services.application_apply(talent_user, internship.pk, "")
    with pytest.raises(Conflict):
        services.internship_end(hr, application.pk, timezone.localdate(), True)
    for target in ("interview", "offer", "hired"):
        services.application_transition(hr, application.pk, target)
    with pytest.raises(ValidationFailed) as exc:
        services.internship_end(hr, application.pk, "", "")
    assert fields_of(exc) == {"internship_ended_on", "retained"}
    services.internship_end(hr, application.pk, timezone.localdate(), "是")
    rows = selectors.internship_retention(heping_staff, year=timezone.localdate().year)
    assert [(r.organization_name, r.ended, r.retained, r.rate) for r in rows] == [
        (hr.organization.name, 1, 1, Decimal("100.0"))]
    assert selectors.internship_retention(hr, year=timezone.localdate().year)[0].ended == 1
