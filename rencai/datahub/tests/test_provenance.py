"""The registry shows beside each field whether it is declared (by whom) or verified (by which feed, as of when),
on the staff's talent page and the talent's own page; a contradicted field names the open discrepancy."""

import pytest

from rencai.core import crypto
from rencai.datahub import provenance, services
from rencai.datahub.enums import FactKind, Resolution
from rencai.datahub.models import Discrepancy, Load

from .factories import SI_HEADER, csv_bytes, feed

pytestmark = pytest.mark.django_db


def _load(run_on_commit, actor, f, header, rows, name="数据.csv") -> Load:
    from django.core.files.uploadedfile import SimpleUploadedFile

    with run_on_commit():
        load = services.load_submit(actor=actor, feed_id=f.pk, upload=SimpleUploadedFile(name, csv_bytes(header, rows)))
    return Load.objects.get(pk=load.pk)


def test_declared_until_a_feed_vouches_for_it(city_staff, heping_staff, make_talent, run_on_commit):
    talent = make_talent(name="王核验", social_insurance="在本市缴纳")
    before = provenance.talent_provenance(talent)
    assert not before["social_insurance"].verified and before["social_insurance"].text.startswith("申报：工作人员登记")
    si = feed(name="社会保险缴费数据")
    _load(run_on_commit, city_staff, si, SI_HEADER,
          [[talent.name, crypto.decrypt(talent.id_number_cipher), "2026-10", "正常缴费", "和平区", "6000"]])
    after = provenance.talent_provenance(talent)
    assert after["social_insurance"].verified
    assert after["social_insurance"].text.startswith("已核验：社会保险缴费数据（人社局），2026年10月")
    assert after["social_insurance"].short == "人社局数据，截至2026年10月"
    assert not after["highest_degree"].verified  # no certificate loaded
    # A later month stopped: the latest month no longer vouches, and the discrepancy is named.
    _load(run_on_commit, city_staff, si, SI_HEADER,
          [[talent.name, crypto.decrypt(talent.id_number_cipher), "2026-11", "暂停缴费", "和平区", "6000"]],
          name="11月.csv")
    later = provenance.talent_provenance(talent)
    item = Discrepancy.objects.get(talent=talent)
    assert not later["social_insurance"].verified and later["social_insurance"].discrepancy_id == item.pk


def test_both_pages_show_the_source_beside_the_field(client, city_staff, heping_staff, make_talent, make_user,
                                                     run_on_commit):
    talent = make_talent(name="赵博士")  # 博士 declared by staff (talent_data)
    degrees = feed(FactKind.DEGREE, name="学历学位认证数据", cadence="on_change")
    header = ["姓名", "证件号码", "学历", "毕业院校", "毕业日期", "国家/地区", "认证编号"]
    _load(run_on_commit, city_staff, degrees, header,
          [[talent.name, crypto.decrypt(talent.id_number_cipher), "博士", "帝国理工学院", "2021-07-01", "英国", "R1"]])
    client.force_login(heping_staff)
    page = client.get(f"/talents/{talent.pk}/").content.decode()
    assert 'data-field="highest_degree">已核验：学历学位认证数据' in page
    assert 'data-field="housing_status">申报：工作人员登记' in page
    assert crypto.decrypt(talent.id_number_cipher) not in page and talent.id_number_masked in page

    # A property contradicting 租房: the staff page links the discrepancy; once corrected, 自有住房 is verified.
    homes = feed(FactKind.PROPERTY, name="不动产登记数据")
    _load(run_on_commit, city_staff, homes, ["姓名", "证件号码", "登记日期", "房屋用途"],
          [[talent.name, crypto.decrypt(talent.id_number_cipher), "2024-05-20", "住宅"]])
    item = Discrepancy.objects.get()
    page = client.get(f"/talents/{talent.pk}/").content.decode()
    assert f'href="/datahub/discrepancies/{item.pk}/"' in page and "与部门数据不一致，待核实" in page
    services.discrepancy_transition(actor=heping_staff, discrepancy_id=item.pk,
                                    resolution=Resolution.REGISTRY_CORRECTED)
    page = client.get(f"/talents/{talent.pk}/").content.decode()
    assert 'data-field="housing_status">已核验：不动产登记数据' in page

    user = make_user("zhao", "talent")
    talent.user = user
    talent.save(update_fields=["user"])
    client.force_login(user)
    own = client.get("/me/").content.decode()
    assert 'data-field="highest_degree">已核验：学历学位认证数据' in own
    assert "/datahub/" not in own
