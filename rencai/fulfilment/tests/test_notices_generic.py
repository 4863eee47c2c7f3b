"""公示 of any subject (notices.py): a kind registered by another app — here a test kind whose subject is an
organization — is published, objected to, answered and cleared (or upheld) through the same notices and objections
as 政策兑现's grants."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from rencai.conftest import make_uscc
from rencai.core.errors import Conflict, NotFound, ValidationFailed
from rencai.fulfilment import notices, selectors, services
from rencai.fulfilment.enums import ObjectionStatus
from rencai.fulfilment.models import PublicNotice
from rencai.notifications.models import Notification

KIND = "organizations.organization"
TITLE = "“兴辽英才计划”引进创新团队支持 · 一类团队"


@pytest.fixture
def organization(db):
    from rencai.organizations.models import Organization

    return Organization.objects.create(name="沈阳示例科技有限公司", uscc=make_uscc(), kind="enterprise",
                                       district_id="210102")


@pytest.fixture
def kind(city_staff):
    """A test kind: the city's staff are told of objections; what the machinery calls is recorded."""
    calls = {"cleared": [], "upheld": []}
    notices.register(notices.NoticeKind(
        kind=KIND, label="单位奖励公示（测试）", staff=lambda notice: [city_staff.pk],
        on_cleared=lambda notice, actor: calls["cleared"].append((notice.subject_id, actor)),
        on_upheld=lambda notice, objection, actor: calls["upheld"].append((notice.subject_id, objection.pk, actor)),
        link=lambda notice: f"/test-awards/{notice.subject_id}/"))
    yield calls
    notices.unregister(KIND)


def publish(organization, **overrides) -> PublicNotice:
    arguments = {"kind": KIND, "subject_id": organization.pk, "masked_name": notices.mask_to_surname("王五"),
                 "title": TITLE, "amount_text": "500万元", "days": 5}
    return services.notice_publish(**(arguments | overrides))


def period_over(notice: PublicNotice) -> None:
    PublicNotice.objects.filter(pk=notice.pk).update(starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2026, 1, 9))


def test_a_notice_is_objected_to_answered_and_cleared_once(client, kind, organization, city_staff, heping_staff,
                                                           admin_user):
    notice = publish(organization)
    assert (notice.subject_kind, notice.subject_id, notice.application_id) == (KIND, organization.pk, None)
    assert notice.masked_name == "王*" and notice.closed_at is None
    assert notice.ends_on == services.add_working_days(timezone.localdate(), 5)
    # the public page: under the kind's label, its title, amount and period, the objection form; no internal name
    page = client.get("/gongshi/").content.decode()
    card = page[page.index(f'id="notice-{notice.pk}"'):]
    assert "单位奖励公示（测试）" in page and TITLE in card and "500万元" in card and "王*" in card
    assert f'action="/gongshi/{notice.pk}/objection/"' in card and KIND not in page and "王五" not in page
    api = client.get("/api/fulfilment/notices").json()
    assert [(n["kind_label"], n["policy_title"], n["monthly_amount"]) for n in api] == [
        ("单位奖励公示（测试）", TITLE, None)]

    objection = services.objection_file(notice_id=notice.pk, text="该团队已获同类支持")
    told = Notification.objects.get(kind="fulfilment_objection")
    assert (told.recipient_id, told.link) == (city_staff.pk, f"/test-awards/{organization.pk}/") and TITLE in told.title

    period_over(notice)
    assert services.notices_close_due() == (0, 1)  # an objection unanswered: the notice waits
    assert kind["cleared"] == []
    with pytest.raises(NotFound):  # not this kind's staff
        services.objection_answer(actor=heping_staff, objection_id=objection.pk, answer="不属实", upheld=False)
    assert selectors.objection_get(user=admin_user, objection_id=objection.pk) == objection  # administrators may
    client.force_login(city_staff)
    answered = client.post(f"/fulfilment/objections/{objection.pk}/answer/",
                           {"confirmed": "1", "answer": "经核实不属实", "upheld": "0"})
    assert answered.status_code == 302 and answered.url == f"/test-awards/{organization.pk}/"
    assert services.notices_close_due() == (1, 0)
    assert kind["cleared"] == [(organization.pk, None)] and kind["upheld"] == []
    notice.refresh_from_db()
    assert notice.closed_at is not None
    assert services.notices_close_due() == (0, 0)  # run again: cleared once
    assert kind["cleared"] == [(organization.pk, None)]


