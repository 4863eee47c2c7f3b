"""Taking turns inside a transaction, for writes that read before they insert (the next number of a series)."""

from django.db import connection


def turn_for(name: str) -> None:
    """Wait until no other transaction holds ``name``, and hold it until this one ends (commit or rollback).

    Call it first thing inside ``transaction.atomic()``. On PostgreSQL it is a transaction advisory lock keyed by
    the name's hash; SQLite needs none: every transaction there begins IMMEDIATE (settings), so writers already
    take turns before their first read."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])
