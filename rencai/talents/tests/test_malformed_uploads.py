"""Issue 14 item 8: a damaged or hostile workbook is a 400 with a Chinese message, on the page and the API,
and writes nothing. The bad files are built here, from the platform's own import template."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rencai.core.errors import AppError
from rencai.talents import excel
from rencai.talents.models import ImportBatch, Talent

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"


def _template() -> bytes:
    return excel.import_template()


def _rewrite(data: bytes, replace: dict[str, bytes | str]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, replace.get(item.filename, source.read(item.filename)))
        for name in replace.keys() - set(source.namelist()):  # parts the template does not have
            target.writestr(name, replace[name])
    return out.getvalue()


def _sheet_with(prolog: str, reference: str) -> str:
    """The template's first sheet with a DTD in front and a cell that uses one of its entities."""
    sheet = zipfile.ZipFile(io.BytesIO(_template())).read(SHEET).decode()
    if sheet.startswith("<?xml"):
        sheet = sheet.split("?>", 1)[1]
    cell = f'<row r="9"><c r="A9" t="inlineStr"><is><t>{reference}</t></is></c></row>'
    return '<?xml version="1.0"?>' + prolog + sheet.replace("</sheetData>", cell + "</sheetData>", 1)


def billion_laughs() -> bytes:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    return _rewrite(_template(), {SHEET: _sheet_with(f"<!DOCTYPE lolz [{entities}]>", "&lol9;")})


def xxe() -> bytes:
    return _rewrite(_template(), {SHEET: _sheet_with('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
                                                     "&x;")})


def truncated_file() -> bytes:
    data = _template()
    return data[: len(data) // 2]


def truncated_sheet() -> bytes:
    """A zip that opens, whose worksheet XML stops half-way: fails only while the rows are read."""
    sheet = zipfile.ZipFile(io.BytesIO(_template())).read(SHEET)
    return _rewrite(_template(), {SHEET: sheet[: len(sheet) // 2]})


def damaged_stream() -> bytes:
    """A zip whose directory is intact but whose worksheet's compressed bytes are damaged."""
    data = bytearray(_template())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
    for i in range(start, start + 40):
        data[i] ^= 0x5A
    return bytes(data)


BAD_FILES = {
    "truncated_file": truncated_file,
    "truncated_sheet": truncated_sheet,
    "damaged_stream": damaged_stream,
    "billion_laughs": billion_laughs,
    "xxe": xxe,
    "not_a_workbook": lambda: b"PK\x03\x04" + b"\x00" * 200,
}


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


@pytest.mark.parametrize("kind", BAD_FILES)
def test_the_service_refuses_each_bad_file_with_a_chinese_400(heping_staff, kind):
    upload = SimpleUploadedFile("人才.xlsx", BAD_FILES[kind]())
    with pytest.raises(AppError) as caught:
        excel.talent_import(actor=heping_staff, upload=upload)
    assert caught.value.status == 400
    assert caught.value.message.startswith("导入文件：")
    assert "passwd" not in caught.value.message and "root:" not in caught.value.message
    assert Talent.objects.count() == 0 and ImportBatch.objects.count() == 0


@pytest.mark.parametrize("kind", ["truncated_sheet", "billion_laughs", "xxe"])
def test_the_page_and_the_api_answer_400(client, heping_staff, kind):
    client.force_login(heping_staff)
    data = BAD_FILES[kind]()
    page = client.post("/talents/import/", {"file": SimpleUploadedFile("人才.xlsx", data)})
    assert page.status_code == 400
    assert "导入文件：" in page.content.decode()
    api = client.post("/api/talents/import", {"file": SimpleUploadedFile("人才.xlsx", data)})
    assert api.status_code == 400
    body = api.json()
    assert body["code"] == "bad_file" and body["message"].startswith("导入文件：")
    assert Talent.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_entities_are_named_as_the_reason(heping_staff):
    with pytest.raises(AppError, match="XML实体"):
        excel.talent_import(actor=heping_staff, upload=SimpleUploadedFile("人才.xlsx", xxe()))


def test_the_good_template_still_imports(heping_staff):
    result = excel.talent_import(actor=heping_staff, upload=SimpleUploadedFile("人才.xlsx", _template()))
    assert result.imported_rows == 1 and Talent.objects.count() == 1


def test_a_zip_bomb_is_refused_before_it_is_unpacked(heping_staff, settings):
    settings.RENCAI_MAX_UPLOAD_BYTES = 100_000  # so the unpacked limit is 2 MB, and the test stays fast
    padding = "<!--" + "a" * 3_000_000 + "-->"
    bomb = _rewrite(_template(), {"xl/media/padding1.xml": padding, "xl/media/padding2.xml": padding})
    assert len(bomb) < 100_000
    with pytest.raises(AppError, match="解压后超过") as caught:
        excel.talent_import(actor=heping_staff, upload=SimpleUploadedFile("人才.xlsx", bomb))
    assert caught.value.status == 400 and Talent.objects.count() == 0
