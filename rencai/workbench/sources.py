"""依据文件: an office adds a source document (a policy text) so that a rule drafted from it can cite it.

The document is named like the five seed documents — ``<number>_<first 16 hex of the text's sha256>.txt``,
numbered from 100 — so the catalog's ``source.document`` names it and ``services.rule_check`` finds its quotes
(``policies.documents``). A text already stored is the existing document, never a second one; the database
keeps the number, the file name and the text's digest unique.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from rencai.core.errors import AppError, Conflict, FieldError, ValidationFailed
from rencai.core.locks import turn_for
from rencai.policies.documents import DOCUMENTS, source_text

from .models import SOURCE_FIRST_NUMBER, SOURCE_LAST_NUMBER, SourceDocument
from .permissions import require_officer
from .reader.text import ReaderError, clean

LIMITS = {"title": ("标题", 300), "issuer": ("发文机关", 200), "date": ("成文日期", 50)}


@dataclass(frozen=True)
class Added:
    document: SourceDocument
    created: bool  # False: the text was stored already, this is that document


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalised(text: str) -> str:
    """The text as it is stored and read (line breaks normalised, control characters dropped); refused in
    Chinese naming the field when empty, too long or without Chinese."""
    try:
        return clean(text or "")
    except ReaderError as error:
        message = error.message.replace("政策文本", "正文", 1)
        raise AppError(message=message, code=error.code, status=error.status,
                       errors=[FieldError("text", message)]) from None


def stored_for_text(text: str) -> SourceDocument | None:
    """The stored document with exactly this (normalised) text."""
    return SourceDocument.objects.filter(text_sha256=text_digest(text)).first()


def seed_with_text(text: str) -> str | None:
    """The title of the seed document with exactly this text, if it is one of the five."""
    return next((d.title for d in DOCUMENTS.values() if source_text(d.file) == text), None)


def recent_documents(limit: int = 20) -> list[tuple[int, str]]:
    """(number, title) of the documents added most recently, for 起草辅助 to open again."""
    return list(SourceDocument.objects.order_by("-number").values_list("number", "title")[:limit])


def source_document_add(*, actor, title: str, text: str, issuer: str = "", date: str = "") -> Added:
    """Store a source document (officers only). Title required; issuer and date as the document states them
    (may be empty); the text required, at most the reader's limit. A text already stored returns that document."""
    require_officer(actor)
    fields = {"title": (title or "").strip(), "issuer": (issuer or "").strip(), "date": (date or "").strip()}
    problems = [FieldError(name, f"{label}不能超过{limit}字") for name, (label, limit) in LIMITS.items()
                if len(fields[name]) > limit]
    if not fields["title"]:
        problems.insert(0, FieldError("title", "标题不能为空，请填写文件的标题"))
    if problems:
        raise ValidationFailed(problems)
    body = normalised(text)
    seed = seed_with_text(body)
    if seed:
        raise Conflict(f"正文：这是已收录的依据文件《{seed}》，无需再次收录", code="seed_document")
    digest = text_digest(body)
    with transaction.atomic():
        turn_for("workbench.source_document")  # officers adding documents at once take numbers in turn
        existing = SourceDocument.objects.filter(text_sha256=digest).first()
        if existing is not None:
            return Added(existing, created=False)
        top = SourceDocument.objects.aggregate(top=Max("number"))["top"]
        number = SOURCE_FIRST_NUMBER if top is None else top + 1
        if number > SOURCE_LAST_NUMBER:
            raise Conflict(f"依据文件已达上限（{SOURCE_LAST_NUMBER - SOURCE_FIRST_NUMBER + 1}份），无法再收录",
                           code="source_documents_full")
        document = SourceDocument.objects.create(
            number=number, file=f"{number:03d}_{digest[:16]}.txt", text_sha256=digest, text=body,
            added_by=actor, **fields)
    return Added(document, created=True)
