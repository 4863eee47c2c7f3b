"""The history is recorded at every change of a talent: registration, 信息维护 (a move of district, a new
employer, a corrected start, a new degree), the Excel import (set-based) and an employer's 自主认定."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import Workbook

from rencai.accounts.enums import Role
from rencai.analytics import services
from rencai.analytics.models import EmploymentSpell, Move, Origin
from rencai.conftest import make_resident_id, make_uscc, talent_data
from rencai.organizations.services import organization_create
from rencai.talents import excel
from rencai.talents.services import employment_reject, talent_self_register, talent_update
from rencai.talents.validation import LABELS, talent_input_validate

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _spells(talent):
    return list(EmploymentSpell.objects.filter(talent=talent).order_by("started_on", "id")
                .values_list("district_id", "organization_id", "started_on", "ended_on", "reason"))


def _moves(talent):
    return list(Move.objects.filter(talent=talent).order_by("on", "id")
                .values_list("from_district_id", "to_district_id", "on", "reason"))


def test_registration_opens_a_spell_a_move_into_the_district_and_the_origin(make_talent):
    talent = make_talent(name="新登记")
    assert _spells(talent) == [("210102", None, dt.date(2021, 9, 1), None, "staff")]
    assert _moves(talent) == [(None, "210102", dt.date(2021, 9, 1), "staff")]
    origin = Origin.objects.get(talent=talent)
    assert (origin.kind, origin.country, origin.university, origin.channel, origin.inferred) == (
        "overseas", "英国", "帝国理工学院", "unknown", True)


def test_a_self_registration_is_recorded_as_such_from_the_day_without_a_start():
    data = talent_input_validate(talent_data(id_number=make_resident_id("320102"), employment_start="",
                                             returnee="否", school_country="中国", school="南京大学"))
    talent = talent_self_register(username="self1", password="a-Strong-pass-9", data=data)
    assert _spells(talent) == [("210102", None, TODAY(), None, "registration")]
    origin = Origin.objects.get(talent=talent)
    # a 江苏 身份证 (生源地), a domestic degree: from another province
    assert (origin.kind, origin.province_code, origin.country, origin.university) == (
        "domestic", "320000", "", "南京大学")


def test_a_move_of_district_closes_the_spell_opens_the_next_and_is_a_move(make_talent, admin_user):
    talent = make_talent(name="迁移者")
    talent_update(actor=admin_user, talent_id=talent.pk, changes={"district": "浑南区"})
    today = TODAY()
    assert _spells(talent) == [("210102", None, dt.date(2021, 9, 1), today, "staff"),
                               ("210112", None, today, None, "maintenance")]
    assert _moves(talent)[-1] == ("210102", "210112", today, "maintenance")
    talent_update(actor=admin_user, talent_id=talent.pk, changes={"district": "浑南区", "phone": "13912345678"})
    assert len(_spells(talent)) == 2 and len(_moves(talent)) == 2  # the same district again: no move


def test_a_new_employer_in_the_same_district_is_a_new_spell_and_no_move(make_talent, admin_user):
    org = organization_create(name="测试汽车公司", uscc=make_uscc(), kind="enterprise", district="和平区",
                              industry="automotive")
    talent = make_talent(name="换单位")
    talent_update(actor=admin_user, talent_id=talent.pk,
                  changes={"organization_uscc": org.uscc, "employment_start": f"{TODAY():%Y-%m-%d}"})
    spells = list(EmploymentSpell.objects.filter(talent=talent).order_by("id"))
    assert [(s.organization_id, s.industry, s.ended_on) for s in spells] == [
        (None, "", TODAY()), (org.pk, "automotive", None)]
    assert len(_moves(talent)) == 1
    employment_reject(actor=admin_user, talent_id=talent.pk, reason="并未入职")
    open_spell = EmploymentSpell.objects.get(talent=talent, ended_on=None)
    assert (open_spell.organization_id, open_spell.industry) == (None, "")  # a rejected claim was no employment


def test_a_corrected_start_dates_the_first_spell_and_the_arrival(make_talent, admin_user):
    talent = make_talent(name="改日期")
    talent_update(actor=admin_user, talent_id=talent.pk, changes={"employment_start": "2020-03-01"})
    assert _spells(talent) == [("210102", None, dt.date(2020, 3, 1), None, "staff")]
    assert _moves(talent) == [(None, "210102", dt.date(2020, 3, 1), "staff")]


def test_a_new_degree_reads_the_inferred_origin_again_and_staff_origins_stay(make_talent, admin_user, heping_staff):
    talent = make_talent(name="学历更正")
    talent_update(actor=admin_user, talent_id=talent.pk,
                  changes={"returnee": "否", "school_country": "中国", "school": "东北大学",
                           "graduation_date": "2022-07-01"})
    origin = Origin.objects.get(talent=talent)
    assert (origin.kind, origin.province_code, origin.university) == ("local", "210000", "东北大学")  # a 沈阳 身份证
    services.origin_set(actor=heping_staff, talent_id=talent.pk, kind="overseas", channel="startup_week",
                        country="德国", university="慕尼黑工业大学")
    talent_update(actor=admin_user, talent_id=talent.pk, changes={"returnee": "是"})
    origin.refresh_from_db()
    assert (origin.kind, origin.country, origin.channel, origin.inferred) == ("overseas", "德国", "startup_week",
                                                                             False)


def test_origin_set_checks_its_fields_and_the_jurisdiction(make_talent, hunnan_staff, heping_staff):
    from rencai.core.errors import NotFound, ValidationFailed

    talent = make_talent(name="来源")
    with pytest.raises(NotFound):
        services.origin_set(actor=hunnan_staff, talent_id=talent.pk, kind="local", channel="campus")
    with pytest.raises(ValidationFailed) as refused:
        services.origin_set(actor=heping_staff, talent_id=talent.pk, kind="domestic", channel="nope")
    assert {e.field for e in refused.value.errors} == {"channel", "province_code"}


def test_nothing_relevant_changed_writes_nothing(make_talent, admin_user, django_assert_num_queries):
    talent = make_talent(name="只改电话")
    before = services.history_snapshot(talent)
    with django_assert_num_queries(0):
        services.history_record(talent, before=before, on=TODAY(), reason="maintenance")
    talent_update(actor=admin_user, talent_id=talent.pk, changes={"phone": "13900001111"})
    assert len(_spells(talent)) == 1 and len(_moves(talent)) == 1


def _workbook(rows) -> SimpleUploadedFile:
    wb = Workbook()
    sheet = wb.active
    keys = ["name", "id_number", "district", "highest_degree", "school", "school_country", "graduation_date",
            "returnee", "employment_start"]
    sheet.append([LABELS[k] for k in keys])
    for row in rows:
        sheet.append([row.get(k, "") for k in keys])
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("导入.xlsx", buffer.getvalue())


def _rows(n, prefix):
    return [{"name": f"{prefix}{i}", "id_number": make_resident_id(), "district": "和平区", "highest_degree": "硕士",
             "school": "东京大学" if i % 2 else "东北大学", "school_country": "日本" if i % 2 else "中国",
             "graduation_date": "2020-07-01", "returnee": "是" if i % 2 else "否", "employment_start": "2020-09-01"}
            for i in range(n)]


def test_the_import_records_every_row_in_a_fixed_number_of_queries(heping_staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n, prefix in ((2, "甲"), (12, "乙")):
        with CaptureQueriesContext(connection) as captured:
            result = excel.talent_import(actor=heping_staff, upload=_workbook(_rows(n, prefix)))
        assert result.imported_rows == n
        counts.append(sum(1 for q in captured.captured_queries if "analytics_" in q["sql"]))
    assert counts == [3, 3]  # spells, moves, origins: one insert each, whatever the rows
    imported = EmploymentSpell.objects.filter(reason="import")
    assert imported.count() == 14 and not imported.filter(ended_on__isnull=False).exists()
    assert set(imported.values_list("started_on", flat=True)) == {dt.date(2020, 9, 1)}
    assert Move.objects.filter(reason="import", from_district=None, to_district="210102").count() == 14
    kinds = dict(Origin.objects.filter(talent__name__in=["乙0", "乙1"]).values_list("talent__name", "kind"))
    assert kinds == {"乙0": "local", "乙1": "overseas"}
    assert Origin.objects.get(talent__name="乙1").country == "日本"


def test_one_open_spell_per_talent_is_the_database_s_rule(make_talent):
    talent = make_talent(name="两段")
    with pytest.raises(IntegrityError), transaction.atomic():
        EmploymentSpell.objects.create(talent=talent, district_id="210112", started_on=TODAY(), reason="other")


def test_a_move_needs_a_district_and_a_change(make_talent):
    talent = make_talent(name="空流动")
    with pytest.raises(IntegrityError), transaction.atomic():
        Move.objects.create(talent=talent, on=TODAY(), reason="other")
    with pytest.raises(IntegrityError), transaction.atomic():
        Move.objects.create(talent=talent, from_district_id="210102", to_district_id="210102", on=TODAY(),
                            reason="other")


def test_an_employer_recognition_records_the_channel_where_none_is_known(make_user, make_talent, admin_user,
                                                                         settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the evidence uploaded with the application
    org = organization_create(name="自主认定单位", uscc=make_uscc(), kind="enterprise", district="和平区")
    talent = make_talent(name="自主认定者", organization_uscc=org.uscc)
    user = make_user("zizhu", Role.TALENT)
    talent.user = user
    talent.save(update_fields=["user"])
    employer = make_user("hr_zizhu", Role.EMPLOYER, organization=org)
    _authorize(admin_user, org)
    application = _employer_submit(employer, talent)
    assert application.status == "approved"
    assert Origin.objects.get(talent=talent).channel == "employer_recognition"


def _authorize(admin_user, org):
    from rencai.recognition.services import QuotaInput, employer_authorize

    year = dt.date.today().year
    employer_authorize(actor=admin_user, organization_id=org.pk, valid_from=dt.date(year, 1, 1),
                       valid_until=dt.date(year, 12, 31), criteria="年薪（测试）",
                       quotas=[QuotaInput("C", 1, 500000, 100000)])


def _employer_submit(employer, talent):
    from rencai.recognition.tests.conftest import submitted

    return submitted(employer, way="employer", category="C", talent_id=talent.pk, annual_salary="600000",
                     annual_tax="120000", market_value="30000000")
