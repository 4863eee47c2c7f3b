"""Reads of the document store, scoped to the viewer. ``documents_on_file`` is what other apps reuse: the
documents a talent already has of the kinds asked for (verified first, then waiting), so nothing on file is
asked for twice."""

from django.db.models import Case, IntegerField, QuerySet, Value, When

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import require_government, scope_related, talent_scope_q
from rencai.core.errors import NotFound
from rencai.talents.models import Talent

from .enums import DocumentStatus
from .models import Document

USABLE = (DocumentStatus.VERIFIED, DocumentStatus.PENDING)


def documents_on_file(*, talent, kinds) -> dict[str, Document]:
    """For each kind asked for, the talent's best document of that kind: a verified one before one waiting
    for review, the newest first; rejected documents never count. Kinds with nothing on file are absent."""
    talent_id = talent.pk if isinstance(talent, Talent) else talent
    kinds = list(kinds)
    found: dict[str, Document] = {}
    rows = (Document.objects.filter(talent_id=talent_id, kind__in=kinds, status__in=USABLE)
            .annotate(rank=Case(When(status=DocumentStatus.VERIFIED, then=Value(0)), default=Value(1),
                                output_field=IntegerField()))
            .order_by("rank", "-uploaded_at", "-id"))
    for document in rows:
        found.setdefault(document.kind, document)
    return found


def documents_visible(user: User) -> QuerySet[Document]:
    """The documents a user may open here: the talent their own; staff, leaders and administrators those of
    talents in their jurisdiction; an employer only what its own account put on file (it sees its staff's
    evidence through the applications it makes). Other roles nothing."""
    if not user.is_authenticated:
        return Document.objects.none()
    if user.role == Role.EMPLOYER:
        return Document.objects.filter(scope_related(user, "talent"), uploaded_by=user)
    if user.role in (Role.TALENT, Role.STAFF, Role.LEADER) or user.is_administrator:
        return Document.objects.filter(scope_related(user, "talent"))
    return Document.objects.none()


def document_get(*, user: User, document_id: int) -> Document:
    document = (documents_visible(user).filter(pk=document_id)
                .select_related("talent", "talent__district", "uploaded_by", "reviewed_by").first())
    if document is None:
        raise NotFound("未找到该材料，或不在您的管辖范围内")
    return document


def documents_for_talent(*, user: User, talent: Talent) -> list[Document]:
    return list(documents_visible(user).filter(talent=talent).select_related("uploaded_by", "reviewed_by")
                .order_by("kind", "-uploaded_at", "-id"))


def talent_documents_get(*, user: User, talent_id: int) -> Talent:
    """A talent whose documents staff (or a leader) may see: in the viewer's jurisdiction, else 404."""
    require_government(user)
    talent = Talent.objects.filter(talent_scope_q(user), pk=talent_id).select_related("district").first()
    if talent is None:
        raise NotFound()
    return talent


def review_queue(*, user: User, status: str = DocumentStatus.PENDING, kind: str = "") -> QuerySet[Document]:
    """The staff review queue (材料核验), within the viewer's current jurisdiction, oldest first."""
    require_government(user)
    rows = Document.objects.filter(scope_related(user, "talent")).select_related("talent", "talent__district",
                                                                                   "uploaded_by")
    if status in DocumentStatus.values:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("uploaded_at", "id") if status == DocumentStatus.PENDING else rows.order_by("-reviewed_at",
                                                                                                     "-id")
