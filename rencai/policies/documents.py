"""The five source documents as people cite them: title, issuer and date, never the file name on screen.

The catalog names a document by its file (the API keeps it); pages show the title, issuer and date and link
to the document's text with the quoted sentence highlighted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
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
        """《title》（issuer，date）"""
        return f"《{self.title}》（{'，'.join(part for part in (self.issuer, self.date) if part)}）"


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
BY_KEY = {d.key: d for d in DOCUMENTS.values()}


def document_for(file: str) -> Document:
    """The document a catalog source names; an unknown file is cited by itself rather than hidden."""
    return DOCUMENTS.get(file) or Document(file, file, file, "", "")


def seeds_dir() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "seeds"


@cache
def document_text(key: str) -> str:
    return (seeds_dir() / BY_KEY[key].file).read_text(encoding="utf-8")


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
