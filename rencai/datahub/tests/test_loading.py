"""Loading a feed: idempotent reloads, changed rows, the row-by-row report, refused files, unmatched rows kept and
matched later, organizations by 统一社会信用代码, discrepancies. Both databases (the PostgreSQL path stages by COPY)."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from rencai.audit.models import AuditEvent
from rencai.conftest import make_resident_id, make_uscc
from rencai.core import crypto
from rencai.core.errors import AppError, Conflict
from rencai.datahub import selectors, services
from rencai.datahub.enums import DiscrepancyStatus, FactKind, LoadStatus, Resolution
from rencai.datahub.models import Discrepancy, Fact, Load
from rencai.datahub.services import STORE_DIR

from .factories import SI_HEADER, csv_bytes, feed, si_rows, xlsx_bytes

pytestmark = pytest.mark.django_db


def _submit(actor, f, content: bytes, name="社保.csv") -> Load:
    load = services.load_submit(actor=actor, feed_id=f.pk, upload=SimpleUploadedFile(name, content))
    return load


def _load(run_on_commit, actor, f, content: bytes, name="社保.csv") -> Load:
    with run_on_commit():
        load = _submit(actor, f, content, name)
    return Load.objects.get(pk=load.pk)


def _stored_files() -> list:
    folder = Path(settings.MEDIA_ROOT) / STORE_DIR
    return list(folder.iterdir()) if folder.exists() else []


def test_the_same_file_twice_changes_nothing(city_staff, make_talent, run_on_commit):
    f = feed()
    talents = [make_talent(name=f"缴费人{i}") for i in range(4)]
    content = csv_bytes(SI_HEADER, si_rows(talents))
    first = _load(run_on_commit, city_staff, f, content)
    assert first.status == LoadStatus.DONE
    assert (first.total_rows, first.facts_new, first.facts_changed, first.unmatched_rows) == (4, 4, 0, 0)
    before = list(Fact.objects.order_by("pk").values_list("pk", "load_id", "digest", "updated_at", "talent_id"))
    assert sorted(t for *_, t in before) == sorted(t.pk for t in talents)

    again = _load(run_on_commit, city_staff, f, content)  # the very same file: known by its SHA-256
    assert (again.status, again.facts_new, again.facts_changed, again.facts_unchanged) == (LoadStatus.DONE, 0, 0, 4)
    assert again.seconds.get("same_as") == first.pk and again.sha256 == first.sha256
    assert list(Fact.objects.order_by("pk").values_list("pk", "load_id", "digest", "updated_at", "talent_id")) \
        == before  # not even touched: still written by the first load
    # The same rows in another file (reordered, another name): read, checked and compared row by row.
    reordered = _load(run_on_commit, city_staff, f, csv_bytes(SI_HEADER, si_rows(talents)[::-1]), name="重报.csv")
    assert "same_as" not in reordered.seconds and reordered.sha256 != first.sha256
    assert (reordered.facts_new, reordered.facts_changed, reordered.facts_unchanged) == (0, 0, 4)
    assert list(Fact.objects.order_by("pk").values_list("pk", "load_id", "digest", "updated_at", "talent_id")) \
        == before
    assert _stored_files() == []  # the deliveries are removed once loaded
    assert AuditEvent.objects.filter(action="datahub", object_id=str(again.pk)).count() == 2  # submitted, loaded


def test_a_changed_row_is_updated_and_the_rest_left_alone(city_staff, make_talent, run_on_commit):
    f = feed()
    talents = [make_talent(name=f"缴费人{i}") for i in range(3)]
    _load(run_on_commit, city_staff, f, csv_bytes(SI_HEADER, si_rows(talents)))
    rows = si_rows(talents)
    rows[1][5] = "7000.50"
    rows[2][3] = "欠费"
    load = _load(run_on_commit, city_staff, f, csv_bytes(SI_HEADER, rows))
    assert (load.facts_new, load.facts_changed, load.facts_unchanged) == (0, 2, 1)
    fact = Fact.objects.get(talent=talents[1])
    assert fact.value["base"] == 700050 and fact.load_id == load.pk
    assert Fact.objects.get(talent=talents[2]).value["status"] == "arrears"
    assert Fact.objects.get(talent=talents[0]).load_id != load.pk


def test_a_new_month_adds_facts_beside_the_old_ones(city_staff, make_talent, run_on_commit):
    f = feed()
    talent = make_talent()
    _load(run_on_commit, city_staff, f, csv_bytes(SI_HEADER, si_rows([talent], month="2026-09")))
    load = _load(run_on_commit, city_staff, f, csv_bytes(SI_HEADER, si_rows([talent], month="2026年10月")))
    assert load.facts_new == 1
    assert list(Fact.objects.filter(talent=talent).order_by("period").values_list("period", flat=True)) == [
        dt.date(2026, 9, 1), dt.date(2026, 10, 1)]
    assert selectors.latest_fact(talent_id=talent.pk, kind=FactKind.SOCIAL_INSURANCE).period == dt.date(2026, 10, 1)


@pytest.mark.parametrize("header, problem", [
    (["姓名", "证件号码", "缴费状态"], "缺少必填列：缴费月份"),
    (["姓名", "证件号码", "缴费月份", "工资"], "未知列：工资"),
    (["证件号码", "身份证号码", "缴费月份"], "重复的列：身份证号码"),
])
def test_a_file_with_wrong_columns_is_refused_before_anything_is_written(city_staff, header, problem):
    f = feed()
    content = csv_bytes(header, [["x"] * len(header)])
    with pytest.raises(AppError) as refused:
        _submit(city_staff, f, content)
    assert refused.value.status == 400
    assert problem in refused.value.message and f.name in refused.value.message
    assert not Load.objects.exists() and not Fact.objects.exists() and _stored_files() == []


def test_a_bad_id_row_is_reported_by_row_and_column_and_the_others_loaded(city_staff, make_talent, run_on_commit):
    f = feed()
    talent = make_talent()
    good = make_resident_id()
    wrong_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows = [*si_rows([talent]),
        ["甲", wrong_check, "2026-10", "", "", ""],  # row 3
        ["乙", "21010219850615", "2026-10", "", "", ""],  # row 4: too short
        ["丙", make_resident_id(), "2026-13", "", "", ""],  # row 5: no such month
        ["丁", make_resident_id(), "2026-10", "未知", "", "-5"],  # row 6: two problems
        ["戊", "", "2026-10", "", "", ""],  # row 7: no number
    ]
    load = _load(run_on_commit, city_staff, f, csv_bytes(SI_HEADER, rows))
    assert load.status == LoadStatus.DONE and load.facts_new == 1 and load.rejected_rows == 5
    report = [(e["row"], e["field"], e["message"]) for e in load.errors]
    assert (3, "证件号码", f"居民身份证号码“{wrong_check[:4]}{'*' * 13}{wrong_check[-1]}”无效：校验位错误") in report
    assert any(r == 4 and field == "证件号码" and "应为18位" in m for r, field, m in report)
    assert any(r == 5 and field == "缴费月份" and "2026-13" in m for r, field, m in report)
    assert {(r, field) for r, field, _ in report if r == 6} == {(6, "缴费状态"), (6, "缴费基数（元）")}
    assert (7, "证件号码", "证件号码不能为空") in report
    assert wrong_check not in str(load.errors)  # numbers masked in the stored report
    assert Fact.objects.count() == 1


def test_the_same_person_twice_in_one_file_is_reported_against_the_first_row(city_staff, make_talent,
                                                                            run_on_commit):
    f = feed()
    talent = make_talent()
    rows = [*si_rows([talent]), *si_rows([talent], base="9000")]
    load = _load(run_on_commit, city_staff, f, csv_bytes(SI_HEADER, rows))
    assert load.facts_new == 1 and load.rejected_rows == 1
    assert load.errors[0]["row"] == 3 and "与第2行重复" in load.errors[0]["message"]
    assert Fact.objects.get().value["base"] == 600000


def test_unmatched_rows_are_kept_masked_and_matched_once_the_person_is_registered(city_staff, make_talent,
                                                                                run_on_commit):
    f = feed()
    known = make_talent(name="已登记")
    outsider = make_resident_id(birth=dt.date(1990, 3, 3))
    rows = [*si_rows([known]), ["未登记", outsider, "2026-10", "正常缴费", "浑南区", "5000"]]
    load = _load(run_on_commit, city_staff, f, csv_bytes(SI_HEADER, rows))
    assert (load.facts_new, load.unmatched_rows, load.match_rate) == (2, 1, 50.0)
    kept = list(selectors.unmatched_rows(user=city_staff, feed=f))
    assert len(kept) == 1
    assert kept[0].subject_masked == f"{outsider[:4]}{'*' * 13}{outsider[-1]}"
    assert kept[0].subject_key == crypto.lookup_hash(outsider) and kept[0].subject_name == "未登记"
    assert outsider not in str(Fact.objects.values_list(named=True))  # never kept in clear

    registered = make_talent(name="未登记", id_number=outsider)
    again = _load(run_on_commit, city_staff, f, csv_bytes(SI_HEADER, rows))
    assert again.rematched == 1 and again.unmatched_rows == 0 and again.facts_unchanged == 2
    assert Fact.objects.get(subject_key=crypto.lookup_hash(outsider)).talent_id == registered.pk
    assert not selectors.unmatched_rows(user=city_staff, feed=f).exists()


def test_an_excel_file_and_a_gb18030_csv_load_alike(city_staff, make_talent, run_on_commit):
    f = feed()
    talents = [make_talent(name=f"表格{i}") for i in range(2)]
    rows = si_rows(talents)
    excel = _load(run_on_commit, city_staff, f, xlsx_bytes(SI_HEADER, rows), name="社保.xlsx")
    assert excel.facts_new == 2
    chinese = _load(run_on_commit, city_staff, f, csv_bytes(SI_HEADER, rows, encoding="gb18030"))
    assert (chinese.facts_new, chinese.facts_changed, chinese.facts_unchanged) == (0, 0, 2)


def test_an_organization_feed_matches_by_uscc(city_staff, run_on_commit):
    from rencai.organizations.services import organization_create

    f = feed(FactKind.ENTERPRISE_TAX, cadence="yearly")
    org = organization_create(name="沈阳测试科技有限公司", uscc=make_uscc(), kind="enterprise", district="和平区")
    other = make_uscc()
    content = csv_bytes(["统一社会信用代码", "单位名称", "纳税年度", "纳税总额（元）"],
                        [[org.uscc, org.name, "2025", "1,234,567.8"], [other, "未登记公司", "2025年", "10"],
                         ["91210102MA0XXXXXX", "坏代码", "2025", "1"]])
    load = _load(run_on_commit, city_staff, f, content)
    assert (load.facts_new, load.unmatched_rows, load.rejected_rows) == (2, 1, 1)
    fact = Fact.objects.get(organization=org)
    assert fact.value == {"org_name": org.name, "tax": 123456780} and fact.period == dt.date(2025, 1, 1)
    assert "统一社会信用代码“91210102MA0XXXXXX”无效" in load.errors[0]["message"]


def test_a_declared_renter_with_a_home_registered_is_a_discrepancy(city_staff, heping_staff, hunnan_staff,
                                                                   make_talent, run_on_commit):
    f = feed(FactKind.PROPERTY)
    renter = make_talent(name="租房者")  # declares renting (talent_data)
    owner = make_talent(name="有房者", housing_status="本市自有住房", monthly_rent="", rent_area_sqm="")
    header = ["姓名", "证件号码", "登记日期", "房屋坐落区县", "房屋用途", "建筑面积（平方米）"]
    rows = [[t.name, crypto.decrypt(t.id_number_cipher), "2024-05-20", "和平区", "住宅", "89.5"]
            for t in (renter, owner)]
    load = _load(run_on_commit, city_staff, f, csv_bytes(header, rows))
    item = Discrepancy.objects.get()
    assert item.talent == renter and item.status == DiscrepancyStatus.OPEN and item.field == "housing_status"
    assert item.declared == "租房" and "2024年5月20日登记住宅一套（和平区）" in item.verified
    assert load.facts_new == 2
    _load(run_on_commit, city_staff, f, csv_bytes(header, rows))
    assert Discrepancy.objects.count() == 1  # raised once
    assert selectors.open_discrepancy_count(user=heping_staff) == 1
    assert selectors.open_discrepancy_count(user=hunnan_staff) == 0  # scoped by the talent's district

    with pytest.raises(AppError) as refused:
        services.discrepancy_resolve(actor=hunnan_staff, discrepancy_id=item.pk,
                                     resolution=Resolution.REGISTRY_CORRECTED, note="已更正")
    assert refused.value.status == 404
    done = services.discrepancy_resolve(actor=heping_staff, discrepancy_id=item.pk,
                                        resolution=Resolution.REGISTRY_CORRECTED, note="本人确认已购房，已更正")
    assert done.status == DiscrepancyStatus.RESOLVED and done.resolved_by == heping_staff
    with pytest.raises(Conflict):
        services.discrepancy_resolve(actor=heping_staff, discrepancy_id=item.pk,
                                     resolution=Resolution.DECLARATION_UPHELD, note="再次处理")


def test_a_load_run_twice_writes_once(city_staff, make_talent, run_on_commit):
    """A job delivered twice (or re-run by a recovering worker after it finished) does nothing the second time."""
    f = feed()
    talent = make_talent()
    load = _submit(city_staff, f, csv_bytes(SI_HEADER, si_rows([talent])))  # the job not run (no commit here)
    first = services.load_run(load_id=load.pk)
    second = services.load_run(load_id=load.pk)
    assert first.status == second.status == LoadStatus.DONE
    assert Fact.objects.count() == 1 and second.facts_new == 1
    assert Load.objects.get(pk=load.pk).attempts == 1


def test_a_file_with_only_its_header_is_refused_in_chinese():
    si = feed(name="社会保险缴费数据")
    load = services.load_from_bytes(feed_id=si.pk, raw=csv_bytes(SI_HEADER, []), file_name="空.csv")
    with pytest.raises(AppError):
        services.load_run(load_id=load.pk)
    failed = Load.objects.get(pk=load.pk)
    assert failed.status == "failed" and failed.failure == "数据文件：只有表头，没有数据行；未写入任何数据"
