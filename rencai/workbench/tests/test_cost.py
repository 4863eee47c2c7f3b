"""Cost before publishing (issue 13): a draft's effect over the registry by district, the people who would lose
it (holders marked), scope, staleness, the background run, bad input, the Excel export."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import polars as pl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.policies.calculator import calculate
from rencai.policies.published import effective, shipped_texts
from rencai.policies.registry import talent_profile
from rencai.talents.models import Talent
from rencai.workbench import cost, services
from rencai.workbench.models import RuleRevision

pytestmark = pytest.mark.django_db
FILE = "sy-living-subsidy-graduate.yaml"
POLICY = "sy-living-subsidy-graduate"
AS_OF = dt.date(2024, 6, 1)
# The draft: only those who graduated on or after 2020-01-01, and a master's 1000 a month instead of 1200.
WINDOW = ("conditions:\n  - id: graduation-window\n    test: graduation_date >= date(\"2020-01-01\")\n"
          "    fail: 毕业时间{graduation_date}早于2020年1月1日\namount:")


def _narrowed() -> str:
    text = shipped_texts()[FILE]
    return text.replace("amount:", WINDOW, 1).replace("value: 1200", "value: 1000", 1)


@pytest.fixture
def officer(make_user):
    user = make_user("policy_officer", Role.STAFF, "210100", reveal=True)
    user.user_permissions.add(Permission.objects.get(codename="edit_rules"))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def heping_officer(make_user):
    user = make_user("heping_officer", Role.STAFF, "210102")
    user.user_permissions.add(Permission.objects.get(codename="edit_rules"))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def registry(make_talent, admin_user):
    """和平区: a recent doctor (kept), a 2012 doctor (lost), a 2015 doctor who holds it (lost, holder), a recent
    doctor who holds it (kept); 浑南区: a recent master (amount lowered), a 2010 bachelor (lost), a 大专 (never)."""
    from rencai.payments.models import Entitlement

    made = {
        "kept": make_talent(name="甲博士"),
        "old": make_talent(name="乙博士", graduation_date="2012-07-01"),
        "old_holder": make_talent(name="丙博士", graduation_date="2015-07-01"),
        "holder": make_talent(name="丁博士", graduation_date="2021-07-01"),
        "master": make_talent(name="戊硕士", district="浑南区", highest_degree="硕士", graduation_date="2022-07-01"),
        "bachelor": make_talent(name="己本科", district="浑南区", highest_degree="本科", graduation_date="2010-07-01"),
        "college": make_talent(name="庚专科", district="浑南区", highest_degree="专科"),
    }
    for key in ("old_holder", "holder"):
        Entitlement.objects.create(talent=made[key], policy=POLICY, monthly_fen=250_000, months=36,
                                   start_month=dt.date(2023, 1, 1), end_month=dt.date(2025, 12, 1),
                                   created_by=admin_user)
    return made


def _draft(officer, text=None) -> RuleRevision:
    return services.revision_create(actor=officer, file=FILE, text=text or _narrowed(), note="限毕业时间")


def _single(talent, catalog) -> tuple[bool, int]:
    """The single-person calculator's answer for a talent, as if they did not hold this policy yet."""
    profile = talent_profile(talent, as_of=AS_OF)
    profile["received"] = [p for p in profile.get("received", []) if p != POLICY]
    result = next(r for r in calculate(profile, as_of=AS_OF, catalog=catalog)["results"] if r["policy"] == POLICY)
    entitled = result["eligible"] is True
    return entitled, int(Decimal(str(result["monthly_amount"])) * 100) if entitled else 0


def _expected(talents, after_catalog) -> dict:
    """Per district name: the figures computed by the single-person calculator, talent by talent."""
    before_catalog = effective().catalog
    out: dict = {}
    for talent in talents:
        (eb, mb), (ea, ma) = _single(talent, before_catalog), _single(talent, after_catalog)
        d = out.setdefault(talent.district.name, {"people_before": 0, "people_after": 0, "people_gained": 0,
                                                 "people_lost": 0, "people_amount_changed": 0, "monthly_before": 0,
                                                 "monthly_after": 0, "lost": set()})
        d["people_before"] += eb
        d["people_after"] += ea
        d["people_gained"] += ea and not eb
        d["people_lost"] += eb and not ea
        d["people_amount_changed"] += eb and ea and mb != ma
        d["monthly_before"] += mb
        d["monthly_after"] += ma
        if eb and not ea:
            d["lost"].add(talent.pk)
    return out


