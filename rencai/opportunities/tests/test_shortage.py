"""急需紧缺人才需求目录: staff keep and publish it, employers submit demand entries that staff decide, Excel in and
out, the public page, and the selector the matching reads."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from rencai.accounts.enums import Role
from rencai.conftest import make_uscc
from rencai.core.errors import AppError, Conflict, NotFound, PermissionDenied, ValidationFailed
from rencai.core.excel import Sheet, xlsx_bytes
from rencai.opportunities import shortage
from rencai.opportunities.models import ShortageCatalog, ShortageEntry

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def chip_maker(db):
    from rencai.organizations.models import Organization

    return Organization.objects.create(name="沈阳芯源微电子设备有限公司", uscc=make_uscc(), kind="enterprise",
                                       district_id="210102", industry="ic")


@pytest.fixture
def chip_hr(make_user, chip_maker):
    return make_user("chip_hr", Role.EMPLOYER, organization=chip_maker)


def entry(position="芯片设计工程师", **overrides):
    values = {"position": position, "skills": "数字集成电路设计；微电子专业", "degree_min": "master",
              "headcount": "5", "urgency": "high"}
    values.update(overrides)
    return shortage.EntryInput(**values)


def _messages(excinfo) -> str:
    return "；".join(e.message for e in excinfo.value.errors) or excinfo.value.message


def test_city_staff_keep_a_catalog_publish_it_and_the_matching_reads_it(city_staff, heping_staff):
    with pytest.raises(PermissionDenied):
        shortage.catalog_create(actor=heping_staff, year=YEAR, industry="ic")
    with pytest.raises(ValidationFailed) as excinfo:
        shortage.catalog_create(actor=city_staff, year=1999, industry="nonsense")
    assert "年度应为" in _messages(excinfo) and "产业链" in _messages(excinfo)
    catalog = shortage.catalog_create(actor=city_staff, year=YEAR, industry="ic")
    with pytest.raises(Conflict):
        shortage.catalog_create(actor=city_staff, year=YEAR, industry="ic")

    with pytest.raises(ValidationFailed) as excinfo:  # every bad field at once, nothing written
        shortage.entry_save(actor=city_staff, catalog_id=catalog.pk,
                            data=entry(position="芯", headcount="0", degree_min="博士后", urgency="很急"))
    text = _messages(excinfo)
    assert all(word in text for word in ("岗位名称", "需求人数", "最低学历", "紧缺程度"))
    assert not ShortageEntry.objects.exists()

    with pytest.raises(ValidationFailed):  # nothing to publish yet
        shortage.catalog_transition(actor=city_staff, catalog_id=catalog.pk, action="publish")
    chip = shortage.entry_save(actor=city_staff, catalog_id=catalog.pk, data=entry(degree_min="硕士", urgency="急需"))
    assert (chip.degree_min, chip.urgency, chip.headcount) == ("master", "high", 5)
    shortage.entry_save(actor=city_staff, catalog_id=catalog.pk, data=entry("工艺整合工程师", headcount=""))
    assert list(shortage.published_entries()) == []  # a draft feeds nothing

    with pytest.raises(PermissionDenied):
        shortage.catalog_transition(actor=heping_staff, catalog_id=catalog.pk, action="publish")
    shortage.catalog_transition(actor=city_staff, catalog_id=catalog.pk, action="publish")
    catalog.refresh_from_db()
    assert catalog.status == "published" and catalog.published_by == city_staff and catalog.published_at
    with pytest.raises(Conflict):  # read-only once published
        shortage.entry_save(actor=city_staff, catalog_id=catalog.pk, data=entry("封装工程师"))
    with pytest.raises(Conflict):
        shortage.entry_delete(actor=city_staff, entry_id=chip.pk)
    with pytest.raises(Conflict):
        shortage.catalog_transition(actor=city_staff, catalog_id=catalog.pk, action="publish")

    rows = list(shortage.published_entries(YEAR))
    assert [r.position for r in rows] == ["工艺整合工程师", "芯片设计工程师"]
    assert rows[0].catalog.industry == "ic" and rows[0].catalog.get_industry_display() == "集成电路"
    assert rows[0].headcount == 1 and list(shortage.published_entries(YEAR - 1)) == []

    shortage.catalog_transition(actor=city_staff, catalog_id=catalog.pk, action="withdraw")
    assert list(shortage.published_entries()) == []
    shortage.entry_delete(actor=city_staff, entry_id=chip.pk)
    assert catalog.entries.count() == 1


def test_employers_submit_demands_that_their_district_decides(chip_hr, chip_maker, city_staff, heping_staff,
                                                               hunnan_staff, leader):
    from rencai.notifications.models import Notification

    with pytest.raises(ValidationFailed) as excinfo:
        shortage.demand_submit(actor=chip_hr, year=YEAR - 1, data=entry(headcount="-3"))
    assert "需求年度" in _messages(excinfo) and "需求人数" in _messages(excinfo)
    with pytest.raises(PermissionDenied):
        shortage.demand_submit(actor=heping_staff, year=YEAR, data=entry())
    first = shortage.demand_submit(actor=chip_hr, year=YEAR, data=entry())
    second = shortage.demand_submit(actor=chip_hr, year=YEAR, data=entry("工艺整合工程师"))
    catalog = first.catalog
    assert (catalog.year, catalog.industry, catalog.status) == (YEAR, "ic", "draft")
    assert first.demand_status == "submitted" and first.organization == chip_maker
    assert Notification.objects.filter(recipient=heping_staff, key=f"shortage-demand-{first.pk}-submitted").exists()
    assert not Notification.objects.filter(recipient=hunnan_staff).exists()

    assert list(shortage.demands_for_staff(user=hunnan_staff, year=YEAR)) == []
    assert len(shortage.demands_for_staff(user=heping_staff, year=YEAR)) == 2
    with pytest.raises(NotFound):  # another district's employer
        shortage.demand_decide(actor=hunnan_staff, entry_id=first.pk, accept=True)
    with pytest.raises(PermissionDenied):
        shortage.demand_decide(actor=leader, entry_id=first.pk, accept=True)
    with pytest.raises(ValidationFailed) as excinfo:
        shortage.demand_decide(actor=heping_staff, entry_id=first.pk, accept=False, reason="")
    assert "理由" in _messages(excinfo)

    shortage.entry_save(actor=city_staff, catalog_id=catalog.pk, data=entry("封装工程师"))
    with pytest.raises(Conflict) as excinfo:  # a demand still waiting holds the publication
        shortage.catalog_transition(actor=city_staff, catalog_id=catalog.pk, action="publish")
    assert "待采纳" in excinfo.value.message

    shortage.demand_decide(actor=heping_staff, entry_id=first.pk, accept=False, reason="与目录已有岗位重复")
    with pytest.raises(Conflict):
        shortage.demand_decide(actor=city_staff, entry_id=first.pk, accept=True)
    shortage.demand_decide(actor=city_staff, entry_id=second.pk, accept=True)
    mine = {e.position: e for e in shortage.demands_of_employer(chip_hr)}
    assert mine["芯片设计工程师"].demand_status == "rejected" and mine["芯片设计工程师"].reason == "与目录已有岗位重复"
    assert mine["工艺整合工程师"].demand_status == "accepted" and mine["工艺整合工程师"].reason == ""

    shortage.catalog_transition(actor=city_staff, catalog_id=catalog.pk, action="publish")
    assert sorted(e.position for e in shortage.published_entries(YEAR)) == ["封装工程师", "工艺整合工程师"]
    with pytest.raises(Conflict) as excinfo:
        shortage.demand_submit(actor=chip_hr, year=YEAR, data=entry("设备工程师"))
    assert "已发布" in excinfo.value.message
    assert catalog.entries.count() == 3


def _upload(rows, header=("岗位名称", "技能和专业要求", "最低学历", "需求人数", "紧缺程度")):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("岗位.xlsx", xlsx_bytes([Sheet("岗位", list(header), rows)]))


def test_import_reports_every_bad_row_and_writes_nothing_unless_all_are_good(city_staff):
    catalog = shortage.catalog_create(actor=city_staff, year=YEAR, industry="new_materials")
    bad = _upload([["碳纤维复合材料研发工程师", "复合材料", "博士", 3, "急需且紧缺"],
                   ["热处理工程师", "", "本科", "三", "紧缺"],
                   ["", "", "大专", 2.5, ""]])
    with pytest.raises(shortage.ImportFailed) as excinfo:
        shortage.entries_import(actor=city_staff, catalog_id=catalog.pk, upload=bad)
    rows = {(r.row, r.column) for r in excinfo.value.rows}
    assert rows == {(3, "需求人数"), (4, "岗位名称"), (4, "最低学历"), (4, "需求人数")}
    assert "第3行“需求人数”" in excinfo.value.message and not catalog.entries.exists()
    with pytest.raises(AppError) as excinfo:
        shortage.entries_import(actor=city_staff, catalog_id=catalog.pk, upload=_upload([], header=("岗位", "人数")))
    assert "未知列" in str(excinfo.value)

    good = _upload([["碳纤维复合材料研发工程师", "复合材料", "博士", 3, "急需且紧缺"],
                    ["热处理工程师", "", "", "", ""]])
    assert shortage.entries_import(actor=city_staff, catalog_id=catalog.pk, upload=good) == 2
    made = {e.position: e for e in catalog.entries.all()}
    assert made["碳纤维复合材料研发工程师"].urgency == "critical" and made["热处理工程师"].headcount == 1
    template = load_workbook(io.BytesIO(shortage.import_template()))
    assert [c.value for c in template.worksheets[0][1]] == [h for _, h in shortage.COLUMNS]


def test_pages_public_export_and_confirmation(client, city_staff, chip_hr, talent_user):
    draft = shortage.catalog_create(actor=city_staff, year=YEAR, industry="robotics")
    shortage.entry_save(actor=city_staff, catalog_id=draft.pk, data=entry("运动控制算法工程师"))
    public = client.get("/opportunities/shortage/published/")
    assert public.status_code == 200 and "运动控制算法工程师" not in public.content.decode()
    assert client.get(f"/opportunities/shortage/{draft.pk}/catalog.xlsx").status_code == 404  # a draft is not public

    client.force_login(city_staff)
    page = client.get(f"/opportunities/shortage/{draft.pk}/").content.decode()
    assert "添加岗位" in page and "发布目录" in page and "robotics" not in page
    bad = client.post(f"/opportunities/shortage/{draft.pk}/entries/new/", {"position": "", "headcount": "x"})
    assert bad.status_code == 422 and "请填写岗位名称" in bad.content.decode()
    asked = client.post(f"/opportunities/shortage/{draft.pk}/act/", {"action": "publish"})
    assert asked.status_code == 200 and "确认发布" in asked.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"  # asked, not done
    done = client.post(f"/opportunities/shortage/{draft.pk}/act/", {"action": "publish", "confirmed": "1"})
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"
    assert "急需紧缺目录" in client.get("/opportunities/shortage/").content.decode()

    client.logout()
    public = client.get(f"/opportunities/shortage/published/?year={YEAR}").content.decode()
    assert "运动控制算法工程师" in public and "机器人" in public and "未列出各条产业链的名称" in public
    sheet = load_workbook(io.BytesIO(client.get(f"/opportunities/shortage/published/{YEAR}.xlsx").content)).active
    assert [c.value for c in sheet[2]][:3] == [YEAR, "机器人", "运动控制算法工程师"]

    client.force_login(talent_user)
    assert client.get("/opportunities/shortage/").status_code == 403
    client.force_login(chip_hr)
    page = client.get("/opportunities/shortage/").content.decode()
    assert "集成电路" in page and "提交需求" in page
    sent = client.post("/opportunities/shortage/demands/new/", {"year": str(YEAR), "position": "芯片设计工程师",
                                                                "headcount": "2", "urgency": "normal"})
    assert sent.status_code == 302
    assert "待采纳" in client.get("/opportunities/shortage/").content.decode()
    assert ShortageCatalog.objects.get(industry="ic").entries.get().demand_status == "submitted"


def test_every_shortage_page_answers_every_role_without_a_server_error(client, make_user, city_staff, heping_staff,
                                                                      leader, chip_hr, talent_user, admin_user):
    from rencai.core.pagewalk import urls_for

    published = shortage.catalog_create(actor=city_staff, year=YEAR, industry="aviation")
    shortage.entry_save(actor=city_staff, catalog_id=published.pk, data=entry("飞机总装工艺工程师"))
    shortage.catalog_transition(actor=city_staff, catalog_id=published.pk, action="publish")
    shortage.demand_submit(actor=chip_hr, year=YEAR, data=entry())
    auditor = make_user("aud", Role.AUDITOR, "210100")
    expert = make_user("exp", Role.EXPERT)
    walked = 0
    for user in (talent_user, chip_hr, heping_staff, city_staff, leader, auditor, expert, admin_user, None):
        client.logout()
        if user is not None:
            client.force_login(user)
            urls = [url for name, url in urls_for(user, downloads=True) if "shortage" in name]
        # anonymous: the city staff's pages (the walker's samples are for accounts), a draft's and all
        for url in urls:
            walked += 1
            status = client.get(url).status_code
            assert status < 500, (getattr(user, "username", "anonymous"), url, status)
    assert walked > 40, walked
