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
