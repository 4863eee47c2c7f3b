"""Test support only. Django's transactional tests empty every table after each test (``flush``): on
PostgreSQL with TRUNCATE, which row triggers do not see; on SQLite with DELETE, which the audit log's trigger
rejects. For SQLite the flush drops the guard, empties the tables and puts the guard back, in one transaction.
Never imported by the application."""

from .triggers import SQLITE_CREATE, SQLITE_DROP, TABLE


def allow_test_flush_of_audit_log() -> None:
    from django.db.backends.sqlite3.base import DatabaseWrapper

    DatabaseOperations = DatabaseWrapper.ops_class
    if getattr(DatabaseOperations.sql_flush, "_rencai_audit", False):
        return
    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if TABLE not in tables:
            return statements
        return [*SQLITE_DROP, *statements, *SQLITE_CREATE]

    sql_flush._rencai_audit = True
    DatabaseOperations.sql_flush = sql_flush
