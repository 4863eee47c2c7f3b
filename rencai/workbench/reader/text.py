"""Getting the text: pasted, or an uploaded .txt, .docx or PDF with a text layer; and cutting it into sentences
that keep their character offsets into the original text (so that every finding can be shown in place)."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from rencai.core.errors import AppError
from rencai.policies.documents import _either_width  # the same matching as a quote's highlight

LABEL = "政策文本"
MAX_CHARS = 200_000  # about ten documents the size of the longest seed (34,000 characters)
EXTENSIONS = (".txt", ".docx", ".pdf")


class ReaderError(AppError):
    """The text cannot be read: a Chinese message naming the field, a 4xx."""

    def __init__(self, message: str, code: str = "bad_text", status: int = 400):
        super().__init__(message=message, code=code, status=status)


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


# A sentence ends at 。！？；(and their narrow forms) or a line break; a closing quote or bracket right after the
# mark stays with its sentence.
_END = re.compile(r"[。！？；;!?]+[”’」』)）]*|\n+")


def sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` with their [start, end) offsets, stripped of surrounding spaces; empty ones
    dropped."""
    found: list[Sentence] = []
    start = 0
    for mark in _END.finditer(text):
        _add(found, text, start, mark.end() if mark.group().strip() else mark.start())
        start = mark.end()
    _add(found, text, start, len(text))
    return found


def _add(found: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        found.append(Sentence(len(found), start, end, text[start:end]))


def locate(text: str, quote: str) -> tuple[int, int] | None:
    """Where a quote stands in a text: full- and half-width punctuation and line breaks may differ."""
    if not quote.strip():
        return None
    pattern = r"\s*".join(_either_width(ch) for ch in quote if not ch.isspace())
    found = re.search(pattern, text)
    return found.span() if found else None


def covering(items: list[Sentence], start: int, end: int) -> list[Sentence]:
    """The sentences a span [start, end) overlaps."""
    return [s for s in items if s.start < end and start < s.end]


# -- input ----------------------------------------------------------------------------------------------


def clean(text: str) -> str:
    """Line breaks normalised, NUL and other control characters dropped; refused when empty or too long."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    if not text.strip():
        raise ReaderError(f"{LABEL}：内容为空，请粘贴或上传政策文件的正文", code="empty_text")
    if len(text) > MAX_CHARS:
        raise ReaderError(f"{LABEL}：共{len(text):,}字，超过上限{MAX_CHARS:,}字，请分段检查", code="text_too_long",
                          status=413)
    if not re.search(r"[\u4e00-\u9fff]", text):
        raise ReaderError(f"{LABEL}：没有读到中文内容，请确认上传的是政策文件的正文", code="no_chinese")
    return text


def file_text(name: str, data: bytes, *, max_bytes: int) -> str:
    """The text of an uploaded file: .txt (UTF-8 or GB18030), .docx (paragraphs and tables) or a PDF with a text
    layer; every failure is a ReaderError in Chinese."""
    lower = (name or "").lower()
    if not lower.endswith(EXTENSIONS):
        raise ReaderError(f"{LABEL}：只接受文本文件（TXT）、Word 文件（DOCX）或带文字层的 PDF 文件（上传的是“{name}”）",
                          code="bad_file_type")
    if len(data) > max_bytes:
        raise ReaderError(f"{LABEL}：文件大小{len(data) / 1048576:.1f}MB，超过上限{max_bytes / 1048576:.0f}MB",
                          code="file_too_large", status=413)
    if not data:
        raise ReaderError(f"{LABEL}：上传的文件是空的", code="empty_text")
    if lower.endswith(".txt"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return clean(data.decode(encoding))
            except UnicodeDecodeError:
                continue
        raise ReaderError(f"{LABEL}：无法识别文本文件的编码（应为UTF-8或GB18030）", code="bad_file")
    if lower.endswith(".docx"):
        return clean(_docx_text(data))
    return clean(_pdf_text(data))


def _docx_text(data: bytes) -> str:
    import zipfile

    if not data.startswith(b"PK"):
        raise ReaderError(f"{LABEL}：不是有效的 Word（.docx）文件；旧版 .doc 请另存为 .docx 后上传", code="bad_file")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(item.file_size for item in archive.infolist()) > 20 * len(data) + 10_000_000:
                raise ReaderError(f"{LABEL}：文件解压后过大，已拒绝", code="file_too_large")
        import docx

        document = docx.Document(io.BytesIO(data))
    except ReaderError:
        raise
    except Exception as exc:  # any parser failure is the file's fault: a 400, never a 500
        raise ReaderError(f"{LABEL}：Word 文件已损坏或无法读取（{type(exc).__name__}）", code="bad_file") from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf_text(data: bytes) -> str:
    if not data.startswith(b"%PDF"):
        raise ReaderError(f"{LABEL}：不是有效的 PDF 文件", code="bad_file")
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ReaderError(f"{LABEL}：PDF 文件已加密，请上传未加密的文件", code="bad_file")
        pages = [page.extract_text() or "" for page in reader.pages[:200]]
    except ReaderError:
        raise
    except Exception as exc:
        raise ReaderError(f"{LABEL}：PDF 文件已损坏或无法读取（{type(exc).__name__}）", code="bad_file") from exc
    # A PDF breaks lines where the page ends them: join a line broken inside a Chinese sentence.
    text = re.sub(r"(?<=[\u4e00-\u9fff，、,（(])\n(?=[\u4e00-\u9fff0-9（(])", "", "\n".join(pages))
    if not re.search(r"[\u4e00-\u9fffA-Za-z0-9]", text):
        raise ReaderError(f"{LABEL}：这个 PDF 没有文字层（可能是扫描件），无法读取文字；请上传带文字层的 PDF、"
                          "Word 文件，或直接粘贴正文", code="no_text_layer")
    return text
