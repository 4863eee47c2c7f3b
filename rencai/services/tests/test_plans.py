"""The plans of a specialist's page and a department's queue on PostgreSQL, with enough rows for the planner to
choose as it would at a million (core/tests/test_plans.py's 60,000 talents; every fifth one high-level, shared by
three specialists — 4,000 each —, fresh statistics): no Seq Scan on the talents or the assignments, and a page
of the specialist's talents read from an index in talent order, a deep one too. SQLite has none of these
plans: skipped."""

import pytest
from django.db import connection
from django.urls import reverse

from rencai.core.tests.test_plans import _plans, registry  # noqa: F401 — the shared registry fixture

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")]


@pytest.fixture
def assigned(registry, make_officer, catalog):  # noqa: F811
    from rencai.services.models import Specialist

    specialists = [Specialist.objects.create(user=make_officer(f"sp{i}", "沈阳市就业和人才服务中心")) for i in range(3)]
    ids = [s.pk for s in specialists]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE talents_talent SET talent_category = (ARRAY['A','B','C'])[1 + id % 3] "
                       "WHERE id % 5 = 0")
        cursor.execute("INSERT INTO services_specialistassignment (talent_id, specialist_id, assigned_at) "
                       "SELECT id, (%s::int[])[1 + (id / 5) %% 3], now() FROM talents_talent WHERE id %% 5 = 0",
                       [ids])
        for table in ("talents_talent", "services_specialistassignment"):
            cursor.execute(f"ANALYZE {table}")
    return specialists


def test_a_specialists_page_and_a_queue_use_indexes(assigned, officers, client):
    from rencai.services.models import SpecialistAssignment

    specialist = assigned[0]
    assert SpecialistAssignment.objects.filter(specialist=specialist).count() == 4000
    client.force_login(specialist.user)
    plans = _plans(client, [reverse("services:specialist"), reverse("services:specialist") + "?page=60"])
    client.force_login(officers["education"])
    plans |= _plans(client, [reverse("services:queue")])
    assert plans
    for where, plan in plans.items():
        assert "Seq Scan on talents_talent" not in plan, (where, plan)
        assert "Seq Scan on services_specialistassignment" not in plan, (where, plan)

    # The page of ids: read from an index (the (specialist, talent) one, or the specialist's or the talent's own),
    # never a scan of the table, however deep. Whether the planner then sorts a few thousand ids or reads them in
    # order depends on its statistics (a clean CI run chose a bitmap and a sort of 4,000): not asserted.
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN SELECT talent_id FROM services_specialistassignment WHERE specialist_id = %s "
                       "ORDER BY talent_id OFFSET 3950 LIMIT 50", [specialist.pk])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index" in plan and "Seq Scan" not in plan, plan