def test_a_narrowed_graduate_subsidy_by_district(registry, officer):
    draft = _draft(officer)
    result = cost.revision_cost(draft, viewer=officer, as_of=AS_OF)
    [entry] = result["summary"]["policies"]
    assert entry["policy"] == POLICY and entry["months_this_year"] == 7
    after_catalog = services.rule_check(FILE, draft.text).catalog
    expected = _expected(Talent.objects.select_related("district"), after_catalog)
    got = {row["district"]: row for row in entry["districts"]}
    assert set(got) == set(expected) == {"和平区", "浑南区"}
    for name, want in expected.items():
        row = got[name]
        for k in ("people_before", "people_after", "people_gained", "people_lost", "people_amount_changed"):
            assert row[k] == want[k], (name, k)
        assert row["monthly_fen_before"] == want["monthly_before"]
        assert row["monthly_fen_after"] == want["monthly_after"]
        assert row["this_year_fen_after"] - row["this_year_fen_before"] == (want["monthly_after"]
                                                                           - want["monthly_before"]) * 7
        assert row["total_fen_after"] - row["total_fen_before"] == (want["monthly_after"]
                                                                   - want["monthly_before"]) * 36
    # The figures are not trivial: someone lost in each district, a holder among them, an amount lowered.
    assert got["和平区"]["people_lost"] == 2 and got["和平区"]["lost_holding"] == 1
    assert got["和平区"]["holders_before"] == 2
    assert got["浑南区"]["people_lost"] == 1 and got["浑南区"]["people_amount_changed"] == 1
    losers = cost.losers_frame(result["losers"][POLICY])
    assert set(losers["id"]) == expected["和平区"]["lost"] | expected["浑南区"]["lost"]
    assert set(losers.filter(pl.col("holds"))["id"]) == {registry["old_holder"].pk}
    assert losers["id"].to_list() == sorted(losers["id"], reverse=True)
    assert dict(zip(losers["id"], losers["amount"], strict=True))[registry["old"].pk] == 250_000
    assert entry["total"]["people_lost"] == 3 and entry["total"]["lost_holding"] == 1


def test_a_heping_officer_counts_only_heping(registry, heping_officer, officer):
    draft = _draft(officer)
    result = cost.revision_cost(draft, viewer=heping_officer, as_of=AS_OF)
    [entry] = result["summary"]["policies"]
    assert [row["district"] for row in entry["districts"]] == ["和平区"]
    assert result["summary"]["talents"] == 4 and result["summary"]["scope_label"] == "和平区"
    heping = {t.pk for t in registry.values() if t.district_id == "210102"}
    assert set(cost.losers_frame(result["losers"][POLICY])["id"]) <= heping
    assert result["key"]["scope"] == "r210102"


def test_the_job_keeps_the_result_and_stale_is_shown(registry, officer, client,
                                                    django_capture_on_commit_callbacks):
    from rencai.jobs.models import Job

    draft = _draft(officer)
    client.force_login(officer)
    url = reverse("workbench:revision_cost", args=[draft.pk])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert client.post(url, {"as_of": AS_OF.isoformat()}).status_code == 302
        client.post(url, {"as_of": AS_OF.isoformat()})  # a second click joins the first run
    job = Job.objects.get(kind=cost.JOB_KIND)
    waiting = client.get(url + f"?as_of={AS_OF.isoformat()}", HTTP_HX_REQUEST="true").content.decode()
    assert "正在测算" in waiting and 'hx-trigger="every 2s"' in waiting and 'id="cost-run"' not in waiting
    for callback in queued:
        callback()
    job.refresh_from_db()
    assert job.title == "发布前测算：高校毕业生生活补贴第1版"
    assert job.status == "succeeded" and job.done == job.total == 2  # read the registry, one policy
    draft.refresh_from_db()
    assert draft.cost["r210100"]["summary"]["policies"][0]["policy"] == POLICY
    page = client.get(url + f"?as_of={AS_OF.isoformat()}")
    html = page.content.decode()
    assert page.status_code == 200 and "高校毕业生生活补贴" in html and "和平区" in html and "已过期" not in html
    assert "210102" not in html, html[html.index("210102") - 300:html.index("210102") + 100]
    assert POLICY not in html.replace(f"policy={POLICY}", "").replace(f"cost-{POLICY}", "")
    panel = cost.cost_panel(draft, officer, as_of=AS_OF)
    assert not panel["stale"] and panel["result"]["policies"][0]["total"]["this_year_change"] < 0
    assert isinstance(panel["result"]["policies"][0]["total"]["monthly_before"], Decimal)
    # Another evaluation day, or another rule published since: stale, and computed again on demand.
    assert cost.cost_panel(draft, officer, as_of=dt.date(2024, 7, 1))["stale"]
    other = services.revision_create(actor=officer, file="sy-living-subsidy-skilled.yaml",
                                     text=shipped_texts()["sy-living-subsidy-skilled.yaml"].replace(
                                         "value: 1000", "value: 1100", 1))
    services.revision_publish(actor=officer, revision=other, reason="提高标准")
    from rencai.policies.published import catalog_changed

    catalog_changed()
    draft.refresh_from_db()
    panel = cost.cost_panel(draft, officer, as_of=AS_OF)
    assert panel["stale"] and "现行规则已变化" in panel["stale_reasons"][0]
    assert "已过期" in client.get(url + f"?as_of={AS_OF.isoformat()}").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"as_of": AS_OF.isoformat()})
    draft.refresh_from_db()
    assert not cost.cost_panel(draft, officer, as_of=AS_OF)["stale"]


