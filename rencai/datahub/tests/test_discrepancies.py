"""疑点: each feed that can contradict a declaration raises one discrepancy per (talent, field), once (not again on
a reload), for staff of the talent's current jurisdiction to resolve with the evidence: accepting the feed corrects
the registry (change log and audit log), keeping the declaration needs a reason. Pages, confirmation, Excel."""

import io

import pytest
from openpyxl import load_workbook

from rencai.audit.models import AuditEvent
from rencai.conftest import make_uscc
from rencai.core import crypto
from rencai.core.errors import AppError, Conflict
from rencai.datahub import services
from rencai.datahub.enums import DiscrepancyStatus, FactKind, Resolution
from rencai.datahub.models import Discrepancy, Load
from rencai.talents.models import Talent, TalentChange

from .factories import SI_HEADER, csv_bytes, feed

pytestmark = pytest.mark.django_db


def _load(run_on_commit, actor, f, header, rows, name="数据.csv") -> Load:
    from django.core.files.uploadedfile import SimpleUploadedFile

    with run_on_commit():
        load = services.load_submit(actor=actor, feed_id=f.pk,
                                    upload=SimpleUploadedFile(name, csv_bytes(header, rows)))
    return Load.objects.get(pk=load.pk)


def _id(t) -> str:
    return crypto.decrypt(t.id_number_cipher)


def test_social_insurance_stopped_or_elsewhere_contradicts_paying_in_the_city(city_staff, make_talent,
                                                                               run_on_commit):
    f = feed()
    paying = [make_talent(name=f"参保人{i}", social_insurance="在本市缴纳") for i in range(4)]
    unknown = make_talent(name="未申报")  # declares nothing about social insurance: no contradiction
    rows = [[paying[0].name, _id(paying[0]), "2026-10", "暂停缴费", "和平区", "6000"],
            [paying[1].name, _id(paying[1]), "2026-10", "欠费", "和平区", "6000"],
            [paying[2].name, _id(paying[2]), "2026-10", "正常缴费", "210000", "6000"],  # 省本级参保: not in the city
            [paying[3].name, _id(paying[3]), "2026-10", "正常缴费", "和平区", "6000"],
            [unknown.name, _id(unknown), "2026-10", "暂停缴费", "和平区", "6000"]]
    load = _load(run_on_commit, city_staff, f, SI_HEADER, rows)
    found = {d.talent_id: d for d in Discrepancy.objects.filter(field="social_insurance")}
    assert set(found) == {paying[0].pk, paying[1].pk, paying[2].pk}
    assert "2026年10月暂停缴费" in found[paying[0].pk].verified and found[paying[0].pk].declared == "在本市缴纳"
    assert "欠费" in found[paying[1].pk].verified and "在外地参保" in found[paying[2].pk].verified
    assert load.facts_new == 5
    # The same rows in another file, and the same file again: nothing raised twice.
    _load(run_on_commit, city_staff, f, SI_HEADER, rows[::-1], name="重报.csv")
    _load(run_on_commit, city_staff, f, SI_HEADER, rows)
    assert Discrepancy.objects.count() == 3


