"""Feeds and deliveries for the data centre's tests."""

import io

from openpyxl import Workbook

from rencai.accounts.models import Department
from rencai.datahub.enums import FactKind
from rencai.datahub.models import Feed

SI_HEADER = ["姓名", "证件号码", "缴费月份", "缴费状态", "参保地", "缴费基数（元）"]


def feed(kind=FactKind.SOCIAL_INSURANCE, *, name=None, department=None, **fields) -> Feed:
    if department is None:
        department, _ = Department.objects.get_or_create(name="沈阳市人力资源和社会保障局", region_id="210100")
    return Feed.objects.create(name=name or f"测试{FactKind(kind).label}数据", department=department, kind=kind,
                               **fields)


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return f'"{text}"' if "," in text else text


def csv_bytes(header, rows, encoding="utf-8") -> bytes:
    lines = [",".join(header)] + [",".join(_cell(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def xlsx_bytes(header, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def si_rows(talents, month="2026-10", base="6000") -> list[list]:
    """One social-insurance row per talent (their real number, decrypted), paid in 和平区."""
    from rencai.core import crypto

    return [[t.name, crypto.decrypt(t.id_number_cipher), month, "正常缴费", "和平区", base] for t in talents]
