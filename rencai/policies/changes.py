# ruff: noqa: S608  (SQL built from this module's constant table and column names; no values)
"""What tells 政策找人 that a talent's inputs changed since its last run (the incremental run's "what changed").

A talent's row in the registry is the one mark: its ``updated_at``. Django sets it on every save of the talent
(services, the Excel import's bulk insert, staff and self edits), and the demo's COPY writes it. The talent's
other inputs live in other tables — recognitions (the category valid on a day), active entitlements and
approved 政策兑现 applications (``received``) — so the database itself moves the talent's ``updated_at`` forward
whenever a row of those tables is inserted, updated or deleted, whatever wrote it (a service, `rencai pay`'s
set-based UPDATE, a migration, the admin site): statement-level triggers with transition tables on PostgreSQL
(one UPDATE per statement, however many rows), row-level triggers on SQLite.

An incremental run re-evaluates the talents whose ``updated_at`` is at or after the previous run's watermark
(``watermark``): on PostgreSQL the start of the oldest transaction still open when that run began to read (a
transaction that began before the read and committed after it is caught; nothing older is read again), less a
few seconds for clocks; on SQLite, which cannot list open transactions, the run's start less ``MARGIN``.
The other inputs of a result — the catalog and the evaluation day — are checked by the run itself
(``matching.match_run``): a changed catalog or another day is a full run.
"""

import datetime as dt

TALENTS = "talents_talent"
SOURCES = ("recognition_recognition", "payments_entitlement", "fulfilment_application")
MARGIN = dt.timedelta(minutes=10)  # SQLite
SKEW = dt.timedelta(seconds=5)  # PostgreSQL: the application's clock (Django's auto_now) against the database's

_TOUCH = (f"UPDATE {TALENTS} t SET updated_at = clock_timestamp() FROM ({{ids}}) AS c(id) "
          "WHERE t.id = c.id AND t.updated_at < clock_timestamp()")

POSTGRESQL_CREATE = [
    "CREATE OR REPLACE FUNCTION match_input_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    + _TOUCH.format(ids="SELECT DISTINCT talent_id FROM new_rows") + "; RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION match_input_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    + _TOUCH.format(ids="SELECT DISTINCT talent_id FROM old_rows") + "; RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION match_input_updated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    + _TOUCH.format(ids="SELECT talent_id FROM new_rows UNION SELECT talent_id FROM old_rows")
    + "; RETURN NULL; END $$",
]
for _table in SOURCES:
    POSTGRESQL_CREATE += [
        f"CREATE TRIGGER match_input_insert AFTER INSERT ON {_table} REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION match_input_inserted()",
        f"CREATE TRIGGER match_input_delete AFTER DELETE ON {_table} REFERENCING OLD TABLE AS old_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION match_input_deleted()",
        f"CREATE TRIGGER match_input_update AFTER UPDATE ON {_table} "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION match_input_updated()",
    ]
POSTGRESQL_DROP = [f"DROP TRIGGER IF EXISTS match_input_{event} ON {table}"
                   for table in SOURCES for event in ("insert", "delete", "update")] + [
    f"DROP FUNCTION IF EXISTS match_input_{verb}()" for verb in ("inserted", "deleted", "updated")]

# Django keeps SQLite datetimes as UTC text 'YYYY-MM-DD HH:MM:SS.ffffff'.
_SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f000', 'now')"


def _sqlite_touch(row: str) -> str:
    return f"UPDATE {TALENTS} SET updated_at = {_SQLITE_NOW} WHERE id = {row}.talent_id;"


SQLITE_CREATE = []
for _table in SOURCES:
    SQLITE_CREATE += [
        f"CREATE TRIGGER match_input_insert_{_table} AFTER INSERT ON {_table} BEGIN {_sqlite_touch('NEW')} END",
        f"CREATE TRIGGER match_input_delete_{_table} AFTER DELETE ON {_table} BEGIN {_sqlite_touch('OLD')} END",
        f"CREATE TRIGGER match_input_update_{_table} AFTER UPDATE ON {_table} BEGIN {_sqlite_touch('OLD')} "
        f"{_sqlite_touch('NEW')} END",
    ]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS match_input_{event}_{table}"
               for table in SOURCES for event in ("insert", "delete", "update")]


def install(apps, schema_editor) -> None:
    for statement in {"postgresql": POSTGRESQL_CREATE, "sqlite": SQLITE_CREATE}.get(
            schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor) -> None:
    for statement in {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}.get(
            schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def watermark(started_at: dt.datetime) -> dt.datetime:
    """The moment from which changes must be read again by the next run, taken just before this run reads."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return started_at - MARGIN
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(xact_start) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND xact_start IS NOT NULL AND pid <> pg_backend_pid()")
        oldest = cursor.fetchone()[0]
    return min(started_at, oldest or started_at) - SKEW
