"""The push API: a feed's own token pushes to its feed only, a replayed push writes nothing twice, a wrong token or
a token of another feed is refused (the latter logged), a token reads nothing; answers match the OpenAPI
document."""

import json

import pytest

from rencai.audit.models import AuditEvent
from rencai.conftest import make_resident_id
from rencai.core import crypto
from rencai.core.masking import mask_id_number
from rencai.core.openapi_check import checked_body
from rencai.datahub import services
from rencai.datahub.enums import FactKind, LoadStatus
from rencai.datahub.models import Fact, Load

from .factories import feed

pytestmark = pytest.mark.django_db(transaction=True)  # the load runs after the push's commit, as in production
PUSH = "/api/datahub/feeds/{feed_id}/rows"


def _rows(talents, month="2026-10"):
    return {"rows": [{"姓名": t.name, "证件号码": crypto.decrypt(t.id_number_cipher), "缴费月份": month,
                      "缴费基数（元）": 6000} for t in talents]}


def _push(client, f, token, body, **headers):
    return client.post(PUSH.format(feed_id=f.pk), json.dumps(body, ensure_ascii=False),
                       content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}", **headers)


@pytest.fixture
def pushing(city_staff):
    f = feed()
    return f, services.feed_token_rotate(actor=city_staff, feed_id=f.pk)


def test_a_push_is_loaded_and_a_replay_writes_nothing(client, make_talent, pushing):
    f, token = pushing
    talents = [make_talent(name=f"推送{i}") for i in range(3)]
    response = _push(client, f, token, _rows(talents))
    assert response.status_code == 202, response.content
    body = checked_body(response, "post", "/api/datahub/feeds/{feed_id}/rows")
    assert (body["status"], body["new"], body["unmatched"], body["replayed"]) == (LoadStatus.DONE, 3, 0, False)
    assert body["match_rate"] == "100.0" and "已装载" in body["message"]
    assert Fact.objects.filter(feed=f).count() == 3

    replay = _push(client, f, token, _rows(talents))  # the same content, no key: the same push
    assert replay.status_code == 200
    again = checked_body(replay, "post", "/api/datahub/feeds/{feed_id}/rows")
    assert again["id"] == body["id"] and again["replayed"] is True and "重复推送" in again["message"]
    assert Load.objects.filter(feed=f).count() == 1 and Fact.objects.filter(feed=f).count() == 3

    keyed = _push(client, f, token, _rows(talents[:1], month="2026-11"), HTTP_IDEMPOTENCY_KEY="批次-2026-11")
    assert keyed.status_code == 202
    same_key = _push(client, f, token, _rows(talents[:1], month="2026-11"), HTTP_IDEMPOTENCY_KEY="批次-2026-11")
    assert same_key.status_code == 200 and same_key.json()["id"] == keyed.json()["id"]
    reused = _push(client, f, token, _rows(talents[:2], month="2026-11"), HTTP_IDEMPOTENCY_KEY="批次-2026-11")
    assert reused.status_code == 409 and "幂等键" in reused.json()["message"]
    assert Load.objects.filter(feed=f).count() == 2 and Fact.objects.filter(feed=f).count() == 4


def test_a_push_reports_bad_rows_by_row_and_field(client, make_talent, pushing):
    f, token = pushing
    talent = make_talent()
    body = _rows([talent])
    body["rows"].append({"证件号码": "21010219850615001", "缴费月份": "2026-10"})
    response = _push(client, f, token, body)
    data = checked_body(response, "post", "/api/datahub/feeds/{feed_id}/rows")
    assert data["new"] == 1 and data["rejected_rows"] == 1
    assert data["errors"] == [{"row": 2, "field": "证件号码",
                               "message": f"居民身份证号码“{mask_id_number('21010219850615001')}”无效：应为18位"}]
    assert "21010219850615001" not in response.content.decode()


def test_wrong_columns_are_refused_and_nothing_written(client, pushing):
    f, token = pushing
    response = _push(client, f, token, {"rows": [{"身份证": make_resident_id(), "月份": "2026-10"}]})
    assert response.status_code == 400
    assert "缺少必填列：证件号码、缴费月份" in response.json()["message"]
    assert not Load.objects.exists() and not Fact.objects.exists()


def test_a_wrong_token_is_a_401_and_no_token_too(client, pushing):
    f, token = pushing
    for bad in (token[:-2] + "xx", "rcdh_", "not-a-token"):
        response = _push(client, f, bad, {"rows": []})
        assert response.status_code == 401 and "令牌" in response.json()["message"]
    missing = client.post(PUSH.format(feed_id=f.pk), "{}", content_type="application/json")
    assert missing.status_code in (401, 422)  # no rows and no token: refused either way, in Chinese
    assert "\u4e00" <= missing.json()["message"][0] <= "\u9fff"
    assert not Load.objects.exists()


def test_a_token_of_another_feed_is_refused_and_logged(client, make_talent, city_staff, pushing):
    f, token = pushing
    other = feed(FactKind.INCOME_TAX)
    services.feed_token_rotate(actor=city_staff, feed_id=other.pk)
    response = client.post(PUSH.format(feed_id=other.pk), json.dumps(_rows([make_talent()]), ensure_ascii=False),
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403 and "只能用于它所属的数据源" in response.json()["message"]
    event = AuditEvent.objects.get(action="denied", object_type="datahub.feed", object_id=str(other.pk))
    assert f.name in event.summary and other.name in event.summary
    assert not Load.objects.exists()


def test_an_unknown_feed_is_a_404_before_anything_is_written(client, pushing):
    f, token = pushing
    response = client.post(PUSH.format(feed_id=f.pk + 1000), json.dumps({"rows": []}),
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 404 and "未找到该数据源" in response.json()["message"]
    assert not Load.objects.exists()


def test_a_rotated_token_stops_working_at_once(client, city_staff, make_talent, pushing):
    f, old = pushing
    new = services.feed_token_rotate(actor=city_staff, feed_id=f.pk)
    assert new != old and f.__class__.objects.get(pk=f.pk).token_digest == services.token_digest(new)
    assert old not in str(f.__class__.objects.filter(pk=f.pk).values().get())  # only the digest is kept
    assert _push(client, f, old, _rows([make_talent()])).status_code == 401
    assert _push(client, f, new, _rows([make_talent()])).status_code == 202


def test_a_token_reads_nothing(client, pushing):
    f, token = pushing
    load = Load.objects.create(feed=f, source="push", sha256="0" * 64)
    for url in ("/api/datahub/feeds", f"/api/datahub/loads/{load.pk}", "/api/talents"):
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 401, url


def test_staff_read_feeds_and_loads_district_staff_not_the_rows(client, city_staff, heping_staff, make_talent,
                                                                pushing):
    f, token = pushing
    body = _push(client, f, token, _rows([make_talent()])).json()
    client.force_login(city_staff)
    feeds = checked_body(client.get("/api/datahub/feeds"), "get", "/api/datahub/feeds")
    mine = next(x for x in feeds if x["id"] == f.pk)
    assert mine["last_load"]["id"] == body["id"] and mine["latest_period"] == "2026年10月"
    detail = checked_body(client.get(f"/api/datahub/loads/{body['id']}"), "get", "/api/datahub/loads/{load_id}")
    assert detail["new"] == 1
    client.force_login(heping_staff)  # a district office: the dashboard's figures, not a load's rows
    assert client.get("/api/datahub/feeds").status_code == 200
    assert client.get(f"/api/datahub/loads/{body['id']}").status_code == 404
