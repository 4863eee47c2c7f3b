# ruff: noqa: S608  (SQL built from this module's constant table, column and dimension names; no user values)
"""The database's own upkeep of the kept district counts (models.DistrictCount), as talents.triggers keeps
TalentCount: statement-level triggers with transition tables on PostgreSQL (a COPY of 100,000 talents or an
INSERT … SELECT of their origins is one grouped upsert), row-level triggers on SQLite.

Why it stays correct: every write of the two tables it is read from — a talent inserted, deleted, or changed
in district, employer, 任职确认, skill level or birth date; an origin inserted, deleted or changed — moves its
buckets in the writer's own transaction, whatever wrote it (services, the Excel import, the demo's COPY, a
migration); a talent's change of district moves its origin's buckets too. ``rebuild`` recounts from scratch
(the migration, ``rencai analytics_recount``) and the tests compare the kept rows with a recount after every
kind of write. Two writers touch buckets in key order (ORDER BY), so they never wait on each other crosswise.
"""

COUNTS = "analytics_districtcount"
TALENTS = "talents_talent"
ORIGINS = "analytics_origin"
KEY = "district_id, dimension, value"

# A dimension's value of one row ``{r}``; NULL: the row has no value in that dimension (not counted).
TALENT_DIMS = {
    "org": "CASE WHEN {r}.organization_id IS NULL OR {r}.employment_status = 'rejected' THEN '' "
           "ELSE CAST({r}.organization_id AS TEXT) END",
    "skill": "{r}.skill_level",
    "birth": {"postgresql": "to_char({r}.birth_date, 'YYYY-MM-DD')", "sqlite": "{r}.birth_date"},
}
ORIGIN_DIMS = {
    "kind": "{r}.kind",
    "channel": "{r}.channel",
    "province": "CASE WHEN {r}.kind <> 'overseas' THEN {r}.province_code END",
    "country": "CASE WHEN {r}.kind = 'overseas' THEN {r}.country END",
    "university": "CASE WHEN {r}.kind = 'overseas' THEN {r}.university END",
}
TALENT_COLUMNS = ("district_id", "organization_id", "employment_status", "skill_level", "birth_date")


def _expr(template, vendor: str, row: str) -> str:
    if isinstance(template, dict):
        template = template[vendor]
    return template.format(r=row)


def _talent_rows(vendor: str, source: str, sign: int, where: str = "") -> list[str]:
    """SELECTs of (district, dimension, value, sign) for the talent dimensions of ``source`` rows ``t``."""
    return [f"SELECT t.district_id AS district_id, '{dim}' AS dimension, {_expr(expr, vendor, 't')} AS value, "
            f"{sign} AS s FROM {source} {where}"
            for dim, expr in TALENT_DIMS.items()]


def _origin_rows(vendor: str, origins: str, talents: str, sign: int, where: str = "") -> list[str]:
    """The same for the origin dimensions of ``origins`` rows ``o`` counted in their talent ``t``'s district."""
    return [f"SELECT t.district_id AS district_id, '{dim}' AS dimension, {_expr(expr, vendor, 'o')} AS value, "
            f"{sign} AS s FROM {origins} JOIN {talents} ON t.id = o.talent_id {where}"
            for dim, expr in ORIGIN_DIMS.items()]


def _pg_upsert(selects: list[str]) -> str:
    delta = " UNION ALL ".join(selects)
    return (f"INSERT INTO {COUNTS} AS c ({KEY}, n) SELECT district_id, dimension, value, sum(s) "
            f"FROM ({delta}) AS delta WHERE value IS NOT NULL "
            f"GROUP BY 1, 2, 3 HAVING sum(s) <> 0 ORDER BY 1, 2, 3 "
            f"ON CONFLICT ({KEY}) DO UPDATE SET n = c.n + EXCLUDED.n")


def _pg_function(name: str, body: str) -> str:
    return (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"{body}; RETURN NULL; END $$")


