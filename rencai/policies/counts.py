# ruff: noqa: S608  (SQL built from this module's constant table and column names; values are parameters)
"""政策找人's kept counts (issue 15): per run, policy and the talent's *current* district, how many rows of each
result and what they sum to (models.MatchCount).

``/policies/matches/`` and the per-policy lists read these few thousand rows instead of joining millions of
matches to the talents on every page. They are written once per run, set-based, when the run is stored
(``match_counts_store``, in the run's transaction), and follow a talent who moves: a trigger on the talents
table moves the talent's rows of every counted run from the old district to the new one, in the mover's
transaction, whatever wrote the move (so the rule of ``accounts.permissions.scope_related`` — lists and counts
follow the talent's current record — holds for the counts too). A run's counts go when the run is deleted.

Anything that changes the rows of a finished run later must call ``match_counts_store`` again.
"""

from django.db import connection

COUNTS = "policies_matchcount"
MATCHES = "policies_policymatch"
TALENTS = "talents_talent"
KEY = "run_id, policy, district_id, eligible, alternative"
SUMS = "n, monthly_n, monthly_fen, total_n, total_fen"


def _aggregates(sign: str = "") -> str:
    return (f"{sign}count(*), {sign}count(m.monthly_fen), {sign}coalesce(sum(m.monthly_fen), 0), "
            f"{sign}count(m.total_fen), {sign}coalesce(sum(m.total_fen), 0)")


STORE = (f"INSERT INTO {COUNTS} ({KEY}, {SUMS}) "
         f"SELECT m.run_id, m.policy, t.district_id, m.eligible, m.alternative, {_aggregates()} "
         f"FROM {MATCHES} m INNER JOIN {TALENTS} t ON t.id = m.talent_id WHERE m.run_id = %s "
         "GROUP BY m.run_id, m.policy, t.district_id, m.eligible, m.alternative")


def match_counts_store(run, *, policies: list[str] | None = None) -> None:
    """(Re)count a run's rows by the talents' current districts: one grouped INSERT … SELECT. ``policies``:
    those policies' counts only (a run that re-evaluated only them); the others' are kept as they are."""
    from .models import MatchCount

    kept = MatchCount.objects.filter(run=run)
    if policies is None:
        kept.delete()
        with connection.cursor() as cursor:
            cursor.execute(STORE, [run.pk])
        return
    if not policies:
        return
    kept.filter(policy__in=list(policies)).delete()
    placeholders = ", ".join(["%s"] * len(policies))
    scoped = STORE.replace("WHERE m.run_id = %s", f"WHERE m.run_id = %s AND m.policy IN ({placeholders})")
    with connection.cursor() as cursor:
        cursor.execute(scoped, [run.pk, *policies])


UPSERT_SET = ", ".join(f"{c} = c.{c} + EXCLUDED.{c}" for c in SUMS.split(", "))
SQLITE_UPSERT_SET = ", ".join(f"{c} = {c} + excluded.{c}" for c in SUMS.split(", "))

POSTGRESQL_CREATE = [
    "CREATE OR REPLACE FUNCTION match_count_talent_moved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"INSERT INTO {COUNTS} AS c ({KEY}, {SUMS}) "
    "SELECT m.run_id, m.policy, d.district_id, m.eligible, m.alternative, sum(d.sign), "
    "sum(d.sign * (m.monthly_fen IS NOT NULL)::int), sum(d.sign * coalesce(m.monthly_fen, 0)), "
    "sum(d.sign * (m.total_fen IS NOT NULL)::int), sum(d.sign * coalesce(m.total_fen, 0)) "
    "FROM (SELECT o.id, o.district_id AS old_district, n.district_id AS new_district "
    "      FROM old_rows o INNER JOIN new_rows n ON n.id = o.id WHERE o.district_id <> n.district_id) mv "
    f"INNER JOIN {MATCHES} m ON m.talent_id = mv.id "
    "CROSS JOIN LATERAL (VALUES (mv.old_district, -1), (mv.new_district, 1)) AS d(district_id, sign) "
    f"WHERE EXISTS (SELECT 1 FROM {COUNTS} k WHERE k.run_id = m.run_id) "
    "GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5 "
    f"ON CONFLICT ({KEY}) DO UPDATE SET {UPSERT_SET}; RETURN NULL; END $$",
    f"CREATE TRIGGER match_count_talent_moved AFTER UPDATE ON {TALENTS} "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION match_count_talent_moved()",
]
POSTGRESQL_DROP = [f"DROP TRIGGER IF EXISTS match_count_talent_moved ON {TALENTS}",
                   "DROP FUNCTION IF EXISTS match_count_talent_moved()"]


def _sqlite_move(row: str, sign: str) -> str:
    return (f"INSERT INTO {COUNTS} ({KEY}, {SUMS}) "
            f"SELECT m.run_id, m.policy, {row}.district_id, m.eligible, m.alternative, {_aggregates(sign)} "
            f"FROM {MATCHES} m WHERE m.talent_id = {row}.id "
            f"AND m.run_id IN (SELECT k.run_id FROM {COUNTS} k) "
            "GROUP BY m.run_id, m.policy, m.eligible, m.alternative "
            f"ON CONFLICT ({KEY}) DO UPDATE SET {SQLITE_UPSERT_SET};")


SQLITE_CREATE = [
    f"CREATE TRIGGER match_count_talent_moved AFTER UPDATE OF district_id ON {TALENTS} "
    f"WHEN OLD.district_id IS NOT NEW.district_id BEGIN {_sqlite_move('OLD', '-')} {_sqlite_move('NEW', '')} END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS match_count_talent_moved"]


def install(apps, schema_editor) -> None:
    """The trigger, and the counts of the runs already stored (one grouped INSERT each)."""
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRESQL_CREATE, "sqlite": SQLITE_CREATE}.get(vendor, []):
        schema_editor.execute(statement, params=None)
    run_model = apps.get_model("policies", "MatchRun")
    for run_id in run_model.objects.filter(status="finished").values_list("pk", flat=True):
        schema_editor.execute(STORE, params=[run_id])


def uninstall(apps, schema_editor) -> None:
    for statement in {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}.get(
            schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)
