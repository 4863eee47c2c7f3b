"""Test support only: a cheaper flush between PostgreSQL's transactional tests. Never imported by the application.

Django empties every table after a transactional test with one ``TRUNCATE`` of all of them. On PostgreSQL that gives
each table (and each of its indexes) a new file, and with ``fsync`` on (the server's default) it cost 3–5 s per test
on this machine under load — about half the suite's PostgreSQL time. The tables of a test are nearly empty, so
``DELETE FROM`` each is a few milliseconds; done as the superuser with ``session_replication_role = replica`` for the
transaction, it fires no trigger and checks no foreign key, exactly as ``TRUNCATE`` (row triggers do not see a
``TRUNCATE`` either: the audit log's refusal, the registry's kept counts). For another role, or to reset sequences,
Django's own statements stand."""

from __future__ import annotations


def delete_instead_of_truncate_on_postgresql() -> None:
    from django.db.backends.postgresql.base import DatabaseWrapper

    operations = DatabaseWrapper.ops_class
    if getattr(operations.sql_flush, "_rencai_delete", False):
        return
    truncate = operations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or not _superuser(self.connection):
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        # SET LOCAL: the flush runs in one transaction (execute_sql_flush), and the role ends with it.
        # The names are the models' own tables, quoted.
        return ["SET LOCAL session_replication_role = replica;",
                *(f"DELETE FROM {self.quote_name(table)};" for table in tables)]  # noqa: S608

    sql_flush._rencai_delete = True
    operations.sql_flush = sql_flush


def _superuser(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])