def test_a_draft_that_no_longer_parses_is_refused_in_chinese(registry, officer, client,
                                                           django_capture_on_commit_callbacks):
    draft = _draft(officer)
    client.force_login(officer)
    url = reverse("workbench:revision_cost", args=[draft.pk])
    broken = draft.text.replace("graduation_date >=", "graduation_dat >=")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(url, {"as_of": AS_OF.isoformat()})
    RuleRevision.objects.filter(pk=draft.pk).update(text=broken)  # broken between the click and the run
    for callback in queued:
        callback()
    draft.refresh_from_db()
    panel = client.get(url + f"?as_of={AS_OF.isoformat()}", HTTP_HX_REQUEST="true")
    assert panel.status_code == 200 and "上次测算未能完成" in panel.content.decode() and not draft.cost
    line = next(i for i, text in enumerate(broken.splitlines(), start=1) if "graduation_dat >=" in text)
    assert f"第{line}行" in panel.content.decode() and "未知字段" in panel.content.decode()
    response = client.post(url, {"as_of": AS_OF.isoformat()}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "无法测算" in response.content.decode() and "第" in response.content.decode()
    assert client.post(url, {"as_of": "2024-13-45"}).status_code == 422
    assert client.get(url + "?as_of=昨天").status_code == 422


def test_officers_only(registry, officer, client, heping_staff):
    draft = _draft(officer)
    client.force_login(heping_staff)  # staff without the permission
    for name in ("workbench:revision_cost", "workbench:revision_losers", "workbench:revision_losers_export"):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 403


def test_losers_listed_masked_scoped_and_exported(registry, officer, heping_officer, client):
    from rencai.audit.models import AuditEvent

    draft = _draft(officer)
    cost.cost_store(draft, scope="r210102", result=cost.revision_cost(draft, viewer=heping_officer, as_of=AS_OF))
    client.force_login(heping_officer)
    url = reverse("workbench:revision_losers", args=[draft.pk])
    html = client.get(url + f"?policy={POLICY}").content.decode()
    old, holder = registry["old"], registry["old_holder"]
    assert old.name in html and holder.name in html and registry["bachelor"].name not in html
    from rencai.core import crypto

    assert crypto.decrypt(old.id_number_cipher) not in html and old.id_number_masked in html
    assert 'class="holds"' in html and html.count("<tr") == 3  # header + two
    holders = client.get(url + f"?policy={POLICY}&holders=1").content.decode()
    assert holder.name in holders and old.name not in holders
    # Another officer's jurisdiction has no result of its own yet.
    client.force_login(officer)
    assert client.get(url + f"?policy={POLICY}").status_code == 404
    client.force_login(heping_officer)
    Talent.objects.filter(pk=old.pk).update(name="=HYPERLINK(\"http://x\")")
    response = client.get(reverse("workbench:revision_losers_export", args=[draft.pk]) + f"?policy={POLICY}")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "姓名" and len(rows) == 3
    names = {r[0] for r in rows[1:]}
    assert "'=HYPERLINK(\"http://x\")" in names and holder.name in names
    assert {r[3] for r in rows[1:]} == {"是", "否"}
    event = AuditEvent.objects.get(action="export", object_type="workbench.rulerevision")
    assert event.row_count == 2 and event.actor == heping_officer


def test_losers_page_by_page(registry, heping_officer, officer, make_talent, client):
    for i in range(5):
        make_talent(name=f"旧博士{i}", graduation_date="2011-07-01")
    draft = _draft(officer)
    result = cost.revision_cost(draft, viewer=heping_officer, as_of=AS_OF)
    losers = result["losers"][POLICY]
    ids = cost.losers_frame(losers)["id"].to_list()
    assert losers["count"] == len(ids) == 7
    first = cost.losers_page(losers, viewer=heping_officer, params={}, per_page=3)
    second = cost.losers_page(losers, viewer=heping_officer, params={"page": "2", "after": first.next_cursor},
                              per_page=3)
    third = cost.losers_page(losers, viewer=heping_officer, params={"page": "3", "after": second.next_cursor},
                             per_page=3)
    seen = [r["talent"].pk for p in (first, second, third) for r in p]
    assert seen == ids and first.has_next and second.has_next and not third.has_next
    back = cost.losers_page(losers, viewer=heping_officer, params={"page": "2", "before": third.previous_cursor},
                            per_page=3)
    assert [r["talent"].pk for r in back] == [r["talent"].pk for r in second]
    # By page number alone (a number typed in), as core.paging.
    assert [r["talent"].pk for r in cost.losers_page(losers, viewer=heping_officer, params={"page": "3"},
                                                    per_page=3)] == seen[6:]


def test_a_draft_that_changes_nothing(registry, officer):
    text = shipped_texts()[FILE].replace("notes:", "# 只改注释\nnotes:", 1)
    result = cost.revision_cost(_draft(officer, text), viewer=officer, as_of=AS_OF)
    assert result["summary"]["policies"] == [] and result["losers"] == {}
