"""Pages of the document store (材料库): the talent's own documents, a talent's documents for staff, the review
queue and one document's page; files are served only through ``document_file``, after the permission check."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rencai.accounts.enums import Role
from rencai.core.confirm import confirm_first
from rencai.core.errors import AppError, NotFound, PermissionDenied

from . import confirmations, selectors, services
from .enums import DocumentAction, DocumentKind, DocumentStatus

PAGE_SIZE = 50


def _upload_message(request, document) -> None:
    if document.created:
        messages.success(request,
                         f"已上传：{document.get_kind_display()}（{document.original_name}），等待工作人员核验")
    else:
        messages.info(request, f"该文件已在材料库中（{document.get_kind_display()}，{document.get_status_display()}），"
                               "无需重复上传")


@login_required
def mine(request):
    """我的材料: everything on file, its review state and, for a returned one, the reason; an upload form."""
    if request.user.role != Role.TALENT:
        raise PermissionDenied("本页面向人才本人")
    from rencai.talents.selectors import talent_for_user

    talent = talent_for_user(user=request.user)
    error, status = None, 200
    if request.method == "POST" and talent is not None:
        try:
            document = services.document_upload(actor=request.user, talent=talent,
                                                kind=request.POST.get("document_kind"),
                                                upload=request.FILES.get("file"))
        except AppError as exc:
            error, status = exc, exc.status
        else:
            _upload_message(request, document)
            return redirect("documents:mine")
    documents = selectors.documents_for_talent(user=request.user, talent=talent) if talent else []
    return render(request, "documents/mine.html", {
        "talent": talent, "documents": documents, "kinds": DocumentKind.choices, "accept": services.ACCEPT,
        "error": error, "selected_kind": request.POST.get("document_kind", ""),
    }, status=status)


@login_required
def talent_documents(request, talent_id: int):
    """A talent's documents for staff (leaders read them): upload on the talent's behalf, open, review."""
    talent = selectors.talent_documents_get(user=request.user, talent_id=talent_id)
    error, status = None, 200
    if request.method == "POST":
        try:
            document = services.document_upload(actor=request.user, talent=talent,
                                                kind=request.POST.get("document_kind"),
                                                upload=request.FILES.get("file"))
        except AppError as exc:
            error, status = exc, exc.status
        else:
            _upload_message(request, document)
            return redirect("documents:talent", talent_id=talent.pk)
    return render(request, "documents/talent.html", {
        "talent": talent, "documents": selectors.documents_for_talent(user=request.user, talent=talent),
        "kinds": DocumentKind.choices, "accept": services.ACCEPT, "error": error,
        "can_write": request.user.role == Role.STAFF or request.user.is_administrator,
        "selected_kind": request.POST.get("document_kind", ""),
    }, status=status)


@login_required
def queue(request):
    """材料核验: documents waiting for review in the viewer's jurisdiction, oldest first (or decided ones)."""
    status = request.GET.get("status", DocumentStatus.PENDING)
    status = status if status in DocumentStatus.values else DocumentStatus.PENDING
    kind = request.GET.get("kind", "")
    kind = kind if kind in DocumentKind.values else ""
    rows = selectors.review_queue(user=request.user, status=status, kind=kind)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "documents/queue.html", {
        "page": page, "status": status, "kind": kind, "statuses": DocumentStatus.choices,
        "kinds": DocumentKind.choices, "query": query.urlencode(),
    })


def _detail_context(request, document, **extra) -> dict:
    user = request.user
    context = {
        "document": document,
        "can_review": (document.status == DocumentStatus.PENDING
                       and (user.role == Role.STAFF or user.is_administrator)),
        "is_staff_view": user.is_government or user.is_administrator,
        "reason_max": services.REASON_MAX,
    }
    context.update(extra)
    return context


@login_required
def detail(request, document_id: int):
    document = selectors.document_get(user=request.user, document_id=document_id)
    return render(request, "documents/detail.html", _detail_context(request, document))


@login_required
@require_POST
@confirm_first(confirmations.review)
def review(request, document_id: int, action: str):
    if action not in DocumentAction.values:
        raise NotFound("未知的操作")
    try:
        document = services.document_transition(actor=request.user, document_id=document_id, action=action,
                                                reason=request.POST.get("review_reason", ""))
    except AppError as exc:
        document = selectors.document_get(user=request.user, document_id=document_id)
        return render(request, "documents/detail.html", _detail_context(request, document, error=exc),
                      status=exc.status)
    messages.success(request, f"材料{document.number}：{document.get_status_display()}")
    if request.POST.get("next") == "queue":
        return redirect("documents:queue")
    return redirect("documents:detail", document_id=document.pk)


@login_required
def document_file(request, document_id: int):
    """A document's file, only for those who may see the document; never from the web root."""
    document = selectors.document_get(user=request.user, document_id=document_id)
    response = FileResponse(document.file.open("rb"), content_type=document.content_type)
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(document.original_name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
