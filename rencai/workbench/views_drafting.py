"""Pages of 起草辅助 and 歧义检查 (issue 13): an officer pastes or uploads a policy text and sees its sentences
with the words found marked, each finding's reading, the draft rules proposed (each value linked to its words),
the catalog's rule beside a proposal where the sentence is already encoded, and can start a draft revision from
a proposal; the ambiguity check of a pasted or uploaded text, and the example report over the five documents.
Policy officers only; views read the input and call the reader, selectors (drafting.py) and services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from rencai.core.errors import AppError, NotFound
from rencai.core.uploads import check_upload
from rencai.policies.documents import BY_KEY, document_text
from rencai.policies.fields import REGION_LABELS

from . import drafting
from .permissions import officer_required
from .reader.text import EXTENSIONS, LABEL, clean, file_text

_officer = officer_required


def _posted_text(request) -> str:
    """The text of the form: an uploaded file if one was sent, else the pasted text."""
    upload = request.FILES.get("file")
    if upload is not None:
        check_upload(upload, field="file", label=LABEL, extensions=EXTENSIONS)  # size and type, as every upload
        return file_text(upload.name, upload.read(), max_bytes=settings.RENCAI_MAX_UPLOAD_BYTES)
    return clean(request.POST.get("text", ""))


def _document(request) -> str | None:
    key = request.GET.get("document", "")
    if key and key not in BY_KEY:
        raise NotFound("未找到该依据文件")
    return key or None


@_officer
def drafting_page(request):
    """Paste or upload a policy text (or open one of the five documents, or one an office saved) and read it."""
    from .sources import recent_documents

    context: dict = {"documents": drafting.document_choices(), "regions": sorted(REGION_LABELS.items()),
                     "text": "", "jurisdiction": "", "stored_documents": recent_documents()}
    status = 200
    key = _document(request)
    if request.method == "POST" or key:
        jurisdiction = request.POST.get("jurisdiction", "") if request.method == "POST" else ""
        try:
            text = _posted_text(request) if request.method == "POST" else document_text(key)
            context.update(drafting.read_text(text, jurisdiction=jurisdiction or None))
            context["text"] = text if request.method == "POST" and "file" not in request.FILES else ""
            context["source_title"] = BY_KEY[key].title if key else ""
            context["body"] = text  # what 保存为依据文件 stores, an uploaded file's text too
        except AppError as error:  # the reader's refusals and the upload check's
            context["error"], status = error, error.status
            context["text"] = request.POST.get("text", "")
        context["jurisdiction"] = jurisdiction
    return render(request, "workbench/drafting.html", context, status=status)


@_officer
@require_POST
def source_document_add(request):
    """保存为依据文件: store the text read (title, issuer, date as it states them), then read it again so that its
    proposals cite it and can be saved as drafts. A text stored already opens that document."""
    from .sources import normalised
    from .sources import source_document_add as add

    fields = {name: request.POST.get(name, "") for name in ("title", "issuer", "date")}
    text = request.POST.get("text", "")
    try:
        added = add(actor=request.user, text=text, **fields)
    except AppError as error:
        context: dict = {"documents": drafting.document_choices(), "regions": sorted(REGION_LABELS.items()),
                         "text": "", "jurisdiction": "", "save_error": error, "save": fields, "body": text}
        try:
            context.update(drafting.read_text(normalised(text)))
        except AppError:
            context["error"] = error  # the text itself cannot be read: shown at the top
        return render(request, "workbench/drafting.html", context, status=error.status)
    document = added.document
    messages.success(request, f"已保存为依据文件《{document.title}》；下列规则草稿引用该文件，可以起草为草稿版本。"
                     if added.created else f"该正文此前已保存为依据文件《{document.title}》，已打开该文件。")
    return redirect(reverse("workbench:drafting") + f"?document={document.number}#result")


@_officer
@require_POST
def drafting_start(request):
    """Start a draft revision from a proposal (the officer may have corrected its text first)."""
    from . import services

    file = request.POST.get("file", "").strip()
    text = request.POST.get("text", "")
    note = request.POST.get("note", "").strip() or "由起草辅助的建议生成"
    try:
        revision = services.revision_create(actor=request.user, file=file, text=text, note=note)
    except services.RuleError as error:
        return render(request, "workbench/drafting_refused.html", {"error": error, "file": file, "text": text,
                                                                    "note": note}, status=error.status)
    try:
        return redirect(reverse("workbench:revision", args=[revision.pk]))
    except NoReverseMatch:  # the revision pages are another part of the workbench
        return redirect(reverse("workbench:drafting"))


@_officer
def drafting_compare(request):
    """One document's catalog rules, each beside what the reader proposes for its sentence."""
    key = _document(request) or "004"
    return render(request, "workbench/drafting_compare.html", {
        "documents": drafting.document_choices(), "key": key, "title": BY_KEY[key].title,
        "rows": drafting.compare_document(key)})


@_officer
def ambiguity_page(request):
    """Paste or upload a draft policy text and see what makes it unclear."""
    context: dict = {"text": ""}
    status = 200
    if request.method == "POST":
        try:
            text = _posted_text(request)
            context["report"] = drafting.ambiguity_of(text, title="提交的文本")
            context["text"] = text if "file" not in request.FILES else ""
        except AppError as error:  # the reader's refusals and the upload check's
            context["error"], status = error, error.status
            context["text"] = request.POST.get("text", "")
    return render(request, "workbench/ambiguity.html", context, status=status)


@_officer
def ambiguity_example(request):
    """The ambiguity check over the five documents: the example report."""
    reports = drafting.example_report()
    return render(request, "workbench/ambiguity_example.html", {
        "reports": reports, "total": sum(r["count"] for r in reports)})