_CHANGED = ("JOIN old_rows p USING (id) WHERE "
            + " OR ".join(f"t.{c} IS DISTINCT FROM p.{c}" for c in TALENT_COLUMNS))
_CHANGED_OLD = ("JOIN new_rows p USING (id) WHERE "
                + " OR ".join(f"t.{c} IS DISTINCT FROM p.{c}" for c in TALENT_COLUMNS))
_MOVED = "WHERE t.district_id IS DISTINCT FROM p.district_id"

POSTGRESQL_CREATE = [
    _pg_function("district_count_talent_inserted", _pg_upsert(_talent_rows("postgresql", "new_rows t", 1))),
    _pg_function("district_count_talent_deleted", _pg_upsert(_talent_rows("postgresql", "old_rows t", -1))),
    _pg_function("district_count_talent_updated", _pg_upsert(
        _talent_rows("postgresql", "new_rows t", 1, _CHANGED)
        + _talent_rows("postgresql", "old_rows t", -1, _CHANGED_OLD)
        # a talent who changed district takes their origin's buckets along
        + _origin_rows("postgresql", f"{ORIGINS} o", "(new_rows t JOIN old_rows p USING (id))", 1, _MOVED)
        + _origin_rows("postgresql", f"{ORIGINS} o", "(old_rows t JOIN new_rows p USING (id))", -1, _MOVED))),
    _pg_function("district_count_origin_inserted",
                 _pg_upsert(_origin_rows("postgresql", "new_rows o", f"{TALENTS} t", 1))),
    _pg_function("district_count_origin_deleted",
                 _pg_upsert(_origin_rows("postgresql", "old_rows o", f"{TALENTS} t", -1))),
    _pg_function("district_count_origin_updated",
                 _pg_upsert(_origin_rows("postgresql", "new_rows o", f"{TALENTS} t", 1)
                            + _origin_rows("postgresql", "old_rows o", f"{TALENTS} t", -1))),
    f"CREATE TRIGGER district_count_talent_insert AFTER INSERT ON {TALENTS} REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION district_count_talent_inserted()",
    f"CREATE TRIGGER district_count_talent_delete AFTER DELETE ON {TALENTS} REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION district_count_talent_deleted()",
    f"CREATE TRIGGER district_count_talent_update AFTER UPDATE ON {TALENTS} "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION district_count_talent_updated()",
    f"CREATE TRIGGER district_count_origin_insert AFTER INSERT ON {ORIGINS} REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION district_count_origin_inserted()",
    f"CREATE TRIGGER district_count_origin_delete AFTER DELETE ON {ORIGINS} REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION district_count_origin_deleted()",
    f"CREATE TRIGGER district_count_origin_update AFTER UPDATE ON {ORIGINS} "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION district_count_origin_updated()",
]
_PG_NAMES = [f"district_count_{table}_{event}" for table in ("talent", "origin")
             for event in ("insert", "delete", "update")]
POSTGRESQL_DROP = ([f"DROP TRIGGER IF EXISTS {name} ON {TALENTS if '_talent_' in name else ORIGINS}"
                    for name in _PG_NAMES]
                   + [f"DROP FUNCTION IF EXISTS {name.rsplit('_', 1)[0]}_{event}()"
                      for name, event in zip(_PG_NAMES, ["inserted", "deleted", "updated"] * 2, strict=True)])


# --- SQLite: one row at a time ----------------------------------------------------------------------------------

def _sqlite_plus(district: str, dim: str, value: str) -> str:
    return (f"INSERT INTO {COUNTS} ({KEY}, n) SELECT {district}, '{dim}', {value}, 1 "
            f"WHERE {value} IS NOT NULL AND {district} IS NOT NULL "
            f"ON CONFLICT ({KEY}) DO UPDATE SET n = n + 1;")


def _sqlite_minus(district: str, dim: str, value: str) -> str:
    """-1 only lowers an existing bucket (a test database's flush, DELETE FROM every table in any order, then
    leaves no negative bucket behind)."""
    return f"UPDATE {COUNTS} SET n = n - 1 WHERE district_id = {district} AND dimension = '{dim}' AND value = {value};"


