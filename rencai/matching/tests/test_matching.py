"""Matching: ranking with reasons, hard filters, the index following publication and closing, consent,
masking before acceptance, subscriptions notifying once."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from rencai.core.errors import Conflict, NotFound
from rencai.matching import index as ix
from rencai.matching import selectors, services
from rencai.matching.models import Consent, ContactRequest
from rencai.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _titles(talent, **kw):
    return [r.opportunity.title for r in selectors.matches_for_talent(talent, **kw)]


def test_returnee_materials_doctor_gets_the_targeted_materials_job_first_with_reasons(jobs, returnee_doctor):
    rows = selectors.matches_for_talent(returnee_doctor)
    assert rows[0].opportunity == jobs["targeted"]
    reasons = rows[0].reasons
    assert "专业对口：材料科学与工程" in reasons
    assert "学历符合：博士（要求博士及以上）" in reasons
    assert "定向岗位：面向留学回国人员，您是留学回国人员" in reasons
    assert "同属产业链：新材料（您的专业）" in reasons
    assert "所在区县：浑南区" in reasons
    assert "海外经历：岗位要求海外学习或工作经历，您有境外学历" in reasons
    assert rows[0].score > rows[1].score
    assert rows[1].opportunity == jobs["materials"]  # same chain, another district, 材料 in common
    assert "同属产业链：新材料（您的专业）" in rows[1].reasons and "所在区县：浑南区" not in rows[1].reasons


def test_hard_filters_degree_targeted_closed_and_kind(jobs, local_bachelor, make_opportunity):
    titles = _titles(local_bachelor)
    assert jobs["targeted"].title not in titles  # doctor only and 定向
    assert jobs["bachelor_targeted"].title not in titles  # 定向 for a non-returnee
    assert titles[0] == "软件开发工程师"
    make_opportunity("过期的软件岗位", majors="软件工程", closes_on=timezone.localdate() - dt.timedelta(days=1))
    assert "过期的软件岗位" not in _titles(local_bachelor)
    make_opportunity("软件工程见习岗位", kind="internship", majors="软件工程")
    assert _titles(local_bachelor, kinds=["internship"]) == ["软件工程见习岗位"]


def test_the_index_follows_publication_and_closing_across_processes(jobs, returnee_doctor, make_opportunity,
                                                                    committed):
    other_process = ix.OpportunityIndex().build()
    generation = other_process.generation
    draft = make_opportunity("复合材料结构设计博士后", publish=False, majors="材料科学与工程", industry="new_materials")
    assert draft.title not in _titles(returnee_doctor)
    draft.status, draft.published_at = "published", timezone.now()
    with committed():
        draft.save()
    assert draft.title in _titles(returnee_doctor)
    other_process.catch_up()  # incremental: appended, not rebuilt
    assert other_process.generation > generation and draft.pk in other_process.pos
    assert other_process.text.delta
    jobs["targeted"].status, jobs["targeted"].closed_at = "closed", timezone.now()
    with committed():
        jobs["targeted"].save()
    assert jobs["targeted"].title not in _titles(returnee_doctor)
    assert jobs["targeted"].pk not in other_process.catch_up().pos


def test_consent_is_required_withdrawal_hides_at_once_and_history_is_kept(client, jobs, hr, returnee_doctor):
    job = jobs["targeted"]
    url = reverse("matching:talent", kwargs={"match_job_id": job.pk, "match_talent_id": returnee_doctor.pk})
    client.force_login(hr)
    assert client.get(url).status_code == 404
    response = client.post(reverse("matching:contact_request", kwargs={"match_job_id": job.pk,
                                                                        "match_talent_id": returnee_doctor.pk}))
    assert response.status_code == 404 and "未同意被用人单位查找" in response.content.decode()
    assert not ContactRequest.objects.exists()
    _, rows = selectors.talents_for_job(hr, job.pk)
    assert rows == []

    services.consent_give(actor=returnee_doctor.user)
    _, rows = selectors.talents_for_job(hr, job.pk)
    assert [r.talent_id for r in rows] == [returnee_doctor.pk]
    assert client.get(url).status_code == 200
    with pytest.raises(Conflict):
        services.consent_give(actor=returnee_doctor.user)

    services.consent_withdraw(actor=returnee_doctor.user)
    _, rows = selectors.talents_for_job(hr, job.pk)
    assert rows == []
    assert client.get(url).status_code == 404
    assert Consent.objects.filter(talent=returnee_doctor).count() == 1
    assert Consent.objects.get(talent=returnee_doctor).withdrawn_at is not None


def test_masked_until_the_talent_accepts_then_name_and_masked_phone_logged(client, jobs, hr, returnee_doctor):
    from rencai.audit.models import AuditEvent

    job = jobs["targeted"]
    services.consent_give(actor=returnee_doctor.user)
    client.force_login(hr)
    url = reverse("matching:talent", kwargs={"match_job_id": job.pk, "match_talent_id": returnee_doctor.pk})
    page = client.get(reverse("matching:job_talents", kwargs={"match_job_id": job.pk})).content.decode()
    assert "王*" in page and "王材博" not in page and "帝国理工" not in page and "材料科学与工程" in page
    client.post(reverse("matching:contact_request", kwargs={"match_job_id": job.pk,
                                                             "match_talent_id": returnee_doctor.pk}))
    contact = ContactRequest.objects.get()
    page = client.get(url).content.decode()
    assert "王材博" not in page and returnee_doctor.phone_masked not in page
    with pytest.raises(Conflict):
        services.contact_request(actor=hr, job_id=job.pk, talent_id=returnee_doctor.pk)
    assert Notification.objects.filter(recipient=returnee_doctor.user, key=f"match-contact-{contact.pk}").exists()

    services.contact_answer(actor=returnee_doctor.user, contact_id=contact.pk, accept=True)
    page = client.get(url).content.decode()
    assert "王材博" in page and returnee_doctor.phone_masked in page
    assert AuditEvent.objects.filter(action="reveal", object_id=str(returnee_doctor.pk)).count() == 1
    with pytest.raises(Conflict):
        services.contact_answer(actor=returnee_doctor.user, contact_id=contact.pk, accept=False)


def test_another_employer_cannot_use_a_job_that_is_not_its_own(jobs, make_user, returnee_doctor):
    from rencai.accounts.enums import Role
    from rencai.conftest import make_uscc
    from rencai.organizations.models import Organization

    services.consent_give(actor=returnee_doctor.user)
    other = Organization.objects.create(name="另一家单位", uscc=make_uscc(), kind="enterprise", district_id="210102")
    stranger = make_user("hr-other", Role.EMPLOYER, organization=other)
    with pytest.raises(NotFound):
        selectors.talents_for_job(stranger, jobs["targeted"].pk)
    with pytest.raises(NotFound):
        services.contact_request(actor=stranger, job_id=jobs["targeted"].pk, talent_id=returnee_doctor.pk)


def test_subscription_notifies_a_good_match_once(jobs, returnee_doctor, local_bachelor, make_opportunity,
                                                 committed):
    services.subscription_set(actor=returnee_doctor.user, enabled=True)
    services.subscription_set(actor=local_bachelor.user, enabled=True)
    new = make_opportunity("高温合金材料研发工程师（定向）", industry="new_materials", majors="材料科学与工程",
                           degree_min="master", targeted_returnee=True, description="高温合金与复合材料研发")
    notes = Notification.objects.filter(key=f"match-opportunity-{new.pk}")
    assert [n.recipient_id for n in notes] == [returnee_doctor.user_id]
    assert "专业对口：材料科学与工程" in notes[0].body
    services.subscribers_notify(opportunity_id=new.pk)  # the job run again
    with committed():
        new.save()  # saved again while open: not a new opening
    assert notes.count() == 1


def test_demo_consents_a_share_subscribes_the_demo_talent_and_opens_the_index(jobs, returnee_doctor, make_talent):
    from io import StringIO

    from django.core.management import call_command

    from rencai.accounts.models import User
    from rencai.matching.demo import matching_demo_clear, matching_demo_load
    from rencai.matching.models import OpportunityDoc, Subscription
    from rencai.talents.models import Talent

    User.objects.filter(pk=returnee_doctor.user_id).update(username="talent")
    others = [make_talent(name=f"演示{i}") for i in range(5)]
    made = matching_demo_load()
    consenting = set(Consent.objects.values_list("talent_id", flat=True))
    assert returnee_doctor.pk in consenting
    assert consenting - {returnee_doctor.pk} == {t.pk for t in others if t.pk % 3 == 0}
    assert Subscription.objects.get(talent=returnee_doctor).enabled
    assert made["opportunities"] == OpportunityDoc.objects.filter(open=True).count() == 4
    assert matching_demo_load()["consents"] == made["consents"]  # again: nothing new
    out = StringIO()
    call_command("match_show", "--talent", str(returnee_doctor.pk), "--top", "2", stdout=out)
    assert "碳纤维复合材料研发工程师（定向）" in out.getvalue() and "专业对口：材料科学与工程" in out.getvalue()
    matching_demo_clear()
    assert not Consent.objects.exists() and Talent.objects.count() == 6


def test_shortage_catalog_reasons(returnee_doctor, make_opportunity, admin_user):
    from rencai.opportunities.models import ShortageCatalog, ShortageEntry

    catalog = ShortageCatalog.objects.create(year=timezone.localdate().year, industry="new_materials",
                                             status="published", published_at=timezone.now(), published_by=admin_user)
    entry = ShortageEntry.objects.create(catalog=catalog, position="复合材料工程师", skills="材料科学与工程、碳纤维",
                                         created_by=admin_user)
    make_opportunity("结构件研发工程师", industry="new_materials", shortage_entry=entry, description="结构件")
    make_opportunity("结构件设计工程师", industry="machinery", description="结构件")
    rows = selectors.matches_for_talent(returnee_doctor)
    assert rows[0].opportunity.title == "结构件研发工程师"
    assert "急需紧缺目录岗位：复合材料工程师" in rows[0].reasons
    assert "急需紧缺目录：新材料产业链急需“复合材料工程师”，与您的专业相符" in rows[0].reasons
    assert not any(r.startswith("急需紧缺") for r in rows[1].reasons)


def test_the_index_follows_the_opportunities_services(hr, hunnan_staff, returnee_doctor, committed):
    """Publication and closing through the jobs part's own services (their saves reach the index's hook)."""
    from rencai.opportunities import services as opportunity_services
    from rencai.opportunities.tests.jobs_fixtures import job_data

    job = opportunity_services.opportunity_create(hr, job_data(title="复合材料研发工程师", industry="new_materials",
                                                               majors="材料科学与工程", degree_min="doctor"))
    opportunity_services.opportunity_transition(hr, job.pk, "pending")
    assert "复合材料研发工程师" not in _titles(returnee_doctor)
    with committed():
        opportunity_services.opportunity_transition(hunnan_staff, job.pk, "published")
    assert _titles(returnee_doctor)[0] == "复合材料研发工程师"
    with committed():
        opportunity_services.opportunity_transition(hr, job.pk, "closed")
    assert "复合材料研发工程师" not in _titles(returnee_doctor)
