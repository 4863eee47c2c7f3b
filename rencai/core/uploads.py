"""Uploads: the size and type check every upload passes, and the one guarded reader of untrusted workbooks."""

import csv
import io
import logging
import zipfile
import zlib
from collections.abc import Iterator
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .errors import AppError, FieldError, ValidationFailed

logger = logging.getLogger("rencai.uploads")
UNPACK_FACTOR = 20  # an .xlsx unpacks to a few times its size; a zip bomb to thousands of times

# Everything a damaged or hostile .xlsx makes openpyxl raise, while opening it or while reading its rows: not
# a zip or a damaged one (BadZipFile, zlib.error, EOFError), XML that is truncated or not XML (ParseError),
# entities and external references (defusedxml's refusals; openpyxl parses with defusedxml when it is
# installed, and it is a dependency), and parts that are missing or of the wrong shape (KeyError, ValueError,
# TypeError, ...). Each is the file's fault, so each is a 400, never a 500.
PARSER_FAILURES = (
    InvalidFileException, zipfile.BadZipFile, zlib.error, EOFError, ParseError, DefusedXmlException,
    KeyError, IndexError, ValueError, TypeError, AttributeError, OSError, SyntaxError, RecursionError,
)


def check_upload(upload, *, field: str, label: str, extensions: tuple[str, ...]) -> None:
    """Refuse a missing, oversized or wrongly typed upload with a message naming the field."""
    if upload is None:
        raise AppError(f"{label}：请选择要上传的文件", code="missing_file", status=400)
    limit = settings.RENCAI_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise AppError(
            f"{label}：文件大小{upload.size / 1048576:.1f}MB，超过上限{limit / 1048576:.0f}MB",
            code="file_too_large", status=413,
        )
    name = (upload.name or "").lower()
    if not name.endswith(extensions):
        raise AppError(f"{label}：只接受{'、'.join(extensions)}格式的文件", code="bad_file_type", status=400)


def _unreadable(label: str, exc: BaseException) -> AppError:
    logger.info("unreadable workbook upload: %s: %s", type(exc).__name__, str(exc)[:200])
    if isinstance(exc, DefusedXmlException) or isinstance(exc.__context__, DefusedXmlException):
        return AppError(f"{label}：文件含有不允许的XML实体或外部引用，已拒绝", code="bad_file", status=400)
    return AppError(f"{label}：不是有效的Excel（.xlsx）文件，或文件已损坏，请重新保存后上传", code="bad_file",
                    status=400)


def _refuse_zip_bomb(upload, *, label: str) -> None:
    """A workbook is a zip: refuse one whose parts would unpack to more than UNPACK_FACTOR times the upload
    limit (a few megabytes can declare gigabytes). zipfile never unpacks more than a part's declared size, so
    the declared sizes are the ones to check."""
    limit = settings.RENCAI_MAX_UPLOAD_BYTES * UNPACK_FACTOR
    with zipfile.ZipFile(upload) as archive:
        declared = sum(item.file_size for item in archive.infolist())
    if declared > limit:
        raise AppError(f"{label}：文件解压后超过{limit / 1048576:.0f}MB，已拒绝；请拆分后上传", code="file_too_large",
                       status=400)


def xlsx_rows(upload, *, label: str) -> Iterator[tuple]:
    """The rows (tuples of cell values) of an uploaded workbook's first sheet, read lazily. Opening the file
    and reading every row are both guarded: any parser failure becomes an AppError (400) with a Chinese
    message naming the field, raised before the caller has written anything if it reads all rows first."""
    if not hasattr(upload, "seek"):
        raise AppError(f"{label}：请选择要上传的文件", code="missing_file", status=400)
    upload.seek(0)
    try:
        _refuse_zip_bomb(upload, label=label)
        upload.seek(0)
        wb = load_workbook(upload, read_only=True, data_only=True)
        if not wb.worksheets:
            raise AppError(f"{label}：文件中没有工作表", code="bad_file", status=400)
        rows = wb.worksheets[0].iter_rows(values_only=True)
    except AppError:
        raise
    except PARSER_FAILURES as exc:
        raise _unreadable(label, exc) from exc
    try:
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except PARSER_FAILURES as exc:
                raise _unreadable(label, exc) from exc
            yield row
    finally:
        wb.close()


def csv_rows(upload, *, field: str, label: str) -> list[list[str]]:
    """The rows of an uploaded CSV file (UTF-8, with or without a byte-order mark, or GB18030 as Chinese banks
    write them); an undecodable or malformed file is a 400 naming the field."""
    raw = upload.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationFailed([FieldError(field, f"{label}无法识别编码（应为UTF-8或GB18030）")])
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise ValidationFailed([FieldError(field, f"{label}格式不正确：{exc}")]) from exc


def text_decode(raw: bytes, *, field: str, label: str) -> str:
    """An uploaded text file's content: UTF-8 (with or without a byte-order mark) or GB18030, as Chinese offices
    write them; anything else is a 400 naming the field."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed([FieldError(field, f"{label}无法识别编码（应为UTF-8或GB18030）")])


def csv_header(text: str, *, field: str, label: str) -> list[str]:
    """The first record of a CSV text: its column names, stripped."""
    try:
        first = next(csv.reader(io.StringIO(text)), None)
    except csv.Error as exc:
        raise ValidationFailed([FieldError(field, f"{label}格式不正确：{exc}")]) from exc
    return [h.strip() for h in first or []]


def csv_frame(text: str, *, field: str, label: str):
    """The data rows of a CSV text (its first record the header) as a Polars frame of text, the columns named
    ``c0``, ``c1`` … in the header's order, read in one go (a million rows in about a second); a ragged or
    badly quoted file is a 400 naming the field."""
    import polars as pl
    from polars.exceptions import PolarsError

    header = csv_header(text, field=field, label=label)
    if not header:
        return pl.DataFrame()
    try:
        frame = pl.read_csv(io.BytesIO(text.encode()), has_header=True, infer_schema=False,
                            new_columns=[f"c{i}" for i in range(len(header))])
    except (PolarsError, ValueError) as exc:
        logger.info("unreadable CSV upload: %s", str(exc)[:200])
        raise ValidationFailed([FieldError(field, f"{label}格式不正确：各行的列数应与列名行一致，引号应成对")]) from exc
    return frame
