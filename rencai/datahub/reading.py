"""A feed's file (Excel .xlsx, CSV) or push (JSON rows) → the header check → a Polars frame of text.

The header is checked first and alone (``columns_map``): a missing required column, an unknown column or one given
twice refuses the whole delivery, before anything is stored or written. Every cell is read as text (an Excel date
as ``YYYY-MM-DD``, a whole number without ``.0``); rows are numbered as a spreadsheet shows them (the header is row
1), and rows with every cell blank are skipped.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import polars as pl

from rencai.core.errors import AppError
from rencai.core.uploads import csv_frame, csv_header, text_decode, xlsx_rows

FIELD, LABEL = "file", "数据文件"
FORMATS = (".xlsx", ".csv")
MAX_ROWS = 2_000_000
MAX_PUSH_ROWS = 50_000


def _cell(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def columns_map(feed, headers: list[str]) -> dict[int, str]:
    """{position in the file: column key} for a feed's delivery; refuses it (400, in Chinese, naming the columns)
    when a required column is missing, a column is unknown or a column comes twice."""
    accepted: dict[str, str] = {}
    for column in feed.spec.columns:
        for word in (feed.header_of(column.key), column.label, *column.aliases):
            accepted.setdefault(word.strip(), column.key)
    found: dict[int, str] = {}
    unknown, twice = [], []
    for index, header in enumerate(headers):
        header = (header or "").strip()
        if not header:
            continue
        key = accepted.get(header)
        if key is None:
            unknown.append(header)
        elif key in found.values():
            twice.append(header)
        else:
            found[index] = key
    missing = [feed.header_of(c.key) for c in feed.spec.columns
               if c.required and c.default is None and c.key not in found.values()]
    problems = []
    if missing:
        problems.append(f"缺少必填列：{'、'.join(missing)}")
    if unknown:
        problems.append(f"未知列：{'、'.join(unknown[:10])}{'等' if len(unknown) > 10 else ''}")
    if twice:
        problems.append(f"重复的列：{'、'.join(twice)}")
    if problems:
        expected = "、".join(feed.header_of(c.key) for c in feed.spec.columns)
        raise AppError(f"{LABEL}的列与数据源“{feed.name}”的格式不符（{'；'.join(problems)}）。应有的列：{expected}",
                       code="bad_columns", status=400)
    return found


def headers_of(raw: bytes, fmt: str) -> list[str]:
    """The header row of a delivery, read alone (the check before anything is written)."""
    if fmt == ".csv":
        return csv_header(text_decode(raw, field=FIELD, label=LABEL), field=FIELD, label=LABEL)
    if fmt == ".xlsx":
        rows = xlsx_rows(io.BytesIO(raw), label=LABEL)
        first = next(rows, None)
        rows.close()
        return [_cell(v) or "" for v in first or ()]
    return list(_push_rows(raw)[0])


def _push_rows(raw: bytes) -> tuple[dict[str, None], list[dict]]:
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise AppError("推送内容不是有效的JSON", code="bad_json", status=400) from exc
    rows = body.get("rows") if isinstance(body, dict) else None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise AppError("推送内容应为 {\"rows\": [{列名: 值, …}, …]}", code="bad_json", status=400)
    if len(rows) > MAX_PUSH_ROWS:
        raise AppError(f"一次推送最多{MAX_PUSH_ROWS}行，请分批推送或上传文件", code="too_many_rows", status=400)
    headers: dict[str, None] = {}
    for row in rows:
        for key in row:
            headers.setdefault(str(key), None)
    return headers, rows


def _frame(columns: dict[int, str], records) -> pl.DataFrame:
    data: dict[str, list] = {"_row": []} | {key: [] for key in columns.values()}
    for number, values in records:
        cells = {key: _cell(values[i]) if i < len(values) else None for i, key in columns.items()}
        if all(v is None or not str(v).strip() for v in cells.values()):
            continue
        data["_row"].append(number)
        for key, value in cells.items():
            data[key].append(value)
        if len(data["_row"]) > MAX_ROWS:
            raise AppError(f"{LABEL}超过{MAX_ROWS}行的上限，请拆分后装载", code="too_many_rows", status=400)
    return pl.DataFrame(data, schema={"_row": pl.Int64} | {k: pl.String for k in columns.values()})


def delivery_frame(raw: bytes, fmt: str, feed) -> pl.DataFrame:
    """Every data row of a delivery as text, under the feed's column keys, with its row number (``_row``)."""
    if fmt == ".csv":
        text = text_decode(raw, field=FIELD, label=LABEL)
        columns = columns_map(feed, csv_header(text, field=FIELD, label=LABEL))
        frame = csv_frame(text, field=FIELD, label=LABEL)
        if frame.width == 0:
            return _frame(columns, [])
        if frame.height > MAX_ROWS:
            raise AppError(f"{LABEL}超过{MAX_ROWS}行的上限，请拆分后装载", code="too_many_rows", status=400)
        keys = {f"c{i}": key for i, key in columns.items()}
        frame = (frame.with_row_index("_row", offset=2).with_columns(pl.col("_row").cast(pl.Int64))
                 .select("_row", *[pl.col(c).alias(k) for c, k in keys.items()]))
        texts = [k for k in keys.values()]
        return frame.filter(pl.any_horizontal(pl.col(k).str.strip_chars().str.len_chars() > 0 for k in texts))
    if fmt == ".xlsx":
        rows = xlsx_rows(io.BytesIO(raw), label=LABEL)
        header = next(rows, None)
        columns = columns_map(feed, [_cell(v) or "" for v in header or ()])
        return _frame(columns, enumerate(rows, start=2))
    headers, records = _push_rows(raw)
    columns = columns_map(feed, list(headers))
    order = list(headers)
    return _frame(columns, ((n, [r.get(h) for h in order]) for n, r in enumerate(records, start=1)))