def test_accepting_the_feed_corrects_the_registry_with_an_audit_entry(city_staff, heping_staff, hunnan_staff,
                                                                      make_talent, run_on_commit):
    f = feed(FactKind.PROPERTY)
    renter = make_talent(name="租房者")
    header = ["姓名", "证件号码", "登记日期", "房屋坐落区县", "房屋用途", "建筑面积（平方米）"]
    _load(run_on_commit, city_staff, f, header, [[renter.name, _id(renter), "2024-05-20", "和平区", "住宅", "90"]])
    item = Discrepancy.objects.get()
    with pytest.raises(AppError) as refused:
        services.discrepancy_transition(actor=hunnan_staff, discrepancy_id=item.pk,
                                        resolution=Resolution.REGISTRY_CORRECTED)
    assert refused.value.status == 404
    done = services.discrepancy_transition(actor=heping_staff, discrepancy_id=item.pk,
                                           resolution=Resolution.REGISTRY_CORRECTED)
    assert done.status == DiscrepancyStatus.RESOLVED and done.resolved_by == heping_staff
    renter.refresh_from_db()
    assert renter.housing_status == "owns" and renter.monthly_rent is None
    change = TalentChange.objects.filter(talent=renter).latest("pk")
    assert change.actor == heping_staff
    assert change.changes["housing_status"] == {"label": "住房情况", "from": "租房", "to": "本市自有住房"}
    assert AuditEvent.objects.filter(summary__contains="按测试不动产登记数据的核验数据更正 租房者 的住房情况").exists()
    with pytest.raises(Conflict):
        services.discrepancy_transition(actor=heping_staff, discrepancy_id=item.pk,
                                        resolution=Resolution.DECLARATION_UPHELD, note="再次")
    # The registry now agrees: the same home in a later file raises nothing.
    _load(run_on_commit, city_staff, f, header,
          [[renter.name, _id(renter), "2024-05-20", "和平区", "住宅", "90.5"]], name="更正.csv")
    assert Discrepancy.objects.count() == 1


def test_keeping_the_declaration_needs_a_reason_and_changes_nothing(city_staff, heping_staff, make_talent,
                                                                    run_on_commit):
    f = feed(FactKind.RETURNEE, cadence="on_change")
    talent = make_talent(name="国内毕业", school_country="中国", school="东北大学")
    assert talent.returnee is False
    header = ["姓名", "证件号码", "出具日期", "留学国家/地区", "所获学位", "回国日期", "证明编号"]
    _load(run_on_commit, city_staff, f, header, [[talent.name, _id(talent), "2025-03-01", "日本", "硕士",
                                                  "2024-12-01", "LX2025001"]])
    item = Discrepancy.objects.get(field="returnee")
    assert item.declared == "否" and "2025-03-01出具留学回国人员证明（日本）" in item.verified
    with pytest.raises(AppError) as missing:
        services.discrepancy_transition(actor=heping_staff, discrepancy_id=item.pk,
                                        resolution=Resolution.DECLARATION_UPHELD, note=" ")
    assert missing.value.status == 422 and missing.value.errors[0].field == "note"
    services.discrepancy_transition(actor=heping_staff, discrepancy_id=item.pk,
                                    resolution=Resolution.DECLARATION_UPHELD, note="证明系同名他人，已核实")
    talent.refresh_from_db()
    assert talent.returnee is False
    assert not TalentChange.objects.filter(talent=talent, changes__has_key="returnee").exists()


def test_degree_and_skill_level_against_their_certificates(city_staff, heping_staff, make_talent, run_on_commit):
    degrees = feed(FactKind.DEGREE, cadence="on_change")
    doctor = make_talent(name="自称博士")  # declares 博士 (talent_data)
    agrees = make_talent(name="真博士")
    header = ["姓名", "证件号码", "学历", "毕业院校", "毕业日期", "国家/地区", "认证编号"]
    _load(run_on_commit, city_staff, degrees, header, [
        [doctor.name, _id(doctor), "硕士", "东北大学", "2018-07-01", "中国", "R1"],
        [doctor.name, _id(doctor), "本科", "东北大学", "2015-07-01", "中国", "R2"],
        [agrees.name, _id(agrees), "博士", "帝国理工学院", "2021-07-01", "英国", "R3"]])
    item = Discrepancy.objects.get(field="highest_degree")
    assert item.talent == doctor and item.declared == "博士" and "硕士（东北大学" in item.verified
    services.discrepancy_transition(actor=heping_staff, discrepancy_id=item.pk,
                                    resolution=Resolution.REGISTRY_CORRECTED)
    doctor.refresh_from_db()
    assert doctor.highest_degree == "master" and str(doctor.graduation_date) == "2018-07-01"

    skills = feed(FactKind.SKILL, cadence="on_change")
    worker = make_talent(name="技工")  # declares no skill level
    header = ["姓名", "证件号码", "技能等级", "职业（工种）", "发证日期", "证书编号"]
    _load(run_on_commit, city_staff, skills, header, [
        [worker.name, _id(worker), "高级工", "焊工", "2020-05-01", "S1"],
        [worker.name, _id(worker), "技师", "焊工", "2023-05-01", "S2"]])
    item = Discrepancy.objects.get(field="skill_level")
    assert item.declared == "未填写" and "技师（二级）" in item.verified
    services.discrepancy_transition(actor=heping_staff, discrepancy_id=item.pk,
                                    resolution=Resolution.REGISTRY_CORRECTED)
    assert Talent.objects.get(pk=worker.pk).skill_level == "technician"


