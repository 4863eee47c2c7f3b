"""The pages and the API: the list (filters, scope, Excel logged), a warning's page with its history and the owners'
form (closing asks first; a stale form is a 409; a missing reason a 422 naming 原因), the query counts pinned and
flat in the number of warnings; the API's list, detail and transition checked against /api/openapi.json."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rencai.analytics.models import Move
from rencai.audit.models import AuditEvent
from rencai.core.openapi_check import checked_body, post_json
from rencai.earlywarning.enums import RuleKind, State
from rencai.earlywarning.models import EarlyWarning
from rencai.earlywarning.services import warnings_evaluate

pytestmark = pytest.mark.django_db
HEPING, HUNNAN = "210102", "210112"


def _rows(html: str) -> int:
    return len(re.findall(r'href="/warnings/\d+/"', html))


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured), response.content.decode()


def _outflow(make_talent, district: str, n: int):
    today = timezone.localdate()
    for i in range(n):
        Move.objects.create(talent=make_talent(name=f"流出{district}{i}"), from_district_id=district,
                            to_district_id=None, on=today, reason="other")


@pytest.fixture
def loss(rules, make_talent, admin_user):
    """流失预警 for n A-class talents of 和平区 who moved to 南通 (the district left: 和平区)."""
    from rencai.talents.models import Talent
    from rencai.talents.services import talent_update

    def factory(n: int):
        for i in range(n):
            talent = make_talent(name=f"迁出{i}")
            Talent.objects.filter(pk=talent.pk).update(talent_category="A")
            talent_update(actor=admin_user, talent_id=talent.pk, changes={"district": "崇川区"})
        warnings_evaluate(kinds=[RuleKind.TALENT_LOSS])

    return factory


def test_the_list_is_scoped_filtered_and_flat_in_queries(rules, loss, make_talent, client, heping_staff,
                                                        hunnan_staff, leader):
    loss(2)
    _outflow(make_talent, HEPING, 5)
    warnings_evaluate(kinds=[RuleKind.NET_OUTFLOW])
    client.force_login(heping_staff)
    url = reverse("earlywarning:list")
    few, html = _queries(client, url)
    assert _rows(html) == 3 and "迁出0" in html and "崇川区" in html
    loss(6)
    many, html = _queries(client, url)
    assert _rows(html) == 9
    assert many == few <= 12
    _, html = _queries(client, f"{url}?kind={RuleKind.NET_OUTFLOW}")
    assert _rows(html) == 1 and "净流出" in html
    _, html = _queries(client, f"{url}?state=resolved")
    assert "没有符合条件的预警" in html
    client.force_login(hunnan_staff)
    _, html = _queries(client, url)
    assert "没有符合条件的预警" in html
    client.force_login(leader)
    _, html = _queries(client, f"{url}?district={HEPING}")
    assert _rows(html) == 9
    text = re.sub(r"<[^>]+>", "", html)  # what people read: no slug, no code
    assert not re.search(r"talent_loss|net_outflow|210102|[a-z]+_[a-z]+", text)


def test_the_export_is_logged_and_scoped(loss, client, heping_staff, hunnan_staff):
    loss(2)
    client.force_login(heping_staff)
    response = client.get(reverse("earlywarning:export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    body = b"".join(response.streaming_content)
    assert body[:2] == b"PK"
    event = AuditEvent.objects.get(action="export", object_type="earlywarning.earlywarning")
    assert event.row_count == 2 and event.actor == heping_staff
    client.force_login(hunnan_staff)
    b"".join(client.get(reverse("earlywarning:export")).streaming_content)
    assert AuditEvent.objects.filter(action="export", actor=hunnan_staff).get().row_count == 0


def test_the_owner_acknowledges_and_resolves_on_the_page(loss, client, heping_staff, hunnan_staff, leader):
    loss(1)
    warning = EarlyWarning.objects.get()
    client.force_login(heping_staff)
    page = reverse("earlywarning:detail", args=[warning.pk])
    queries, html = _queries(client, page)
    assert queries <= 12 and 'id="acknowledge"' in html and "发出预警" in html
    act = reverse("earlywarning:act", args=[warning.pk])
    assert client.post(act, {"action": "acknowledge", "version": 1}).status_code == 302
    # closing asks first; a missing reason is a 422 naming 原因; a stale form a 409
    asked = client.post(act, {"action": "resolve", "version": 2, "reason": "已联系本人"})
    assert asked.status_code == 200 and "确认" in asked.content.decode()
    missing = client.post(act, {"action": "resolve", "version": 2, "reason": "", "confirmed": "1"})
    assert missing.status_code == 422 and "原因" in missing.content.decode()
    stale = client.post(act, {"action": "resolve", "version": 1, "reason": "已联系本人", "confirmed": "1"})
    assert stale.status_code == 409
    done = client.post(act, {"action": "resolve", "version": 2, "reason": "已联系本人，因家庭原因迁出",
                             "confirmed": "1"})
    assert done.status_code == 302
    _, html = _queries(client, page)
    assert "已解决" in html and "因家庭原因迁出" in html and 'id="acknowledge"' not in html
    # another district: 404; the leader reads, no form
    client.force_login(hunnan_staff)
    assert client.get(page).status_code == 404
    client.force_login(leader)
    _, html = _queries(client, page)
    assert "因家庭原因迁出" in html and 'name="action"' not in html
    assert client.post(act, {"action": "dismiss", "version": 3, "reason": "x", "confirmed": "1"}).status_code == 403


def test_other_roles_are_refused(loss, client, talent_user):
    loss(1)
    client.force_login(talent_user)
    assert client.get(reverse("earlywarning:list")).status_code == 403
    assert client.get(reverse("earlywarning:detail", args=[EarlyWarning.objects.get().pk])).status_code == 403


# --- the API -----------------------------------------------------------------------------------------------------

BASE = "/api/earlywarning"


def test_the_api_lists_reads_and_moves_a_warning(loss, client, heping_staff, hunnan_staff):
    loss(2)
    client.force_login(heping_staff)
    body = checked_body(client.get(f"{BASE}/warnings"), "get", f"{BASE}/warnings")
    assert body["count"] == 2 and {r["kind"] for r in body["results"]} == {RuleKind.TALENT_LOSS}
    first = body["results"][0]
    assert first["district"] == "和平区" and first["talent_name"].startswith("迁出")
    detail = checked_body(client.get(f"{BASE}/warnings/{first['id']}"), "get", f"{BASE}/warnings/{{warning_id}}")
    assert detail["may_act"] and detail["version"] == 1 and detail["history"][0]["action"] == "raise"
    path = f"{BASE}/warnings/{first['id']}/transition"
    spec = f"{BASE}/warnings/{{warning_id}}/transition"
    missing = post_json(client, path, {"action": "dismiss", "version": 1})
    assert missing.status_code == 422 and "原因" in checked_body(missing, "post", spec)["message"]
    moved = checked_body(post_json(client, path, {"action": "dismiss", "version": 1, "reason": "重复登记"}),
                         "post", spec)
    assert moved["state"] == State.DISMISSED and moved["reason"] == "重复登记" and not moved["may_act"]
    stale = post_json(client, path, {"action": "acknowledge", "version": 1})
    assert stale.status_code == 409
    bad = post_json(client, path, {"action": "delete", "version": 1})
    assert bad.status_code == 422
    client.force_login(hunnan_staff)
    assert client.get(f"{BASE}/warnings/{first['id']}").status_code == 404
    assert checked_body(client.get(f"{BASE}/warnings"), "get", f"{BASE}/warnings")["count"] == 0


def test_an_id_out_of_range_is_a_404_not_a_500(loss, client, heping_staff):
    loss(1)
    client.force_login(heping_staff)
    huge = 2**64
    assert client.get(f"/warnings/{huge}/").status_code == 404
    response = client.post(f"/warnings/{huge}/act/", {"action": "resolve", "version": 1, "reason": "x"})
    assert response.status_code == 404
    assert client.get(f"{BASE}/warnings/{huge}").status_code in (404, 422)
