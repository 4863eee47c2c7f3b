"""The one place the platform writes spreadsheets (.xlsx and .csv), and the download response.

Every text cell that a spreadsheet program could read as a formula — one beginning with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return — is written with a leading ``'`` (OWASP, "CSV Injection"), so that a talent
registered as ``=HYPERLINK(…)`` is shown as that text and never runs. Numbers, negative ones included, stay
numbers. No other module builds a workbook or a CSV writer (a test checks), so a later export cannot forget.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")


def safe_cell(value):
    """A cell value that no spreadsheet program evaluates: text that could start a formula gets a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(v) for v in values]


@dataclass
class Sheet:
    """One worksheet: its title, the header row and the data rows (any iterable, read once)."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence] = ()
    column_width: int | None = None  # styled header and fixed column widths (small sheets only)


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A workbook of the given sheets, every cell neutralised. Sheets without styling are written in
    write-only mode (memory stays flat for 200,000 rows)."""
    sheets = list(sheets)
    styled = any(s.column_width for s in sheets)
    wb = Workbook(write_only=not styled)
    if styled:
        wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title[:31])
        ws.append(safe_row(sheet.header))
        for row in sheet.rows:
            ws.append(safe_row(row))
        if styled and sheet.column_width:
            for cell in ws[1]:
                cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
            for column in ws.columns:
                ws.column_dimensions[column[0].column_letter].width = sheet.column_width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a byte-order mark (so that Excel reads the Chinese), every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))
    return ("\ufeff" + buffer.getvalue()).encode()


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A download named in Chinese (RFC 5987 encoding, understood by every current browser)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return _download(content, filename, XLSX_CONTENT_TYPE)


def csv_response(content: bytes, filename: str) -> HttpResponse:
    return _download(content, filename, CSV_CONTENT_TYPE)
