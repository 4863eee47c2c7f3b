# ruff: noqa: S608  (SQL built from this module's constant table, column and dimension names; no user values)
"""The database's own upkeep of the kept district counts (models.DistrictCount), as talents.triggers keeps
TalentCount: statement-level triggers with transition tables on PostgreSQL (a COPY of 100,000 talents or an
INSERT … SELECT of their origins is one grouped upsert), row-level triggers on SQLite.

Why it stays correct: every write of the three tables it is read from — a talent inserted, deleted, or changed
in district, employer, 任职确认, skill level, birth date, graduation date or 留学回国; an origin inserted, deleted or
changed; a move inserted, deleted or changed — moves its buckets in the writer's own transaction, whatever wrote it
(services, the Excel import, the demo's COPY, a migration); a talent's change of district moves its origin's
buckets too, a change of 留学回国 its moves' ``returned`` buckets. ``rebuild`` recounts from scratch
(the migration, ``rencai analytics_recount``) and the tests compare the kept rows with a recount after every
kind of write. Two writers touch buckets in key order (ORDER BY), so they never wait on each other crosswise.
"""

COUNTS = "analytics_districtcount"
TALENTS = "talents_talent"
ORIGINS = "analytics_origin"
KEY = "district_id, dimension, value"

GRADUATED = "graduated"
# A dimension's value of one row ``{r}``; NULL: the row has no value in that dimension (not counted).
TALENT_DIMS = {
    "org": "CASE WHEN {r}.organization_id IS NULL OR {r}.employment_status = 'rejected' THEN '' "
           "ELSE CAST({r}.organization_id AS TEXT) END",
    "skill": "{r}.skill_level",
    "birth": {"postgresql": "to_char({r}.birth_date, 'YYYY-MM-DD')", "sqlite": "{r}.birth_date"},
    # 台账's 留住高校毕业生: the year the highest degree was awarded
    GRADUATED: {"postgresql": "to_char({r}.graduation_date, 'YYYY')", "sqlite": "strftime('%Y', {r}.graduation_date)"},
}
ORIGIN_DIMS = {
    "kind": "{r}.kind",
    "channel": "{r}.channel",
    "province": "CASE WHEN {r}.kind <> 'overseas' THEN {r}.province_code END",
    "country": "CASE WHEN {r}.kind = 'overseas' THEN {r}.country END",
    "university": "CASE WHEN {r}.kind = 'overseas' THEN {r}.university END",
}
TALENT_COLUMNS = ("district_id", "organization_id", "employment_status", "skill_level", "birth_date",
                  "graduation_date")
MOVES = "analytics_move"
# 台账's 引进留学回国人员: a returnee's move into a district from outside the registry, counted in the district
# moved into (the move's, not the talent's current one) under the move's year. It depends on a move's row and on
# its talent's ``returnee``, so the moves' triggers and the talents' (returnee changed, inserted, deleted) keep it.
RETURNED = "returned"
_YEAR_OF_MOVE = {"postgresql": "to_char(m.\"on\", 'YYYY')", "sqlite": "strftime('%Y', m.\"on\")"}


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


def _move_rows(vendor: str, moves: str, talents: str, sign: int, where: str = "") -> list[str]:
    """The ``returned`` bucket of ``moves`` rows ``m`` whose talent ``t`` is a returnee (driven by the moves: a
    hash join with the talents for a bulk load)."""
    return [f"SELECT m.to_district_id AS district_id, '{RETURNED}' AS dimension, {_YEAR_OF_MOVE[vendor]} AS value, "
            f"{sign} AS s FROM {moves} JOIN {talents} ON t.id = m.talent_id "
            f"WHERE m.from_district_id IS NULL AND m.to_district_id IS NOT NULL AND t.returnee {where}"]


