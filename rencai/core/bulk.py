"""PostgreSQL's bulk path: a Polars frame written with one COPY … FROM STDIN (psycopg 3's cursor.copy).

The frame travels in COPY's text format (tab-separated, ``\\N`` for null), escaped here so that a backslash,
tab or line break inside a value is data, not a separator. This is the database's wire format, never a file
for people: spreadsheets and CSV downloads go through ``core.excel``.
"""

import json
from contextlib import contextmanager

import polars as pl


def copy_frame(cursor, table: str, frame: pl.DataFrame) -> None:
    """Write every row of ``frame`` into ``table`` (columns named as the frame's) in one COPY. ``cursor`` is a
    Django cursor on a PostgreSQL connection."""
    escaped = frame.with_columns(pl.col(pl.String).str.replace_all("\\", "\\\\", literal=True)
                                 .str.replace_all("\t", "\\t", literal=True)
                                 .str.replace_all("\n", "\\n", literal=True)
                                 .str.replace_all("\r", "\\r", literal=True))
    text = escaped.write_csv(separator="\t", include_header=False, null_value="\\N", quote_style="never")
    columns = ", ".join(f'"{c}"' for c in frame.columns)  # quoted: a column may be a reserved word ("on")
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        copy.write(text.encode())


def read_frame(cursor, sql: str, params, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """The rows of a SELECT (``sql`` with %s placeholders) as a Polars frame of ``schema`` (names and types
    in the SELECT's column order), read with one COPY … TO STDOUT: no Python object per row. Text columns keep
    the empty string apart from null (COPY's CSV quotes the one and not the other)."""
    data = bytearray()
    with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params) as copy:
        while block := copy.read():  # a row at a time; appended in place (no object per row kept)
            data += block
    if not data:
        return pl.DataFrame(schema=schema)
    return pl.read_csv(bytes(data), has_header=False, new_columns=list(schema), schema=schema)


IDS_PER_QUERY = 900  # an IN list's ids, leaving room under SQLite's old limit of 999 parameters for the query's own


def values_of_ids(queryset, field: str, ids: list, names) -> list[tuple]:
    """``queryset.values_list(*names)`` of the rows whose ``field`` is one of ``ids``, asked IDS_PER_QUERY ids at a
    time: the path of a database without arrays (on PostgreSQL one ``= ANY(%s)`` read by ``read_frame``)."""
    rows: list[tuple] = []
    for start in range(0, len(ids), IDS_PER_QUERY):
        rows += queryset.filter(**{f"{field}__in": ids[start:start + IDS_PER_QUERY]}).values_list(*names)
    return rows


def reserve_ids(cursor, table: str, count: int) -> pl.Series:
    """``count`` ids drawn from ``table``'s own sequence (what the rows would get from INSERT), for rows written
    by COPY whose ids other rows refer to."""
    cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
    return pl.Series("id", [row[0] for row in cursor.fetchall()], dtype=pl.Int64)


def insert_objects(model, objects: list) -> None:
    """``bulk_create`` for many unsaved model objects, by COPY on PostgreSQL: ids reserved from the sequence
    and set on the objects, ``auto_now``/``auto_now_add`` fields set to now. Elsewhere it is ``bulk_create``."""
    from django.db import connection
    from django.utils import timezone

    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=5000)
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objects:
                setattr(obj, field.attname, now)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        ids = reserve_ids(cursor, table, len(objects))
        for obj, pk in zip(objects, ids.to_list(), strict=True):
            obj.pk = pk
        columns = {"id": ids}
        for field in fields:
            values = [getattr(obj, field.attname) for obj in objects]
            if field.get_internal_type() == "JSONField":
                values = [None if v is None else json.dumps(v, ensure_ascii=False) for v in values]
            elif values and isinstance(values[0], str):
                values = [None if v is None else str(v) for v in values]  # TextChoices members as plain text
            columns[field.column] = pl.Series(values, strict=False)
        copy_frame(cursor, table, pl.DataFrame(columns))


@contextmanager
def indexes_deferred(tables: list[str]):
    """PostgreSQL, a large load into empty tables: the tables' secondary indexes, unique and foreign-key
    constraints are dropped before the COPY and made again once after it (one sort or one join each, instead of
    an index insertion and a deferred trigger's look-up per row and constraint). Inside a transaction this
    holds the tables' exclusive lock until it ends."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
                          FROM pg_constraint c WHERE c.conrelid::regclass::text = ANY(%s) AND c.contype IN ('f', 'u')
                          ORDER BY c.contype DESC""", [tables])  # unique before foreign keys on the way back
        constraints = cursor.fetchall()
        cursor.execute("""SELECT i.indexname, i.indexdef FROM pg_indexes i
                          WHERE i.tablename = ANY(%s) AND NOT EXISTS (
                            SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""", [tables])
        indexes = cursor.fetchall()
        for table, name, _ in reversed(constraints):
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in constraints:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            cursor.execute("RESET maintenance_work_mem")
