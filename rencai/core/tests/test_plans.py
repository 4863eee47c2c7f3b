"""Issue 15: the plans of the hot pages' queries on PostgreSQL, with enough rows for the planner to choose as
it would at a million (60,000 talents, 90,000 matches, fresh statistics): every query the pages send that
touches the talents or the matches uses an index — no Seq Scan on either table — the name search uses the
name-grams index for one and two characters, and the per-policy list its ordered index, page 1 and a deep
page (keyset cursor) alike. SQLite has none of these plans: skipped there."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")]

ROWS = 60_000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
GIVEN = "秀英伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞"
DISTRICTS = ["210102", "210103", "210104", "210105", "210106", "210111", "210112", "210113", "210114",
             "210115", "210123", "210124", "210181"]


@pytest.fixture
def registry(db):
    """Talents and one run's matches written set-based, then ANALYZE (as the demo generator does)."""
    from rencai.policies.counts import match_counts_store
    from rencai.policies.models import MatchRun

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO talents_talent (name, id_type, id_number_cipher, id_number_hash, id_number_masked, gender, "
            "birth_date, nationality, phone_cipher, phone_hash, phone_masked, email, highest_degree, returnee, "
            "employer_type, social_insurance, professional_title, skill_level, honors, talent_category, "
            "housing_status, source, created_at, updated_at, district_id, employment_status) "
            "SELECT substr(%s, 1 + i %% 40, 1) || substr(%s, 1 + (i / 40) %% 20, 1) "
            "       || substr(%s, 1 + (i / 800) %% 20, 1), "
            "'resident_id', 'x', 'plan-' || i, '2101**********', 'male', DATE '1990-01-01', '中国', '', '', '', '', "
            "'bachelor', i %% 10 = 0, '', 'unknown', '', '', '[]'::jsonb, '', '', 'demo', now(), now(), "
            "(%s::text[])[1 + i %% 13], 'confirmed' FROM generate_series(1, %s) AS i",
            [SURNAMES, GIVEN, GIVEN, DISTRICTS, ROWS])
    run = MatchRun.objects.create(as_of="2024-06-01", status=MatchRun.Status.FINISHED, finished_at=timezone.now())
    with connection.cursor() as cursor:
        for policy, every in (("sy-rent-subsidy", 1), ("sy-living-subsidy-graduate", 2)):
            cursor.execute(
                "INSERT INTO policies_policymatch (run_id, talent_id, policy, eligible, decided_by, "
                "exclusive_group, alternative, monthly_fen, one_time_fen, total_fen) "
                "SELECT %s, id, %s, 'true', '', '', false, (id %% 7) * 10000, NULL, "
                "CASE WHEN id %% 5 = 0 THEN NULL ELSE (id %% 11) * 100000 END "
                "FROM talents_talent WHERE id %% %s = 0", [run.pk, policy, every])
        match_counts_store(run)
        for table in ("talents_talent", "policies_policymatch", "talents_talentcount", "policies_matchcount"):
            cursor.execute(f"ANALYZE {table}")
    return run


def _plans(client, urls) -> dict[str, str]:
    """The plan of every query the pages send that reads the talents or the matches."""
    plans = {}
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            assert response.status_code == 200, url
            if response.streaming:
                response.getvalue()
        for query in captured.captured_queries:
            sql = query["sql"]
            if sql.lstrip().upper().startswith("SELECT") and ("talents_talent\"" in sql or "policymatch" in sql):
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN " + sql)
                    plans[f"{url} :: {sql[:120]}"] = "\n".join(row[0] for row in cursor.fetchall())
    return plans


def _next_cursor(client, url) -> str:
    """The cursor of the page's 下一页 link."""
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].next_cursor


@pytest.mark.parametrize("staff", ["heping_staff", "city_staff"])
def test_hot_queries_use_indexes(staff, registry, client, request):
    user = request.getfixturevalue(staff)
    client.force_login(user)
    cursor = _next_cursor(client, "/policies/matches/sy-rent-subsidy/")
    low = ".".join(["0", "0", str(ROWS // 2)])  # a cursor half-way down: amounts of 0, ids below the middle
    urls = ["/", "/talents/", "/talents/?name=王", "/talents/?name=王秀", "/talents/?name=秀英",
            f"/talents/?page=500&after={ROWS // 3}", "/policies/matches/", "/policies/matches/sy-rent-subsidy/",
            f"/policies/matches/sy-rent-subsidy/?page=2&after={cursor}",
            f"/policies/matches/sy-rent-subsidy/?page=400&after={low}"]
    plans = _plans(client, urls)
    assert len(plans) >= 8, list(plans)
    for where, plan in plans.items():
        assert "Seq Scan on talents_talent" not in plan, f"{where}\n{plan}"
        assert "Seq Scan on policies_policymatch" not in plan, f"{where}\n{plan}"
    names = {w: p for w, p in plans.items() if "name=" in w}
    assert names and all("talent_name_grams" in p for p in names.values()), names
    lists = {w: p for w, p in plans.items() if "/sy-rent-subsidy/" in w and "COUNT" not in w.upper()}
    assert lists and all("match_list_order" in p for p in lists.values()), lists
