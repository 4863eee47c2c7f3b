"""The pages: a talent requests a bundle, the departments act, a stale form is a 409, an ineligible request says
why (422), the menu, and the query counts of the hot pages pinned (a specialist's page and a department queue
stay flat however many rows they hold)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rencai.accounts.context_processors import nav_entries
from rencai.services import services
from rencai.services.enums import PartAction, PartStatus
from rencai.services.models import RequestPart, ServiceRequest, Specialist

from .conftest import set_category

BUNDLE = "sy-come-to-shenyang"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured)


def test_talent_requests_the_bundle_and_sees_the_outcome(catalog, officers, client, talent_user, talent):
    set_category(talent, "B")
    client.force_login(talent_user)
    form = client.get(reverse("services:request_bundle", args=[BUNDLE]))
    assert form.status_code == 200 and "兴辽英才计划" in form.content.decode()
    response = client.post(reverse("services:request_bundle", args=[BUNDLE]),
                           {"items": ["ln-child-schooling", "ln-settlement"]})
    request = ServiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("services:detail", args=[request.pk])
    assert request.parts.count() == 2
    client.force_login(officers["education"])
    part = request.parts.get(service_item__key="ln-child-schooling")
    act = reverse("services:act", args=[part.pk])
    assert client.post(act, {"action": "assign", "version": part.version}).status_code == 302
    # Closing asks first (confirmed=1), and a form shown before another officer acted is a 409.
    asked = client.post(act, {"action": "complete", "version": part.version + 1, "note": "已安排入学"})
    assert asked.status_code == 200 and "确认" in asked.content.decode()
    stale = client.post(act, {"action": "complete", "version": part.version, "note": "已安排入学", "confirmed": "1"})
    assert stale.status_code == 409 and "刚刚已被他人办理" in stale.content.decode()
    done = client.post(act, {"action": "complete", "version": part.version + 1, "note": "已安排至实验小学",
                             "confirmed": "1"})
    assert done.status_code == 302
    client.force_login(talent_user)
    page = client.get(reverse("services:detail", args=[request.pk])).content.decode()
    assert "已安排至实验小学" in page and "ln-child-schooling" not in page


def test_an_ineligible_request_says_why_and_writes_nothing(catalog, client, talent_user, talent):
    set_category(talent, "D")
    client.force_login(talent_user)
    response = client.post(reverse("services:request_item", args=["ln-child-schooling"]))
    assert response.status_code == 422
    assert "须为A、B、C类人才" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_another_district_sees_nothing(catalog, officers, client, talent_user, talent, hunnan_staff):
    set_category(talent, "B")
    request = services.request_create(actor=talent_user, talent_id=talent.pk, item_keys=["ln-settlement"])
    client.force_login(hunnan_staff)
    assert client.get(reverse("services:detail", args=[request.pk])).status_code == 404


def test_the_menu_has_the_pages(make_user, talent_user):
    from rencai.accounts.enums import Role

    def urls(user):
        return {i.url_name for e in nav_entries(user) for i in (e.items or (e,))}

    assert "services:mine" in urls(talent_user)
    assert {"services:queue", "services:specialist", "services:supervision"} <= urls(make_user("s", Role.STAFF,
                                                                                              "210100"))


def _many(officers, make_talent, n):
    talents = []
    for i in range(n):
        talent = set_category(make_talent(name=f"人才{i}"), "ABC"[i % 3])
        services.request_create(actor=officers["hr"], talent_id=talent.pk, bundle_key=BUNDLE)
        talents.append(talent)
    return talents


def _measure(client, officers, specialist) -> dict:
    counts = {}
    for user, name in ((officers["education"], "services:queue"), (specialist.user, "services:specialist"),
                       (officers["supervisor"], "services:supervision")):
        client.force_login(user)
        counts[name] = _queries(client, reverse(name))
    return counts


def test_query_counts_are_pinned_and_do_not_grow_with_the_rows(catalog, officers, make_officer, make_talent, client):
    specialist = Specialist.objects.create(user=make_officer("sp", "沈阳市就业和人才服务中心"))
    _many(officers, make_talent, 2)
    services.specialists_assign()
    few = _measure(client, officers, specialist)
    _many(officers, make_talent, 6)
    services.specialists_assign()
    for part in RequestPart.objects.filter(department="教育局")[:3]:
        services.part_transition(actor=officers["education"], part_id=part.pk, action=PartAction.ASSIGN)
    assert RequestPart.objects.filter(status=PartStatus.ASSIGNED).count() == 3
    many = _measure(client, officers, specialist)
    assert many == few
    # Session, user, the menu and the inbox included (the menu's permission look-up too).
    assert many == PINNED, many


PINNED = {"services:queue": 11, "services:specialist": 19, "services:supervision": 12}


def test_the_specialists_page_shows_everything_of_their_talents(catalog, officers, make_officer, client,
                                                                 talent_user, talent, heping_staff):
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from rencai.documents import services as documents_services
    from rencai.payments.models import Entitlement

    specialist = Specialist.objects.create(user=make_officer("sp", "沈阳市就业和人才服务中心"))
    set_category(talent, "B")
    services.specialists_assign()
    request = services.request_create(actor=talent_user, talent_id=talent.pk, item_keys=["sy-talent-recognition"])
    services.message_send(actor=talent_user, talent_id=talent.pk, body="想问问人才公寓的事")
    document = documents_services.document_upload(
        actor=talent_user, talent=talent, kind="degree",
        upload=SimpleUploadedFile("学位证书.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))
    documents_services.document_reject(actor=heping_staff, document_id=document.pk, reason="扫描件不清晰")
    month = timezone.localdate().replace(day=1)
    Entitlement.objects.create(talent=talent, policy="sy-living-subsidy-graduate", monthly_fen=250000, months=36,
                               start_month=month - dt.timedelta(days=800), end_month=month)
    routed = timezone.localdate() - dt.timedelta(days=3)  # 即时办理, routed three days ago: late now
    RequestPart.objects.filter(request=request).update(started_on=routed, promised_due=routed, at_risk_on=routed)
    client.force_login(specialist.user)
    page = client.get(reverse("services:specialist")).content.decode()
    for shown in ("人才认定（直接认定）", request.number, "想问问人才公寓的事", "扫描件不清晰", "待遇发放至",
                  talent.name, "已超期"):
        assert shown in page, shown
    # Another specialist sees none of it.
    other = Specialist.objects.create(user=make_officer("sp2", "沈阳市就业和人才服务中心"))
    client.force_login(other.user)
    assert talent.name not in client.get(reverse("services:specialist")).content.decode()
