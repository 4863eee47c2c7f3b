"""The source documents as people cite them: title, issuer and date, never the file name on screen.

The five seed documents ship with the code (docs/seeds/); an office adds more in the policy workbench
(``workbench.models.SourceDocument``, numbered from 100, named the same way). The catalog names a document by
its file (the API keeps it); pages show the title, issuer and date and link to the document's text with the
quoted sentence highlighted. ``BY_KEY`` and ``document_for`` find both kinds.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Document:
    key: str  # the short key in URLs: the file's number
    file: str
    title: str
    issuer: str
    date: str  # as the document states it; "" where it states none

    @property
    def citation(self) -> str:
        """《title》（issuer，date）; a document an office added may state neither."""
        details = "，".join(part for part in (self.issuer, self.date) if part)
        return f"《{self.title}》（{details}）" if details else f"《{self.title}》"


DOCUMENTS: dict[str, Document] = {d.file: d for d in (
    Document("000", "000_fc0a1493c513368d.txt",
             "关于省政协十二届五次会议第0077号提案（关于加快吸引海外归国留学人员来辽创业创新的建议）的答复",
             "辽宁省人力资源和社会保障厅", "2023年1月12日"),
    Document("001", "001_9e46ec00125c7dc2.txt", "完善海外青年人才回归创新创业机制（市政协协商座谈）",
             "郑州市政协", ""),
    Document("002", "002_4d15402d64436b6b.txt", "辽宁省人才服务全面振兴三年行动计划（2018—2020年）",
             "中共辽宁省委办公厅", "2018年3月6日"),
    Document("003", "003_003b1f2ec3abf07d.txt",
             "对市十六届人大五次会议第0078号建议（关于加强海外留学人才引进权益工作的建议）的答复",
             "南通市人力资源和社会保障局", "2025年11月6日"),
    Document("004", "004_7b8a2565d53e5b61.txt",
             "市政协十六届二次会议《关于加快推进沈阳“吸引、留住、用好”人才资源服务保障的提案》（第421号）的答复报告",
             "沈阳市人力资源和社会保障局", "2023年3月8日"),
)}
_STORED_KEY = re.compile(r"\d{3}")
_STORED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")


def _stored(**lookup) -> Document | None:
    """A document an office added (workbench.SourceDocument), by ``number`` or ``file``."""
    from rencai.workbench.models import SourceDocument

    row = SourceDocument.objects.filter(**lookup).values("number", "file", "title", "issuer", "date").first()
    return Document(str(row["number"]), row["file"], row["title"], row["issuer"], row["date"]) if row else None


class _ByKey(dict):
    """The documents by key: the five seeds, then those an office added (looked up when asked, so one added by
    another process is found too). Iterating gives the seeds only."""

    def _find(self, key) -> Document | None:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return _stored(number=int(key)) if isinstance(key, str) and _STORED_KEY.fullmatch(key) else None

    def __contains__(self, key) -> bool:
        return self._find(key) is not None

    def __missing__(self, key) -> Document:
        found = self._find(key)
        if found is None:
            raise KeyError(key)
        return found

    def get(self, key, default=None):
        found = self._find(key)
        return default if found is None else found


BY_KEY = _ByKey({d.key: d for d in DOCUMENTS.values()})


def document_for(file: str) -> Document:
    """The document a catalog source names; an unknown file is cited by itself rather than hidden."""
    found = DOCUMENTS.get(file) or (_stored(file=file) if _STORED_FILE.fullmatch(file or "") else None)
    return found or Document(file, file, file, "", "")


def seeds_dir() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "seeds"


def document_text(key: str) -> str:
    """The text of document ``key`` (KeyError for none)."""
    text = source_text(BY_KEY[key].file)
    if text is None:
        raise KeyError(key)
    return text


def source_text(file: str) -> str | None:
    """The text of the document a catalog source names (a seed or one an office added), None for none."""
    if file in DOCUMENTS:
        return _seed_text(file)
    if _STORED_FILE.fullmatch(file or ""):
        try:
            return _stored_text(file)
        except LookupError:
            return None
    return None


@cache
def _seed_text(file: str) -> str:
    return (seeds_dir() / file).read_text(encoding="utf-8")


@lru_cache(maxsize=32)
def _stored_text(file: str) -> str:
    """Kept per file name: the name holds the text's sha256, and a stored text never changes, so a name read
    once always means the same text (a name not found raises and is not kept)."""
    from rencai.workbench.models import SourceDocument

    text = SourceDocument.objects.filter(file=file).values_list("text", flat=True).first()
    if text is None:
        raise LookupError(file)
    return text


def _either_width(ch: str) -> str:
    """A character and its other width (，/,  ：/: ...): a quote typed by hand may use either."""
    other = unicodedata.normalize("NFKC", ch)
    if other != ch and len(other) == 1:
        return f"[{re.escape(ch)}{re.escape(other)}]"
    wide = {v: k for k, v in _WIDE.items()}.get(ch)
    return f"[{re.escape(ch)}{re.escape(wide)}]" if wide else re.escape(ch)


_WIDE = {"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?"}


def highlighted(text: str, quote: str) -> tuple[SafeString, bool]:
    """The text as HTML with the quote in <mark id="quote">; line breaks and spaces inside the quote may
    differ from the document's (the quote was taken across a line break)."""
    if quote:
        pattern = r"\s*".join(_either_width(ch) for ch in quote if not ch.isspace())
        found = re.search(pattern, text)
        if found:
            start, end = found.span()
            html = (escape(text[:start]) + '<mark id="quote">' + escape(text[start:end]) + "</mark>"
                    + escape(text[end:]))
            return mark_safe(html), True  # noqa: S308 — every piece is escaped above
    return escape(text), False
