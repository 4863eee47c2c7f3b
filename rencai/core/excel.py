"""The one place the platform writes spreadsheets (.xlsx and .csv), and the download response.

Every text cell that a spreadsheet program could read as a formula — one beginning with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return — is written with a leading ``'`` (OWASP, "CSV Injection"), so that a talent
registered as ``=HYPERLINK(…)`` is shown as that text and never runs. Numbers, negative ones included, stay
numbers. No other module builds a workbook or a CSV writer (a test checks), so a later export cannot forget.
"""

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.http import HttpResponse, StreamingHttpResponse
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


class _Sink:
    """Where the streamed workbook's zip is written: the bytes written since the last ``take``."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_STREAM_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "{sheets}</Types>"),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets>'
        "</workbook>"),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{sheets}'
        '<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'styles" Target="styles.xml"/></Relationships>'),
    # Style 1: a date (yyyy-mm-dd); style 2: bold header.
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"),
}


def _cell_xml(value, style: str = "") -> str:
    value = safe_cell(value)
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f"<c><v>{value}</v></c>"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f'<c s="1"><v>{(value - _EXCEL_EPOCH).days}</v></c>'
    text = escape(_XML_ILLEGAL.sub("", str(value)))
    return f'<c t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>'


def _row_xml(values: Iterable, style: str = "") -> str:
    return "<row>" + "".join(_cell_xml(v, style) for v in values) + "</row>"


def xlsx_stream(sheets: Sequence[Sheet], *, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """The workbook as a stream of bytes, every cell neutralised as in ``xlsx_bytes``: the zip's first parts
    go out before the first row is read (the first byte at once), then the rows in chunks (memory flat,
    whatever the number of rows: each chunk is compressed and sent). For exports of any size."""
    sink = _Sink()
    names = [f"sheet{i}" for i in range(1, len(sheets) + 1)]
    parts = {
        "sheets_types": "".join(f'<Override PartName="/xl/worksheets/{n}.xml" ContentType="application/'
                                'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for n in names),
        "sheets_workbook": "".join(f'<sheet name="{escape(s.title[:31], {chr(34): "&quot;"})}" '
                                   f'sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(sheets, 1)),
        "sheets_rels": "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/'
                               f'officeDocument/2006/relationships/worksheet" Target="worksheets/{n}.xml"/>'
                               for i, n in enumerate(names, 1)),
    }
    fill = {"[Content_Types].xml": parts["sheets_types"], "xl/workbook.xml": parts["sheets_workbook"],
            "xl/_rels/workbook.xml.rels": parts["sheets_rels"]}
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in _STREAM_PARTS.items():
            archive.writestr(name, text.replace("{sheets}", fill.get(name, "")))
        yield sink.take()
        for name, sheet in zip(names, sheets, strict=True):
            with archive.open(f"xl/worksheets/{name}.xml", "w") as part:
                part.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                           b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                           b"<sheetData>")
                part.write(_row_xml(sheet.header, ' s="2"').encode())
                chunk: list[str] = []
                for row in sheet.rows:
                    chunk.append(_row_xml(row))
                    if len(chunk) >= rows_per_chunk:
                        part.write("".join(chunk).encode())
                        chunk.clear()
                        data = sink.take()
                        if data:
                            yield data
                part.write(("".join(chunk) + "</sheetData></worksheet>").encode())
            yield sink.take()
    yield sink.take()


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


def xlsx_streaming_response(sheets: Sequence[Sheet], filename: str) -> StreamingHttpResponse:
    """A workbook sent as it is written (``xlsx_stream``): exports of thousands to a million rows."""
    response = StreamingHttpResponse(xlsx_stream(sheets), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def csv_response(content: bytes, filename: str) -> HttpResponse:
    return _download(content, filename, CSV_CONTENT_TYPE)
