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


def verify(talents, *, month: str | None = None, kinds=None) -> None:
    """What a talent office's data centre would hold about these talents, loaded the real way (a file per feed,
    datahub.services.load_run): a month of 社保 paid in their district, their registry degree certified, and
    户籍 in their district, their registry skill level certified (``kinds``: only those feeds) — so that their
    学历, 社保, 技能等级 and 所在城市 are verified (免申即享 offers need it)."""
    import datetime as dt

    from rencai.core import crypto
    from rencai.datahub import services

    month = month or f"{dt.date.today().replace(day=1) - dt.timedelta(days=1):%Y-%m}"
    talents = list(talents)
    people = [(t, crypto.decrypt(t.id_number_cipher)) for t in talents]
    education, _ = Department.objects.get_or_create(name="沈阳市教育局", region_id="210100")
    police, _ = Department.objects.get_or_create(name="沈阳市公安局", region_id="210100")
    deliveries = [
        (FactKind.SOCIAL_INSURANCE, None, SI_HEADER,
         [[t.name, number, month, "正常缴费", t.district_id, "6000"] for t, number in people]),
        (FactKind.DEGREE, education, ["姓名", "证件号码", "学历", "毕业院校", "毕业日期"],
         [[t.name, number, t.highest_degree, "（认证院校）", f"{t.graduation_date or dt.date(2015, 7, 1):%Y-%m-%d}"]
          for t, number in people if t.highest_degree]),
        (FactKind.RESIDENCE, police, ["姓名", "证件号码", "数据月份", "类别", "所在区县"],
         [[t.name, number, month, "户籍", t.district_id] for t, number in people]),
        (FactKind.SKILL, None, ["姓名", "证件号码", "技能等级", "发证日期"],
         [[t.name, number, t.skill_level, "2020-05-10"] for t, number in people if t.skill_level]),
    ]
    for kind, department, header, rows in deliveries:
        if not rows or (kinds is not None and kind not in kinds):
            continue
        source = Feed.objects.filter(kind=kind).first() or feed(kind, department=department)
        load = services.load_from_bytes(feed_id=source.pk, raw=csv_bytes(header, rows), file_name="核验.csv")
        services.load_run(load_id=load.pk)