def test_an_upheld_objection_ends_the_notice_and_it_is_never_cleared(client, kind, organization, city_staff):
    notice = publish(organization)
    objection = services.objection_file(notice_id=notice.pk, text="材料不实")
    client.force_login(city_staff)
    asked = client.post(f"/fulfilment/objections/{objection.pk}/answer/", {"answer": "经核实属实", "upheld": "1"})
    assert "王*" in asked.content.decode() and TITLE in asked.content.decode()  # the confirmation names it
    assert kind["upheld"] == []  # asking acts on nothing
    services.objection_answer(actor=city_staff, objection_id=objection.pk, answer="经核实属实", upheld=True)
    assert kind["upheld"] == [(organization.pk, objection.pk, city_staff)]
    notice.refresh_from_db()
    assert notice.closed_at is not None and notice not in selectors.public_notices()
    with pytest.raises(Conflict):
        services.objection_file(notice_id=notice.pk, text="再提异议")
    with pytest.raises(Conflict):  # answered once
        services.objection_answer(actor=city_staff, objection_id=objection.pk, answer="再答", upheld=False)
    period_over(notice)
    assert services.notices_close_due() == (0, 0)
    assert kind["cleared"] == []


def test_publishing_again_reopens_the_one_notice_of_the_subject(kind, organization, city_staff):
    first = publish(organization)
    objection = services.objection_file(notice_id=first.pk, text="异议")
    services.objection_answer(actor=city_staff, objection_id=objection.pk, answer="成立", upheld=True)
    again = publish(organization, title=TITLE + "（复核后）", amount_text="300万元", days=7)
    assert again.pk == first.pk and PublicNotice.objects.filter(subject_kind=KIND).count() == 1
    assert again.closed_at is None and again.title.endswith("（复核后）") and again.amount_text == "300万元"
    assert again.ends_on == services.add_working_days(timezone.localdate(), 7)
    # the earlier period's upheld objection stays on record but does not stand in the new period's way
    assert again.objections.get().status == ObjectionStatus.UPHELD
    period_over(again)
    assert services.notices_close_due() == (1, 0) and kind["cleared"] == [(organization.pk, None)]
    assert services.notice_withdraw(kind=KIND, subject_id=organization.pk).closed_at is not None
    assert services.notice_withdraw(kind=KIND, subject_id=organization.pk + 1000) is None


def test_one_kind_failing_does_not_stop_the_others(kind, organization, city_staff):
    from rencai.organizations.models import Organization

    other = Organization.objects.create(name="沈阳另一公司", uscc=make_uscc(), kind="enterprise",
                                        district_id="210102")

    def refuse(notice, actor):
        raise RuntimeError("kind failed")

    failing = notices.KINDS[KIND]
    notices.register(notices.NoticeKind(kind="organizations.failing", label="失败的公示", staff=failing.staff,
                                        on_cleared=refuse, on_upheld=failing.on_upheld, link=failing.link))
    try:
        broken = services.notice_publish(kind="organizations.failing", subject_id=organization.pk, masked_name="李*",
                                         title="某奖励", amount_text="", days=3)
        fine = publish(other)
        period_over(broken)
        period_over(fine)
        assert services.notices_close_due() == (1, 1)
        broken.refresh_from_db()
        assert broken.closed_at is None  # undone: tried again the next day
        assert kind["cleared"] == [(other.pk, None)]
    finally:
        notices.unregister("organizations.failing")


def test_a_notice_needs_a_registered_kind_and_a_sound_period(kind, organization):
    with pytest.raises(LookupError):
        services.notice_publish(kind="nowhere.thing", subject_id=1, masked_name="王*", title="x", amount_text="",
                                days=5)
    with pytest.raises(ValidationFailed) as refused:
        publish(organization, days=0, masked_name="")
    assert {e.field for e in refused.value.errors} == {"days", "masked_name"}
    assert not PublicNotice.objects.exists()


def test_the_database_keeps_one_notice_per_subject_and_a_fulfilment_notice_to_its_application(kind, organization):
    notice = publish(organization)
    row = {"masked_name": "王*", "title": "x", "amount_text": "", "starts_on": notice.starts_on,
           "ends_on": notice.ends_on, "published_at": timezone.now()}
    for broken in ({"subject_kind": KIND, "subject_id": organization.pk},  # a second notice of the subject
                   {"subject_kind": notices.FULFILMENT, "subject_id": 12345}):  # 政策兑现's, without its application
        with pytest.raises(IntegrityError), transaction.atomic():
            PublicNotice.objects.create(**row, **broken)