def _moves_of_talents(talents: str, sign: int, where: str = "") -> list[str]:
    """The same driven by changed talents ``t`` (PostgreSQL): each one's moves found by the moves' talent index
    (LATERAL), never a join of the whole moves table with a transition table the planner cannot size (10,000
    talents' 留学回国 changed at once took ten minutes that way)."""
    return [f"SELECT m.to_district_id AS district_id, '{RETURNED}' AS dimension, {_YEAR_OF_MOVE['postgresql']} "
            f"AS value, {sign} AS s FROM {talents} CROSS JOIN LATERAL (SELECT x.to_district_id, x.\"on\" "
            f"FROM {MOVES} x WHERE x.talent_id = t.id AND x.from_district_id IS NULL "
            f"AND x.to_district_id IS NOT NULL) AS m WHERE t.returnee {where}"]


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
    # a talent's moves count only while both rows exist: whichever of the two is written first moves the bucket
    _pg_function("district_count_talent_inserted", _pg_upsert(
        _talent_rows("postgresql", "new_rows t", 1) + _moves_of_talents("new_rows t", 1))),
    _pg_function("district_count_talent_deleted", _pg_upsert(
        _talent_rows("postgresql", "old_rows t", -1) + _moves_of_talents("old_rows t", -1))),
    _pg_function("district_count_talent_updated", _pg_upsert(
        _talent_rows("postgresql", "new_rows t", 1, _CHANGED)
        + _talent_rows("postgresql", "old_rows t", -1, _CHANGED_OLD)
        # a talent who changed district takes their origin's buckets along
        + _origin_rows("postgresql", f"{ORIGINS} o", "(new_rows t JOIN old_rows p USING (id))", 1, _MOVED)
        + _origin_rows("postgresql", f"{ORIGINS} o", "(old_rows t JOIN new_rows p USING (id))", -1, _MOVED)
        # a talent marked a returnee (or no longer) takes their moves along: the returnees' moves after, less
        # those before (an unchanged returnee's cancel out in the sum), so that no join of the two transition
        # tables is planned (one took minutes for 10,000 talents)
        + _moves_of_talents("new_rows t", 1) + _moves_of_talents("old_rows t", -1))),
    _pg_function("district_count_origin_inserted",
                 _pg_upsert(_origin_rows("postgresql", "new_rows o", f"{TALENTS} t", 1))),
    _pg_function("district_count_origin_deleted",
                 _pg_upsert(_origin_rows("postgresql", "old_rows o", f"{TALENTS} t", -1))),
    _pg_function("district_count_origin_updated",
                 _pg_upsert(_origin_rows("postgresql", "new_rows o", f"{TALENTS} t", 1)
                            + _origin_rows("postgresql", "old_rows o", f"{TALENTS} t", -1))),
    _pg_function("district_count_move_inserted", _pg_upsert(_move_rows("postgresql", "new_rows m", f"{TALENTS} t", 1))),
    _pg_function("district_count_move_deleted", _pg_upsert(_move_rows("postgresql", "old_rows m", f"{TALENTS} t", -1))),
    _pg_function("district_count_move_updated", _pg_upsert(_move_rows("postgresql", "new_rows m", f"{TALENTS} t", 1)
                                                           + _move_rows("postgresql", "old_rows m", f"{TALENTS} t",
                                                                        -1))),
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
    f"CREATE TRIGGER district_count_move_insert AFTER INSERT ON {MOVES} REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION district_count_move_inserted()",
    f"CREATE TRIGGER district_count_move_delete AFTER DELETE ON {MOVES} REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION district_count_move_deleted()",
    f"CREATE TRIGGER district_count_move_update AFTER UPDATE ON {MOVES} "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION district_count_move_updated()",
]
_PG_TABLES = {"talent": TALENTS, "origin": ORIGINS, "move": MOVES}
_PG_NAMES = [(f"district_count_{table}_{event}", _PG_TABLES[table], f"district_count_{table}_{done}")
             for table in _PG_TABLES
             for event, done in (("insert", "inserted"), ("delete", "deleted"), ("update", "updated"))]
POSTGRESQL_DROP = ([f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table, _ in _PG_NAMES]
                   + [f"DROP FUNCTION IF EXISTS {function}()" for _, _, function in _PG_NAMES])


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


def _sqlite_moves_of_talent(row: str, delta: int) -> str:
    """The ``returned`` buckets of talent ``row``'s moves, when the talent is a returnee."""
    moves = (f"FROM {MOVES} m WHERE m.talent_id = {row}.id AND {row}.returnee AND m.from_district_id IS NULL "
             f"AND m.to_district_id IS NOT NULL")
    year = _YEAR_OF_MOVE["sqlite"]
    if delta > 0:
        return (f"INSERT INTO {COUNTS} ({KEY}, n) SELECT m.to_district_id, '{RETURNED}', {year}, count(*) {moves} "
                f"GROUP BY m.to_district_id, {year} ON CONFLICT ({KEY}) DO UPDATE SET n = n + excluded.n;")
    # (a trigger's UPDATE takes no alias: the bucket's columns are named by the table's name)
    return (f"UPDATE {COUNTS} SET n = n - (SELECT count(*) {moves} AND m.to_district_id = {COUNTS}.district_id "
            f"AND {year} = {COUNTS}.value) WHERE dimension = '{RETURNED}' "
            f"AND (district_id, value) IN (SELECT m.to_district_id, {year} {moves});")