def test_an_employer_cancelled_in_the_business_register(city_staff, heping_staff, make_talent, run_on_commit):
    from rencai.organizations.services import organization_create

    org = organization_create(name="沈阳将注销科技有限公司", uscc=make_uscc(), kind="enterprise", district="和平区")
    alive = organization_create(name="沈阳存续科技有限公司", uscc=make_uscc(), kind="enterprise", district="和平区")
    staff = make_talent(name="员工", organization_uscc=org.uscc)
    make_talent(name="另一员工", organization_uscc=alive.uscc)
    f = feed(FactKind.BUSINESS)
    header = ["统一社会信用代码", "单位名称", "数据月份", "登记状态"]
    _load(run_on_commit, city_staff, f, header, [[org.uscc, org.name, "2026-10", "注销"],
                                                 [alive.uscc, alive.name, "2026-10", "存续"]])
    item = Discrepancy.objects.get()
    assert item.talent == staff and item.field == "organization" and item.declared == org.name
    assert "注销" in item.verified
    services.discrepancy_transition(actor=heping_staff, discrepancy_id=item.pk,
                                    resolution=Resolution.REGISTRY_CORRECTED)
    staff.refresh_from_db()
    assert staff.organization_id is None


def test_pages_confirmation_and_export(client, city_staff, heping_staff, hunnan_staff, make_talent, run_on_commit):
    f = feed(FactKind.PROPERTY)
    renter = make_talent(name="租房者")
    header = ["姓名", "证件号码", "登记日期", "房屋坐落区县", "房屋用途", "建筑面积（平方米）"]
    _load(run_on_commit, city_staff, f, header, [[renter.name, _id(renter), "2024-05-20", "和平区", "住宅", "90"]])
    item = Discrepancy.objects.get()
    client.force_login(hunnan_staff)
    assert client.get(f"/datahub/discrepancies/{item.pk}/").status_code == 404
    client.force_login(heping_staff)
    page = client.get(f"/datahub/discrepancies/{item.pk}/").content.decode()
    assert "住房情况" in page and "租房 → 本市自有住房" in page and renter.id_number_masked in page
    assert "housing_status" not in page and _id(renter) not in page
    url = f"/datahub/discrepancies/{item.pk}/resolve/"
    asked = client.post(url, {"resolution": Resolution.REGISTRY_CORRECTED})  # no confirmed=1: asks first
    assert asked.status_code == 200 and "确认按核验数据更正登记信息" in asked.content.decode()
    assert Discrepancy.objects.get().status == DiscrepancyStatus.OPEN
    bad = client.post(url, {"resolution": Resolution.DECLARATION_UPHELD, "note": "", "confirmed": "1"})
    assert bad.status_code == 400 and "请填写处理说明" in bad.content.decode()
    done = client.post(url, {"resolution": Resolution.REGISTRY_CORRECTED, "confirmed": "1"})
    assert done.status_code == 302 and Discrepancy.objects.get().status == DiscrepancyStatus.RESOLVED
    again = client.post(url, {"resolution": Resolution.REGISTRY_CORRECTED, "confirmed": "1"})
    assert again.status_code == 409

    response = client.get("/datahub/discrepancies.xlsx?status=resolved")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("姓名", "证件号码", "所在区县", "事项")
    assert rows[1][0] == "租房者" and rows[1][1] == renter.id_number_masked and rows[1][3] == "住房情况"
    assert AuditEvent.objects.filter(action="export", actor=heping_staff, summary__contains="数据疑点").exists()
