# ruff: noqa: S608  (SQL built from this module's constant table and column names; values are parameters)
"""The database's own upkeep of the kept talent counts (models.TalentCount) and of the name search index.

Counts: statement-level triggers with transition tables on PostgreSQL (a COPY or an UPDATE of 100,000 rows is
one grouped upsert, not 100,000), row-level triggers on SQLite. Each upsert touches its buckets in key order, so
two writers never wait for each other in opposite orders.

Name search (PostgreSQL): ``rencai_name_grams(name)`` is every single character and every pair of adjacent
characters of a name; a GIN index on it answers ``name LIKE '%王%'`` or ``'%秀英%'`` from the index (pg_trgm has no
trigram for a one- or two-character search and scans the table). SQLite keeps the plain LIKE.
"""

TABLE = "talents_talent"
COUNTS = "talents_talentcount"
KEY = "district_id, talent_category, returnee, highest_degree, recognized_year"

PG_YEAR = "coalesce(extract(year FROM category_recognized_on)::int, 0)"
PG_BUCKET = f"district_id, talent_category, returnee, highest_degree, {PG_YEAR}"
PG_UPSERT = (f"INSERT INTO {COUNTS} AS c ({KEY}, n) {{select}} "
             f"ON CONFLICT ({KEY}) DO UPDATE SET n = c.n + EXCLUDED.n")


def _pg_function(name: str, select: str) -> str:
    return (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"{PG_UPSERT.format(select=select)}; RETURN NULL; END $$")


POSTGRESQL_CREATE = [
    _pg_function("talent_count_inserted",
                 f"SELECT {PG_BUCKET}, count(*) FROM new_rows GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5"),
    _pg_function("talent_count_deleted",
                 f"SELECT {PG_BUCKET}, -count(*) FROM old_rows GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5"),
    _pg_function("talent_count_updated",
                 f"SELECT {KEY}, sum(d) FROM (SELECT {PG_BUCKET} AS recognized_year, 1 AS d FROM new_rows "
                 f"UNION ALL SELECT {PG_BUCKET}, -1 FROM old_rows) AS delta "
                 f"GROUP BY 1, 2, 3, 4, 5 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4, 5"),
    f"CREATE TRIGGER talent_count_insert AFTER INSERT ON {TABLE} REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION talent_count_inserted()",
    f"CREATE TRIGGER talent_count_delete AFTER DELETE ON {TABLE} REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION talent_count_deleted()",
    f"CREATE TRIGGER talent_count_update AFTER UPDATE ON {TABLE} "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION talent_count_updated()",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS talent_count_insert ON {TABLE}",
    f"DROP TRIGGER IF EXISTS talent_count_delete ON {TABLE}",
    f"DROP TRIGGER IF EXISTS talent_count_update ON {TABLE}",
    "DROP FUNCTION IF EXISTS talent_count_inserted()",
    "DROP FUNCTION IF EXISTS talent_count_deleted()",
    "DROP FUNCTION IF EXISTS talent_count_updated()",
]

SQLITE_COLUMNS = ("district_id", "talent_category", "returnee", "highest_degree", "category_recognized_on")


def _sqlite_year(row: str) -> str:
    return f"coalesce(CAST(strftime('%Y', {row}.category_recognized_on) AS INTEGER), 0)"


def _sqlite_upsert(row: str, delta: int) -> str:
    """+1 creates the bucket if needed; -1 only lowers an existing one (a test database's flush, DELETE FROM
    every table in any order, then leaves no negative bucket behind)."""
    if delta < 0:
        return (f"UPDATE {COUNTS} SET n = n - 1 WHERE district_id = {row}.district_id "
                f"AND talent_category = {row}.talent_category AND returnee = {row}.returnee "
                f"AND highest_degree = {row}.highest_degree AND recognized_year = {_sqlite_year(row)};")
    return (f"INSERT INTO {COUNTS} ({KEY}, n) VALUES ({row}.district_id, {row}.talent_category, {row}.returnee, "
            f"{row}.highest_degree, {_sqlite_year(row)}, 1) ON CONFLICT ({KEY}) DO UPDATE SET n = n + 1;")


SQLITE_CREATE = [
    f"CREATE TRIGGER talent_count_insert AFTER INSERT ON {TABLE} BEGIN {_sqlite_upsert('NEW', 1)} END",
    f"CREATE TRIGGER talent_count_delete AFTER DELETE ON {TABLE} BEGIN {_sqlite_upsert('OLD', -1)} END",
    f"CREATE TRIGGER talent_count_update AFTER UPDATE OF {', '.join(SQLITE_COLUMNS)} ON {TABLE} WHEN "
    + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in SQLITE_COLUMNS)
    + f" BEGIN {_sqlite_upsert('OLD', -1)} {_sqlite_upsert('NEW', 1)} END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS talent_count_insert", "DROP TRIGGER IF EXISTS talent_count_delete",
               "DROP TRIGGER IF EXISTS talent_count_update"]

BACKFILL = {
    "postgresql": f"INSERT INTO {COUNTS} ({KEY}, n) SELECT {PG_BUCKET}, count(*) FROM {TABLE} "
                  "GROUP BY 1, 2, 3, 4, 5",
    "sqlite": f"INSERT INTO {COUNTS} ({KEY}, n) SELECT district_id, talent_category, returnee, highest_degree, "
              f"coalesce(CAST(strftime('%Y', category_recognized_on) AS INTEGER), 0), count(*) FROM {TABLE} "
              "GROUP BY 1, 2, 3, 4, 5",
}

# Every character and every two adjacent characters of a name (PostgreSQL), and its GIN index.
NAME_GRAMS_FUNCTION = "rencai_name_grams"
NAME_GRAMS_INDEX = "talent_name_grams"
POSTGRESQL_NAME_CREATE = [
    f"CREATE OR REPLACE FUNCTION {NAME_GRAMS_FUNCTION}(value text) RETURNS text[] "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ "
    "SELECT coalesce(array_agg(DISTINCT g), '{}') FROM ("
    "SELECT substr(value, i, 1) AS g FROM generate_series(1, char_length(value)) AS i "
    "UNION ALL SELECT substr(value, i, 2) FROM generate_series(1, char_length(value) - 1) AS i) AS grams $$",
    f"CREATE INDEX IF NOT EXISTS {NAME_GRAMS_INDEX} ON {TABLE} USING gin ({NAME_GRAMS_FUNCTION}(name))",
]
POSTGRESQL_NAME_DROP = [f"DROP INDEX IF EXISTS {NAME_GRAMS_INDEX}",
                        f"DROP FUNCTION IF EXISTS {NAME_GRAMS_FUNCTION}(text)"]


def name_grams(query: str) -> list[str]:
    """The grams a name containing ``query`` must have: the character itself, or every adjacent pair."""
    if len(query) <= 1:
        return [query] if query else []
    return sorted({query[i:i + 2] for i in range(len(query) - 1)})


def install(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor in BACKFILL:
        schema_editor.execute(f"DELETE FROM {COUNTS}", params=None)
        schema_editor.execute(BACKFILL[vendor], params=None)
    for statement in {"postgresql": POSTGRESQL_CREATE + POSTGRESQL_NAME_CREATE,
                      "sqlite": SQLITE_CREATE}.get(vendor, []):
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor) -> None:
    for statement in {"postgresql": POSTGRESQL_DROP + POSTGRESQL_NAME_DROP,
                      "sqlite": SQLITE_DROP}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)
