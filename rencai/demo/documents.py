"""Demo data for the document store (材料库): the demo talent has documents on file (verified, one returned
with its reason, one waiting), and a few talents of 和平区 have documents waiting in the review queue, so
every role has something to see or do. Deterministic (the first talents of the district by id) and safe to
run twice (the same content is the same document)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from rencai.accounts.models import User
from rencai.documents import services
from rencai.documents.enums import DocumentKind, DocumentStatus
from rencai.documents.models import Document
from rencai.talents.models import Talent


def _pdf(title: str) -> SimpleUploadedFile:
    """A small real PDF standing for a scanned document; the same title gives the same bytes (invariant)."""
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.setFont("STSong-Light", 14)
    pdf.drawString(72, 760, f"演示材料：{title}")
    pdf.drawString(72, 736, "本文件为演示数据，不是真实证明材料。")
    pdf.save()
    return SimpleUploadedFile(f"{title.split('（')[0]}.pdf", buffer.getvalue(), content_type="application/pdf")

HEPING = "210102"
TALENT_DOCUMENTS = [  # (kind, decision, reason)
    (DocumentKind.DEGREE, DocumentStatus.VERIFIED, ""),
    (DocumentKind.DEGREE_VERIFICATION, DocumentStatus.VERIFIED, ""),
    (DocumentKind.LABOUR_CONTRACT, DocumentStatus.PENDING, ""),
    (DocumentKind.RENT_CONTRACT, DocumentStatus.REJECTED, "租房合同缺少出租方签字页，请补充完整后重新上传"),
]
WAITING = [DocumentKind.DEGREE, DocumentKind.WORK_PROOF, DocumentKind.TRANSCRIPT, DocumentKind.PURCHASE_CONTRACT,
           DocumentKind.DEGREE_VERIFICATION, DocumentKind.LABOUR_CONTRACT]


def _upload(actor: User, talent: Talent, kind: str) -> Document:
    existing = Document.objects.filter(talent=talent, kind=kind).order_by("pk").first()
    if existing is not None:  # run twice: nothing more
        return existing
    label = DocumentKind(kind).label
    return services.document_upload(actor=actor, talent=talent, kind=kind,
                                    upload=_pdf(f"{label}（{talent.name}）"), authorized=True)


def _decide(reviewer: User, document: Document, status: str, reason: str) -> None:
    if document.status != DocumentStatus.PENDING or status == DocumentStatus.PENDING:
        return
    action = "verify" if status == DocumentStatus.VERIFIED else "reject"
    services.document_transition(actor=reviewer, document_id=document.pk, action=action, reason=reason)


@transaction.atomic
def documents_demo_load() -> int:
    """Returns how many documents the demo has on file."""
    reviewer = User.objects.filter(username="heping_staff").first()
    if reviewer is None:
        return 0
    talent_user = User.objects.filter(username="talent").first()
    talent = Talent.objects.filter(user=talent_user).first() if talent_user else None
    if talent is not None:
        # The demo talent lives in 浑南区: city staff decide there.
        city = User.objects.filter(username="city_staff").first() or reviewer
        for kind, status, reason in TALENT_DOCUMENTS:
            _decide(city, _upload(talent_user, talent, kind), status, reason)
    for talent, kind in zip(Talent.objects.filter(district_id=HEPING).order_by("pk")[:len(WAITING)], WAITING,
                            strict=False):
        _upload(reviewer, talent, kind)
    return Document.objects.count()


def documents_demo_clear() -> None:
    """Remove every document and its file (before `rencai demo --reset` deletes talents)."""
    for document in Document.objects.all():
        document.file.delete(save=False)
    Document.objects.all().delete()
