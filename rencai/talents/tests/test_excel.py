import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import Workbook, load_workbook

from rencai.conftest import make_resident_id
from rencai.core.errors import AppError
from rencai.talents import excel
from rencai.talents.models import ImportBatch, Talent
from rencai.talents.validation import LABELS

pytestmark = pytest.mark.django_db
HEADERS = ["姓名", "证件号码", "所在区县", "最高学历", "毕业日期", "毕业院校", "毕业国家/地区", "手机号码"]


def workbook(rows, headers=HEADERS) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("人才.xlsx", buffer.getvalue())


def mixed_rows():
    good1, good2 = make_resident_id(), make_resident_id()
    bad_checksum = make_resident_id()
    bad_checksum = bad_checksum[:-1] + ("0" if bad_checksum[-1] != "0" else "1")
    return [
        ["王一", good1, "和平区", "硕士", "2020-07-01", "东北大学", "中国", "13800000001"],  # row 2
        ["王二", bad_checksum, "和平区", "本科", "2019-07-01", "辽宁大学", "中国", ""],  # row 3: checksum
        ["王三", good2, "火星区", "博士", "2018-07-01", "东京大学", "日本", ""],  # row 4: district
        ["王四", make_resident_id(), "和平区", "博士", "2099-07-01", "东京大学", "日本", "123"],  # row 5: 2 errors
        ["王五", good1, "和平区", "本科", "2019-07-01", "辽宁大学", "中国", ""],  # row 6: same as row 2
        [None, None, None, None, None, None, None, None],  # blank row: skipped
        ["王六", make_resident_id(), "210102", "本科", "2019-07-01", "辽宁大学", "中国", ""],  # row 8: good
    ]


def test_bad_rows_are_all_reported_and_nothing_is_committed(heping_staff):
    result = excel.talent_import(actor=heping_staff, upload=workbook(mixed_rows()))
    assert Talent.objects.count() == 0
    reported = {(e.row, e.field) for e in result.errors}
    assert reported == {(3, "证件号码"), (4, "所在区县"), (5, "毕业日期"), (5, "手机号码"), (6, "证件号码")}
    assert result.total_rows == 6 and result.valid_rows == 2 and result.imported_rows == 0
    messages = {e.row: e.message for e in result.errors}
    assert "校验位错误" in messages[3] and "火星区" in messages[4] and "第2行" in messages[6]
    assert ImportBatch.objects.get().status == "rejected"


def test_only_the_good_rows_when_asked(heping_staff):
    result = excel.talent_import(actor=heping_staff, upload=workbook(mixed_rows()), only_valid=True)
    assert result.imported_rows == 2
    assert sorted(Talent.objects.values_list("name", flat=True)) == ["王一", "王六"]
    assert Talent.objects.get(name="王一").educations.get().school == "东北大学"
    assert ImportBatch.objects.get().status == "partial"


def test_rows_already_registered_are_refused(heping_staff):
    rows = mixed_rows()[:1]
    assert excel.talent_import(actor=heping_staff, upload=workbook(rows)).imported_rows == 1
    again = excel.talent_import(actor=heping_staff, upload=workbook(rows))
    assert again.imported_rows == 0 and "已在人才信息库中登记" in again.errors[0].message
    assert Talent.objects.count() == 1


def test_rows_outside_jurisdiction_are_refused(heping_staff):
    rows = [["赵一", make_resident_id(), "浑南区", "", "", "", "", ""]]
    result = excel.talent_import(actor=heping_staff, upload=workbook(rows))
    assert "管辖范围" in result.errors[0].message and Talent.objects.count() == 0


def test_wrong_file_type_and_unknown_columns(heping_staff):
    with pytest.raises(AppError) as info:
        excel.talent_import(actor=heping_staff, upload=SimpleUploadedFile("a.csv", b"name\n"))
    assert info.value.status == 400 and ".xlsx" in info.value.message
    with pytest.raises(AppError) as info:
        excel.talent_import(actor=heping_staff, upload=SimpleUploadedFile("a.xlsx", b"not a zip"))
    assert "不是有效的Excel" in info.value.message
    with pytest.raises(AppError) as info:
        excel.talent_import(actor=heping_staff, upload=workbook([], headers=["姓名", "工资"]))
    assert "未知列“工资”" in info.value.message and "证件号码" in info.value.message


@override_settings(RENCAI_MAX_UPLOAD_BYTES=2000)
def test_oversized_upload_is_refused(client, heping_staff):
    client.force_login(heping_staff)
    big = SimpleUploadedFile("big.xlsx", b"x" * 5000)
    response = client.post("/api/talents/import", {"file": big})
    assert response.status_code == 413 and "超过上限" in response.json()["message"]
    page = client.post("/talents/import/", {"file": SimpleUploadedFile("big.xlsx", b"x" * 5000)})
    assert page.status_code == 413 and "超过上限" in page.content.decode()


def test_template_round_trips_through_the_import(client, heping_staff):
    client.force_login(heping_staff)
    template = client.get("/talents/import/template.xlsx")
    ws = load_workbook(io.BytesIO(template.content)).active
    assert [c.value for c in ws[1]] == list(LABELS.values())
    upload = SimpleUploadedFile("t.xlsx", template.content)
    result = excel.talent_import(actor=heping_staff, upload=upload)
    assert result.errors == [] and result.imported_rows == 1
    talent = Talent.objects.get()
    assert talent.monthly_rent == 3200 and talent.highest_degree == "doctor"


def test_import_page_lists_errors_with_row_numbers(client, heping_staff):
    client.force_login(heping_staff)
    response = client.post("/talents/import/", {"file": workbook(mixed_rows())})
    html = response.content.decode()
    assert response.status_code == 422
    assert "未导入任何数据" in html and "<td>4</td><td>所在区县</td>" in html
    assert Talent.objects.count() == 0


def test_export_has_masked_numbers(client, heping_staff, make_talent):
    talent = make_talent()
    client.force_login(heping_staff)
    ws = load_workbook(io.BytesIO(client.get("/talents/export.xlsx?degree=doctor").getvalue())).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "证件类型", "证件号码")
    assert rows[1][2] == talent.id_number_masked and "*" in rows[1][2]