def _sqlite_move(row: str, delta: int) -> str:
    """The ``returned`` bucket of move ``row``, when it comes from outside and its talent is a returnee."""
    step = _sqlite_plus if delta > 0 else _sqlite_minus
    district = (f"(SELECT {row}.to_district_id WHERE {row}.from_district_id IS NULL "
                f"AND (SELECT returnee FROM {TALENTS} WHERE id = {row}.talent_id))")
    return step(district, RETURNED, f"strftime('%Y', {row}.\"on\")")


_SQLITE_TALENT_CHANGED = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in TALENT_COLUMNS)
SQLITE_CREATE = [
    f"CREATE TRIGGER district_count_talent_insert AFTER INSERT ON {TALENTS} "
    f"BEGIN {_sqlite_talent('NEW', 1)} {_sqlite_moves_of_talent('NEW', 1)} END",
    f"CREATE TRIGGER district_count_talent_delete AFTER DELETE ON {TALENTS} "
    f"BEGIN {_sqlite_talent('OLD', -1)} {_sqlite_moves_of_talent('OLD', -1)} END",
    f"CREATE TRIGGER district_count_talent_returnee AFTER UPDATE OF returnee ON {TALENTS} "
    f"WHEN OLD.returnee IS NOT NEW.returnee "
    f"BEGIN {_sqlite_moves_of_talent('OLD', -1)} {_sqlite_moves_of_talent('NEW', 1)} END",
    f"CREATE TRIGGER district_count_talent_update AFTER UPDATE OF {', '.join(TALENT_COLUMNS)} ON {TALENTS} "
    f"WHEN {_SQLITE_TALENT_CHANGED} BEGIN {_sqlite_talent('OLD', -1)} {_sqlite_talent('NEW', 1)} END",
    f"CREATE TRIGGER district_count_talent_move AFTER UPDATE OF district_id ON {TALENTS} "
    f"WHEN OLD.district_id IS NOT NEW.district_id "
    f"BEGIN {_sqlite_origin_of_talent('OLD', -1)} {_sqlite_origin_of_talent('NEW', 1)} END",
    f"CREATE TRIGGER district_count_origin_insert AFTER INSERT ON {ORIGINS} BEGIN {_sqlite_origin('NEW', 1)} END",
    f"CREATE TRIGGER district_count_origin_delete AFTER DELETE ON {ORIGINS} BEGIN {_sqlite_origin('OLD', -1)} END",
    f"CREATE TRIGGER district_count_origin_update AFTER UPDATE ON {ORIGINS} "
    f"BEGIN {_sqlite_origin('OLD', -1)} {_sqlite_origin('NEW', 1)} END",
    f"CREATE TRIGGER district_count_move_insert AFTER INSERT ON {MOVES} BEGIN {_sqlite_move('NEW', 1)} END",
    f"CREATE TRIGGER district_count_move_delete AFTER DELETE ON {MOVES} BEGIN {_sqlite_move('OLD', -1)} END",
    f"CREATE TRIGGER district_count_move_update AFTER UPDATE ON {MOVES} "
    f"BEGIN {_sqlite_move('OLD', -1)} {_sqlite_move('NEW', 1)} END",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS district_count_{name}" for name in
               ("talent_insert", "talent_delete", "talent_update", "talent_move", "talent_returnee", "origin_insert",
                "origin_delete", "origin_update", "move_insert", "move_delete", "move_update")]


def rebuild_sql(vendor: str) -> list[str]:
    """Recount every bucket from the talents and their origins."""
    selects = (_talent_rows(vendor, f"{TALENTS} t", 1)
               + _origin_rows(vendor, f"{ORIGINS} o", f"{TALENTS} t", 1)
               + _move_rows(vendor, f"{MOVES} m", f"{TALENTS} t", 1))
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


def reinstall(apps, schema_editor) -> None:
    """Triggers replaced by this module's current ones and every bucket recounted (a migration adding a
    dimension)."""
    uninstall(apps, schema_editor)
    install(apps, schema_editor)


def uninstall(apps, schema_editor) -> None:
    for statement in {"postgresql": POSTGRESQL_DROP,
                      "sqlite": SQLITE_DROP}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)
