"""The talent card (人才卡): the token for its QR code, the public verification, and the PDF.

The token is 256 random bits drawn when the card is issued (``Recognition.card_token``), unrelated to the
serial (which is sequential and printed on the card): no one can forge a valid token or guess one from a serial,
whatever keys the site runs with. Whether the card is valid is read from the database at verification time, so a
revoked or expired card verifies as invalid even though its token is genuine."""

import datetime as dt
import io
import re
from dataclasses import dataclass

import segno
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A6, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from rencai.core.errors import AppError

from .enums import CATEGORY_NAMES
from .models import Recognition

FONT = "STSong-Light"  # a CID font every PDF reader has: no font file to ship
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
INVALID_CARD_MESSAGE = "二维码校验未通过：该人才卡二维码无效或已被篡改"


def card_token(recognition: Recognition) -> str:
    return recognition.card_token


def card_from_token(token: str) -> Recognition:
    """The card a token names. A token of the wrong shape, or one no card has (altered, forged, guessed), is
    refused alike (400): the answer tells nothing about which cards exist."""
    recognition = None
    if isinstance(token, str) and TOKEN_SHAPE.fullmatch(token):
        recognition = Recognition.objects.filter(card_token=token).select_related("talent").first()
    if recognition is None:
        raise AppError(INVALID_CARD_MESSAGE, code="bad_token", status=400)
    return recognition


def mask_name(name: str) -> str:
    """张*明, 李*, 欧**明: enough for the holder to be recognised by whoever checks the card in person."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


@dataclass
class Verification:
    valid: bool
    state: str
    masked_name: str
    category: str
    category_name: str
    valid_until: dt.date
    serial: str


def card_verify(token: str, *, on: dt.date) -> Verification:
    """What the public verification page shows: validity and no more personal data than a masked name."""
    recognition = card_from_token(token)
    state = recognition.state_on(on)
    return Verification(valid=state == "有效", state=state, masked_name=mask_name(recognition.talent.name),
                        category=recognition.category, category_name=CATEGORY_NAMES[recognition.category],
                        valid_until=recognition.valid_until, serial=recognition.serial)


def qr_svg(url: str) -> str:
    """The QR code as inline SVG (no extra request, nothing to load)."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, title="人才卡核验二维码")


def card_pdf(recognition: Recognition, *, verify_url: str, on: dt.date) -> bytes:
    """The card as a one-page PDF (A6 landscape): name, masked ID, category, validity and the QR code."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    talent = recognition.talent
    width, height = landscape(A6)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"人才卡 {recognition.serial}")
    pdf.setAuthor("人才服务数字化平台")
    blue = HexColor("#1f4e79")
    pdf.setFillColor(blue)
    pdf.rect(0, height - 22 * mm, width, 22 * mm, stroke=0, fill=1)
    pdf.setFillColor(white)
    pdf.setFont(FONT, 16)
    city = talent.district.parent.name if talent.district.parent_id else ""
    pdf.drawString(10 * mm, height - 13 * mm, f"{city}人才卡")
    pdf.setFont(FONT, 9)
    pdf.drawString(10 * mm, height - 18.5 * mm, f"编号 {recognition.serial}")

    pdf.setFillColor(HexColor("#1d2939"))
    rows = [
        ("姓名", talent.name),
        ("证件号码", talent.id_number_masked),
        ("人才类别", f"{recognition.get_category_display()}"),
        ("认定方式", recognition.get_way_display()),
        ("有效期", f"{recognition.valid_from:%Y-%m-%d} 至 {recognition.valid_until:%Y-%m-%d}"),
        ("状态", recognition.state_on(on)),
    ]
    y = height - 32 * mm
    for label, value in rows:
        pdf.setFont(FONT, 8.5)
        pdf.setFillColor(HexColor("#667085"))
        pdf.drawString(10 * mm, y, label)
        pdf.setFont(FONT, 10.5)
        pdf.setFillColor(HexColor("#1d2939"))
        pdf.drawString(28 * mm, y, value)
        y -= 8.5 * mm

    # The QR code drawn module by module: vector, sharp at any size, no image library involved.
    qr = segno.make(verify_url, error="m")
    size = 38 * mm
    modules = len(qr.matrix)
    cell = size / (modules + 4)
    left, bottom = width - size - 7 * mm, 16 * mm
    pdf.setFillColor(white)
    pdf.rect(left, bottom, size, size, stroke=0, fill=1)
    pdf.setFillColor(HexColor("#000000"))
    for row, line in enumerate(qr.matrix):
        for col, dark in enumerate(line):
            if dark:
                pdf.rect(left + (col + 2) * cell, bottom + size - (row + 3) * cell, cell, cell, stroke=0, fill=1)
    pdf.setFont(FONT, 7.5)
    pdf.setFillColor(HexColor("#667085"))
    pdf.drawCentredString(left + size / 2, bottom - 4.5 * mm, "扫码核验人才卡真伪与有效期")
    pdf.drawString(10 * mm, 7 * mm, "本卡由人才服务数字化平台签发；证件号码已脱敏显示。")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
