"""PostgreSQL's bulk path: a Polars frame written with one COPY … FROM STDIN (psycopg 3's cursor.copy).

The frame travels in COPY's text format (tab-separated, ``\\N`` for null), escaped here so that a backslash,
tab or line break inside a value is data, not a separator. This is the database's wire format, never a file
for people: spreadsheets and CSV downloads go through ``core.excel``.
"""

import polars as pl


def copy_frame(cursor, table: str, frame: pl.DataFrame) -> None:
    """Write every row of ``frame`` into ``table`` (columns named as the frame's) in one COPY. ``cursor`` is a
    Django cursor on a PostgreSQL connection."""
    escaped = frame.with_columns(pl.col(pl.String).str.replace_all("\\", "\\\\", literal=True)
                                 .str.replace_all("\t", "\\t", literal=True)
                                 .str.replace_all("\n", "\\n", literal=True)
                                 .str.replace_all("\r", "\\r", literal=True))
    text = escaped.write_csv(separator="\t", include_header=False, null_value="\\N", quote_style="never")
    with cursor.cursor.copy(f"COPY {table} ({', '.join(frame.columns)}) FROM STDIN") as copy:
        copy.write(text.encode())


def read_frame(cursor, sql: str, params, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """The rows of a SELECT (``sql`` with %s placeholders) as a Polars frame of ``schema`` (names and types
    in the SELECT's column order), read with one COPY … TO STDOUT: no Python object per row. Text columns keep
    the empty string apart from null (COPY's CSV quotes the one and not the other)."""
    chunks = []
    with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params) as copy:
        for data in copy:
            chunks.append(bytes(data))
    if not chunks:
        return pl.DataFrame(schema=schema)
    return pl.read_csv(b"".join(chunks), has_header=False, new_columns=list(schema), schema=schema)
