"""The database's own guard of the audit log: UPDATE and DELETE on it are rejected, per vendor."""

TABLE = "audit_auditevent"
MESSAGE = "audit log is append-only"

SQLITE_CREATE = [
    f"CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_event_no_update", "DROP TRIGGER IF EXISTS audit_event_no_delete"]

POSTGRESQL_CREATE = [
    "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$",
    f"DROP TRIGGER IF EXISTS audit_event_no_change ON {TABLE}",
    f"CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
]
POSTGRESQL_DROP = [f"DROP TRIGGER IF EXISTS audit_event_no_change ON {TABLE}",
                   "DROP FUNCTION IF EXISTS audit_event_append_only()"]

CREATE = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}
DROP = {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}


def install(apps, schema_editor) -> None:
    for statement in CREATE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor) -> None:
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)