def _sqlite_talent(row: str, delta: int) -> str:
    step = _sqlite_plus if delta > 0 else _sqlite_minus
    return " ".join(step(f"{row}.district_id", dim, _expr(expr, "sqlite", row)) for dim, expr in TALENT_DIMS.items())


def _sqlite_origin_of_talent(row: str, delta: int) -> str:
    step = _sqlite_plus if delta > 0 else _sqlite_minus
    return " ".join(step(f"{row}.district_id", dim,
                         f"(SELECT {_expr(expr, 'sqlite', 'o')} FROM {ORIGINS} o WHERE o.talent_id = {row}.id)")
                    for dim, expr in ORIGIN_DIMS.items())


def _sqlite_origin(row: str, delta: int) -> str:
    step = _sqlite_plus if delta > 0 else _sqlite_minus
    district = f"(SELECT district_id FROM {TALENTS} WHERE id = {row}.talent_id)"
    return " ".join(step(district, dim, _expr(expr, "sqlite", row)) for dim, expr in ORIGIN_DIMS.items())


_SQLITE_TALENT_CHANGED = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in TALENT_COLUMNS)
SQLITE_CREATE = [
    f"CREATE TRIGGER district_count_talent_insert AFTER INSERT ON {TALENTS} BEGIN {_sqlite_talent('NEW', 1)} END",
    f"CREATE TRIGGER district_count_talent_delete AFTER DELETE ON {TALENTS} BEGIN {_sqlite_talent('OLD', -1)} END",
    f"CREATE TRIGGER district_count_talent_update AFTER UPDATE OF {', '.join(TALENT_COLUMNS)} ON {TALENTS} "
    f"WHEN {_SQLITE_TALENT_CHANGED} BEGIN {_sqlite_talent('OLD', -1)} {_sqlite_talent('NEW', 1)} END",
    f"CREATE TRIGGER district_count_talent_move AFTER UPDATE OF district_id ON {TALENTS} "
    f"WHEN OLD.district_id IS NOT NEW.district_id "
    f"BEGIN {_sqlite_origin_of_talent('OLD', -1)} {_sqlite_origin_of_talent('NEW', 1)} END",
    f"CREATE TRIGGER district_count_origin_insert AFTER INSERT ON {ORIGINS} BEGIN {_sqlite_origin('NEW', 1)} END",
    f"CREATE TRIGGER district_count_origin_delete AFTER DELETE ON {ORIGINS} BEGIN {_sqlite_origin('OLD', -1)} END",
    f"CREATE TRIGGER district_count_origin_update AFTER UPDATE ON {ORIGINS} "
    f"BEGIN {_sqlite_origin('OLD', -1)} {_sqlite_origin('NEW', 1)} END",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS district_count_{name}" for name in
               ("talent_insert", "talent_delete", "talent_update", "talent_move", "origin_insert", "origin_delete",
                "origin_update")]


def rebuild_sql(vendor: str) -> list[str]:
    """Recount every bucket from the talents and their origins."""
    selects = (_talent_rows(vendor, f"{TALENTS} t", 1)
               + _origin_rows(vendor, f"{ORIGINS} o", f"{TALENTS} t", 1))
    return [f"DELETE FROM {COUNTS}",
            f"INSERT INTO {COUNTS} ({KEY}, n) SELECT district_id, dimension, value, count(*) "
            f"FROM ({' UNION ALL '.join(selects)}) AS counted "
            f"WHERE value IS NOT NULL GROUP BY 1, 2, 3"]


def rebuild(connection) -> None:
    with connection.cursor() as cursor:
        for statement in rebuild_sql(connection.vendor):
            cursor.execute(statement)


def install(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return
    for statement in rebuild_sql(vendor) + {"postgresql": POSTGRESQL_CREATE, "sqlite": SQLITE_CREATE}[vendor]:
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor) -> None:
    for statement in {"postgresql": POSTGRESQL_DROP,
                      "sqlite": SQLITE_DROP}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)
