"""The home page says what to do now, per role (core.selectors.home_for): each test creates the work it expects
to see counted, checks the page shows those counts and only within the viewer's jurisdiction, and the query
counts are pinned (a fixed number however much work waits)."""

import datetime as dt
import itertools
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.core.selectors import home_for
from rencai.fulfilment.models import Offer

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf() -> SimpleUploadedFile:
    n = next(_seq)
    return SimpleUploadedFile(f"材料{n}.pdf", PDF + f"\n% {n}\n".encode())


def with_account(make_user, talent, username: str):
    user = make_user(username, Role.TALENT)
    talent.user = user
    talent.save(update_fields=["user"])
    return user


def recognition_submitted(actor, talent_id=None, *, way="direct", category="C", item="C03", submit=True):
    """A recognition application with every required document attached (each a new document on file), and
    the number of documents that put on file."""
    from rencai.recognition import selectors, services

    application = services.application_create(actor=actor, data=services.ApplicationInput(
        way=way, category=category, item_code=item if way == "direct" else "", talent_id=talent_id))
    uploaded = 0
    for requirement in selectors.requirements_for(application):
        if requirement.required:
            services.attachment_add(actor=actor, application_id=application.pk, requirement_id=requirement.pk,
                                    upload=pdf())
            uploaded += 1
    if submit:
        services.application_submit(actor=actor, application_id=application.pk)
    return application, uploaded


def put_on_file(actor, talent, kinds=("degree", "labour_contract")) -> int:
    from rencai.documents.services import document_upload

    for kind in kinds:
        document_upload(actor=actor, talent=talent, kind=kind, upload=pdf())
    return len(kinds)


def tile(html: str, key: str) -> str:
    """The text of the home page's tile (or list line) for one task, up to the next one."""
    parts = html.split(f'data-task="{key}"', 1)
    assert len(parts) == 2, f"首页没有 {key}"
    return re.sub(r"<[^>]+>", " ", parts[1].split('data-task="', 1)[0])


def count_of(html: str, key: str) -> int:
    return int(re.search(r'<div class="num">(\d+)</div>', tile_html(html, key)).group(1))


def tile_html(html: str, key: str) -> str:
    return html.split(f'data-task="{key}"', 1)[1].split('data-task="', 1)[0]


def queries_for(client, user) -> int:
    client.force_login(user)
    client.get("/")  # warm: the session, the working-day calendar's cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured.captured_queries)


# --- district and city officers -------------------------------------------------------------------------

def test_an_officer_sees_their_queues_counted_within_their_district(client, make_user, make_talent, heping_staff,
                                                                   hunnan_staff, city_staff):
    from rencai.conftest import make_uscc
    from rencai.fulfilment import services as fulfilment
    from rencai.fulfilment.models import Application, ApplicationStep
    from rencai.organizations.services import organization_create
    from rencai.talents.models import Talent

    heping = [make_talent(name=f"和平{i}") for i in range(3)]
    hunnan = [make_talent(name=f"浑南{i}", district="浑南区") for i in range(2)]
    documents = {"210102": 0, "210112": 0}
    # recognition: two applications waiting in 和平区, one in 浑南区 (each by the talent, with evidence on file)
    for talent, district in ((heping[0], "210102"), (heping[1], "210102"), (hunnan[0], "210112")):
        _, uploaded = recognition_submitted(with_account(make_user, talent, f"t{talent.pk}"))
        documents[district] += uploaded
    # 政策兑现 entered at the window: two waiting for 和平区's review, one of them past both deadlines
    for talent in heping[:2]:
        documents["210102"] += put_on_file(heping_staff, talent)
        fulfilment.application_submit(actor=heping_staff, talent_id=talent.pk, policy_id="sy-living-subsidy-graduate")
    late = Application.objects.get(talent=heping[0]).current_step_id
    ApplicationStep.objects.filter(pk=late).update(promised_due=dt.date(2020, 1, 2), statutory_due=dt.date(2020, 1, 9))
    # employment claims: one in 浑南区
    org = organization_create(name="浑南测试有限公司", uscc=make_uscc("210112"), kind="enterprise", district="浑南区")
    Talent.objects.filter(pk=hunnan[1].pk).update(organization=org, employment_status="claimed")

    client.force_login(heping_staff)
    html = client.get("/").content.decode()
    assert "今日待办（和平区）" in html
    assert count_of(html, "recognition-submitted") == 2
    assert count_of(html, "documents") == documents["210102"]
    assert count_of(html, "fulfilment") == 2
    assert "超过承诺时限 1 件（其中超过法定时限 1 件）" in tile(html, "fulfilment")
    assert count_of(html, "claims") == 0
    assert 'href="/recognition/queue/?status=submitted"' in html and 'id="document-queue"' in html

    client.force_login(hunnan_staff)
    html = client.get("/").content.decode()
    assert count_of(html, "recognition-submitted") == 1
    assert count_of(html, "documents") == documents["210112"]
    assert count_of(html, "fulfilment") == 0 and "超过承诺时限" not in html
    assert count_of(html, "claims") == 1

    city = home_for(user=city_staff)  # the city office: both districts' recognition and documents
    counts = {t.key: t.count for t in city.tasks}
    assert counts["recognition-submitted"] == 3 and counts["documents"] == sum(documents.values())


def test_other_departments_see_their_own_steps_not_the_talent_office_work(make_user, make_talent, heping_staff):
    from rencai.accounts.models import Department, User
    from rencai.fulfilment import services as fulfilment

    talent = make_talent(name="和平甲")
    put_on_file(heping_staff, talent)
    application, _ = fulfilment.application_submit(actor=heping_staff, talent_id=talent.pk,
                                                   policy_id="sy-living-subsidy-graduate")
    fulfilment.application_approve(actor=heping_staff, application_id=application.pk, reason="同意")
    department = Department.objects.create(name="沈阳市财政局", region_id="210100")
    finance = User.objects.create_user(username="fin", password="pw-for-tests-123", role=Role.STAFF,
                                       department=department)
    city = make_user("city2", Role.STAFF, "210100")
    keys = {t.key: t.count for t in home_for(user=finance).tasks}
    assert "recognition-submitted" not in keys and "documents" not in keys and keys["fulfilment"] == 0
    assert {t.key: t.count for t in home_for(user=city).tasks}["fulfilment"] == 1  # 市人社局审批 is next


def test_an_officer_home_is_a_fixed_number_of_queries(client, make_user, make_talent, city_staff):
    first = make_talent(name="和平甲")
    recognition_submitted(with_account(make_user, first, "t1"))
    few = queries_for(client, city_staff)
    for i in range(3):
        recognition_submitted(with_account(make_user, make_talent(name=f"和平{i}"), f"t{i + 2}"))
    assert queries_for(client, city_staff) == few
    # session, user, department, jurisdiction; recognition, documents, claims; routes, 政策兑现, objections;
    # permissions (2, batches); 一件事 (the item departments, the parts), questions; the kept counts, region;
    # 政策找人's run; the inbox; 项目申报 (applications to check and reports, one query); 决策预警 (one query)
    assert few == 21


# --- talent ---------------------------------------------------------------------------------------------

def test_a_talent_sees_next_steps_and_money(client, talent_user, talent, heping_staff):
    from rencai.documents.services import document_transition, document_upload
    from rencai.payments.models import Entitlement, Payment, add_months
    from rencai.recognition import services as recognition
    from rencai.talents.models import Talent

    Talent.objects.filter(pk=talent.pk).update(employer_type="enterprise")  # a company's 博士 renting: 房租补贴
    application, _ = recognition_submitted(talent_user)
    first = application.attachments.order_by("pk").first()
    recognition.application_return(actor=heping_staff, application_id=application.pk,
                                   problems={first.requirement_id: "扫描件不清晰"}, note="请补充清晰扫描件")
    rent = document_upload(actor=talent_user, talent=talent, kind="rent_contract", upload=pdf())
    document_transition(actor=heping_staff, document_id=rent.pk, action="reject", reason="缺少出租方签字页")
    client.force_login(talent_user)
    html = client.get("/").content.decode()
    # a company's 博士 renting in 和平区 qualifies for both, has applied for neither: both offered, with the form
    assert 'href="/fulfilment/apply/sy-rent-subsidy/"' in html and "apply-sy-living-subsidy-graduate" in html
    offer = Offer.objects.create(talent=talent, policy="sy-living-subsidy-graduate", policy_title="高校毕业生生活补贴",
                                 monthly_fen=250_000)
    html = client.get("/").content.decode()  # offered (免申即享): confirmed, not applied for as well
    assert f'data-task="offer-{offer.pk}"' in html and "apply-sy-living-subsidy-graduate" not in html
    # amounts as the policies state them, the same in every step: 每月 2,500 元 (not 2500.00 beside 1500)
    assert "每月 2,500 元" in html and "2500.00" not in html and "每月 1,500 元" in html
    offer.delete()
    assert 'id="money"' in html and "没有按月发放的待遇" in html
    month = timezone.localdate().replace(day=1)
    entitlement = Entitlement.objects.create(
        talent=talent, policy="sy-living-subsidy-graduate", monthly_fen=250_000, months=36,
        start_month=add_months(month, -2), end_month=add_months(month, 33), created_by=heping_staff)
    for back, status in ((2, "paid"), (1, "paid")):
        Payment.objects.create(entitlement=entitlement, policy=entitlement.policy, month=add_months(month, -back),
                               amount_fen=250_000, status=status, paid_at=timezone.now())

    html = client.get("/").content.decode()
    steps = re.findall(r'data-task="([^"]+)"', html.split('id="next-steps"')[1].split("</ol>")[0])
    assert steps[0] == f"recognition-returned-{application.pk}"  # an answer owed comes first
    assert "document-rent_contract" in steps and "缺少出租方签字页" in tile(html, "document-rent_contract")
    assert "bank-account" in steps  # money waits for an account
    # the subsidy now received is not offered again, nor the rent subsidy it excludes (不可兼得)
    assert not [s for s in steps if s.startswith("apply-")]
    paid_this_year = sum(p.amount_fen for p in Payment.objects.filter(month__year=month.year)) / 100
    assert re.search(r'id="money-monthly">2,500\.00<', html)
    assert re.search(rf'id="money-year">{paid_this_year:,.2f}<', html)
    assert re.search(r'id="money-next">2,500\.00<', html) and f"{month:%Y}年{month.month}月" in html
    assert "认定审核" not in html and "评审任务" not in html  # the staff's and the experts' words stay theirs

    document_upload(actor=talent_user, talent=talent, kind="rent_contract", upload=pdf())  # answered
    html = client.get("/").content.decode()
    assert 'data-task="document-rent_contract"' not in html


def test_a_talent_is_asked_only_what_they_can_fill_in(client, talent_user, talent):
    from rencai.talents.models import Talent

    Talent.objects.filter(pk=talent.pk).update(housing_status="", monthly_rent=None, rent_area_sqm=None)
    client.force_login(talent_user)
    html = client.get("/").content.decode()
    profile = tile(html, "profile")
    assert "住房情况" in profile and 'href="/me/edit/"' in tile_html(html, "profile")
    assert "人才公寓" not in profile  # an office's fact is never asked of the talent
    assert 'data-task="recognition-apply"' in html  # not recognised, nothing under way: 申请人才认定
    Talent.objects.filter(pk=talent.pk).update(housing_status="renting")
    profile = tile(client.get("/").content.decode(), "profile")
    assert "月租金" in profile and "租住面积" in profile and "住房情况" not in profile


def test_an_account_without_a_registry_record_is_told_so(client, make_user):
    user = make_user("nobody", Role.TALENT)
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "尚未关联人才档案" in html


def test_a_talent_home_is_a_fixed_number_of_queries(client, talent_user, talent, heping_staff):
    from rencai.documents.services import document_transition, document_upload
    from rencai.payments.models import Entitlement, Payment, add_months

    month = timezone.localdate().replace(day=1)

    def entitlement(policy):
        made = Entitlement.objects.create(talent=talent, policy=policy, monthly_fen=60_000, months=12,
                                          start_month=add_months(month, -1), end_month=add_months(month, 10),
                                          created_by=heping_staff)
        Payment.objects.create(entitlement=made, policy=policy, month=add_months(month, -1), amount_fen=60_000,
                               status="paid", paid_at=timezone.now())

    entitlement("sy-living-subsidy-graduate")
    few = queries_for(client, talent_user)
    entitlement("sy-rent-subsidy")
    for kind in ("rent_contract", "degree", "transcript"):
        document = document_upload(actor=talent_user, talent=talent, kind=kind, upload=pdf())
        document_transition(actor=heping_staff, document_id=document.pk, action="reject", reason="不清晰")
    assert queries_for(client, talent_user) == few
    # session, user, talent; recognition, offers, documents, 政策兑现; 一件事 (open requests, the specialist); the
    # schedules (entitlements, payments, stops), the bank account; the calculator's profile (received: 2,
    # recognitions: 2, 揭榜挂帅 awards: 1); the inbox; where the profile's facts come from (the data centre's
    # verification, the valid recognition, the change log); 项目申报 (invitations and reports owed, one query)
    assert few == 23, few


# --- employer -------------------------------------------------------------------------------------------

@pytest.fixture
def employer_world(make_user, make_talent, admin_user, heping_staff):
    from rencai.conftest import make_uscc
    from rencai.organizations.services import organization_create
    from rencai.recognition import services as recognition

    org = organization_create(name="沈阳新松测试有限公司", uscc=make_uscc(), kind="enterprise", district="和平区")
    employer = make_user("hr", Role.EMPLOYER, organization=org)
    staff = [make_talent(name=f"员工{i}", organization_uscc=org.uscc) for i in range(4)]
    returned, _ = recognition_submitted(employer, staff[0].pk, category="D", item="D02")
    first = returned.attachments.order_by("pk").first()
    recognition.application_return(actor=heping_staff, application_id=returned.pk,
                                   problems={first.requirement_id: "请上传职称证书原件扫描件"})
    waiting, _ = recognition_submitted(employer, staff[1].pk, category="D", item="D02")
    draft, _ = recognition_submitted(employer, staff[2].pk, category="D", item="D02", submit=False)
    year = timezone.localdate().year
    authorization = recognition.employer_authorize(
        actor=admin_user, organization_id=org.pk, valid_from=dt.date(year, 1, 1), valid_until=dt.date(year, 12, 31),
        criteria="年薪（测试）", quotas=[recognition.QuotaInput("D", 10, 200000, None)])
    authorization.quotas.filter(category="D").update(used=3)
    return {"employer": employer, "returned": returned, "waiting": waiting, "draft": draft, "staff": staff,
            "authorization": authorization}


def test_an_employer_sees_returned_applications_first_and_its_quota(client, employer_world, make_user, make_talent):
    from rencai.conftest import make_uscc
    from rencai.organizations.services import organization_create

    other_org = organization_create(name="别家测试有限公司", uscc=make_uscc(), kind="enterprise", district="和平区")
    other = make_user("hr2", Role.EMPLOYER, organization=other_org)
    outsider = make_talent(name="别家员工", organization_uscc=other_org.uscc)
    other_application, _ = recognition_submitted(other, outsider.pk, category="D", item="D02")

    world = employer_world
    client.force_login(world["employer"])
    html = client.get("/").content.decode()
    steps = re.findall(r'data-task="([^"]+)"', html.split('id="next-steps"')[1].split("</ol>")[0])
    assert steps == [f"recognition-{world['returned'].pk}", f"recognition-{world['draft'].pk}"]
    assert f"recognition-{world['waiting'].pk}" in html.split('id="under-way"')[1]
    assert re.search(r'id="count-returned">1<', html) and re.search(r'id="count-open">3<', html)
    quota = world["authorization"].quotas.get(category="D")
    row = html.split('data-category="D"')[1].split("</tr>")[0]
    assert f'class="used">{quota.used}<' in row and f'class="left">{quota.quota - quota.used}<' in row
    assert other_application.number not in html  # another employer's application


def test_an_employer_home_is_a_fixed_number_of_queries(client, employer_world):
    few = queries_for(client, employer_world["employer"])
    for talent in employer_world["staff"][3:]:
        recognition_submitted(employer_world["employer"], talent.pk, category="D", item="D02")
    assert queries_for(client, employer_world["employer"]) == few
    # session, user, organization; the applications' counts and first lines; the authorisation and its quotas;
    # claims; 项目申报 (endorsements and reports owed, one query); 政策兑现; the inbox
    assert few == 11, few


# --- expert ---------------------------------------------------------------------------------------------

@pytest.fixture
def panel(make_user, make_talent, heping_staff):
    """A review application with a panel of three experts, one of whom has scored."""
    from rencai.recognition import services as recognition
    from rencai.reviews.models import Assignment, Expert

    experts = [Expert.objects.create(user=make_user(f"e{i}", Role.EXPERT), name=f"专家{i}", affiliation="某研究院")
               for i in range(3)]

    def make(name):
        applicant = with_account(make_user, make_talent(name=name), f"a{next(_seq)}")
        application, _ = recognition_submitted(applicant, way="review", category="D")
        recognition.application_accept(actor=heping_staff, application_id=application.pk)
        recognition.application_panel_form(actor=heping_staff, application_id=application.pk,
                                           expert_ids=[e.pk for e in experts])
        return application

    application = make("评审甲")
    scored = Assignment.objects.get(panel__object_id=application.pk, expert=experts[2])
    recognition.review_score_submit(actor=experts[2].user, assignment_id=scored.pk, comment="好",
                                    scores=dict.fromkeys(("professional", "potential", "experience", "contribution",
                                                          "remuneration"), 15))
    return {"experts": experts, "application": application, "make": make}


def test_an_expert_sees_assignments_to_score_with_their_deadlines(client, panel):
    from rencai.reviews.models import Assignment
    from rencai.workdays import add_working_days

    experts = panel["experts"]
    older = panel["make"]("评审乙")
    late = Assignment.objects.get(panel__object_id=older.pk, expert=experts[0])
    Assignment.objects.filter(pk=late.pk).update(assigned_at=timezone.now() - dt.timedelta(days=40))
    late.refresh_from_db()
    days = panel["application"].standard.review_days
    client.force_login(experts[0].user)
    html = client.get("/").content.decode()
    steps = re.findall(r'data-task="([^"]+)"', html.split('id="next-steps"')[1].split("</ol>")[0])
    fresh = Assignment.objects.get(panel__object_id=panel["application"].pk, expert=experts[0])
    assert steps == [f"score-{late.pk}", f"score-{fresh.pk}"]  # the overdue one first
    late_due = add_working_days(timezone.localtime(late.assigned_at).date(), days)
    fresh_due = add_working_days(timezone.localtime(fresh.assigned_at).date(), days)
    assert f"已超过 {late_due:%Y-%m-%d}" in tile(html, f"score-{late.pk}")
    assert "已超期" in tile(html, f"score-{late.pk}")
    assert f"请于 {fresh_due:%Y-%m-%d} 前完成评分" in tile(html, f"score-{fresh.pk}")
    assert "待评分（2件）" in html and re.search(r'id="scored">0<', html)
    listed = client.get("/recognition/reviews/").content.decode()  # the task list says the same
    assert f"{fresh_due:%Y-%m-%d}" in listed and f"{late_due:%Y-%m-%d}" in listed and listed.count("已超期") == 1
    client.force_login(experts[2].user)  # scored the first: one left, from the second application
    html = client.get("/").content.decode()
    assert "待评分（1件）" in html and re.search(r'id="scored">1<', html)


def test_an_expert_home_is_a_fixed_number_of_queries(client, panel):
    expert = panel["experts"][0].user
    few = queries_for(client, expert)
    panel["make"]("评审丙")
    panel["make"]("评审丁")
    assert queries_for(client, expert) == few
    # session, user; the assignments to score (one query with the application, talent and standard); scored;
    # the expert record; the inbox
    assert few == 6, few


# --- leader ---------------------------------------------------------------------------------------------

def test_a_leader_sees_headline_figures_of_their_jurisdiction(client, make_user, make_talent, leader):
    from rencai.payments.models import BudgetLine
    from rencai.talents.models import Talent

    year = timezone.localdate().year
    lines = [("sy-rent-subsidy", 2_000_000_00, 40_000_00), ("sy-living-subsidy-graduate", 3_000_000_00, 125_000_00)]
    for policy, amount, paid in lines:
        BudgetLine.objects.create(policy=policy, year=year, amount_fen=amount, committed_fen=paid, paid_fen=paid)
    BudgetLine.objects.create(policy="sy-rent-subsidy", year=year - 1, amount_fen=9_999_00, paid_fen=9_999_00)
    heping = [make_talent(name=f"和平{i}") for i in range(3)]
    make_talent(name="浑南甲", district="浑南区")
    Talent.objects.filter(pk=heping[0].pk).update(talent_category="C", category_recognized_on="2022-03-01")
    recognition_submitted(with_account(make_user, heping[1], "t1"))
    district_leader = make_user("leader2", Role.LEADER, "210102")

    client.force_login(leader)
    html = client.get("/").content.decode()
    paid = Decimal(sum(p for _, _, p in lines)) / 100
    amount = Decimal(sum(a for _, a, _ in lines)) / 100
    assert re.search(rf'id="budget-paid">{paid:,.2f}<', html)
    assert re.search(rf'id="budget-amount">{amount:,.2f}<', html)
    assert '<div class="num">4</div>登记人才' in html and re.search(r'id="recognised-total">1<', html)
    assert count_of(html, "recognition") == 1
    client.force_login(district_leader)
    html = client.get("/").content.decode()
    assert '<div class="num">3</div>登记人才' in html and count_of(html, "recognition") == 1
    assert "认定审核" in html  # the menu; a leader's home adds no work of the talent office's own
    assert 'data-task="documents"' not in html


# --- auditor and administrator --------------------------------------------------------------------------

def test_an_auditor_sees_the_last_week_of_their_scope(client, make_user, make_talent, heping_staff, city_staff):
    from rencai.talents.services import talent_reveal

    heping = make_talent(name="和平甲")
    hunnan = make_talent(name="浑南甲", district="浑南区")
    for _ in range(2):
        talent_reveal(actor=heping_staff, talent_id=heping.pk, field="id_number", reason="核对身份")
    talent_reveal(actor=city_staff, talent_id=hunnan.pk, field="id_number", reason="核对身份")
    city_auditor = make_user("aud", Role.AUDITOR, "210100")
    heping_auditor = make_user("aud2", Role.AUDITOR, "210102")
    client.force_login(heping_auditor)
    html = client.get("/").content.decode()
    assert count_of(html, "audit-reveal") == 2
    assert f"/audit/?action=reveal&amp;date_from={timezone.localdate() - dt.timedelta(days=6):%Y-%m-%d}" in html
    client.force_login(city_auditor)
    assert count_of(client.get("/").content.decode(), "audit-reveal") == 3


def test_an_administrator_sees_their_own_tasks(client, admin_user):
    from rencai.jobs.models import Job, JobStatus
    from rencai.workdays.services import CalendarMissing, year_calendar

    job = Job.objects.create(kind="match", title="政策找人重新计算", status=JobStatus.FAILED,
                             finished_at=timezone.now(), error="测试失败")
    client.force_login(admin_user)
    html = client.get("/").content.decode()
    steps = re.findall(r'data-task="([^"]+)"', html.split('id="next-steps"')[1].split("</ol>")[0])
    assert "jobs-failed" in steps and f'href="/jobs/{job.pk}/"' in html
    assert "standard-example" in steps  # the shipped standard is an example
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        try:
            due = year_calendar(year).provisional
        except CalendarMissing:
            due = True
        assert (f"calendar-{year}" in steps) == due
    assert 'data-task="recognition-submitted"' in html and 'data-task="audit-reveal"' in html  # every office's


# --- 人才服务 and 咨询与评价 ------------------------------------------------------------------------------

@pytest.fixture
def service_world(make_user, make_talent, talent_user, talent):
    """A B-class talent's open bundle request (two parts: 教育局, 公安局, city level), their specialist, and the
    two city officers."""
    from rencai.accounts.models import Department, User
    from rencai.services import services
    from rencai.services.models import Specialist
    from rencai.talents.models import Talent

    services.catalog_sync()
    Talent.objects.filter(pk=talent.pk).update(talent_category="B")

    def officer(username, department):
        dept, _ = Department.objects.get_or_create(name=department, region_id="210100")
        return User.objects.create_user(username=username, password="pw-for-tests-123", role=Role.STAFF,
                                        department=dept, display_name=username)

    education = officer("edu", "沈阳市教育局")
    specialist = Specialist.objects.create(user=officer("sp", "沈阳市就业和人才服务中心"))
    User.objects.filter(pk=specialist.user_id).update(display_name="赵专员")
    services.specialists_assign()
    request = services.request_create(actor=talent_user, talent_id=talent.pk, bundle_key="sy-come-to-shenyang",
                                      item_keys=["ln-child-schooling", "ln-settlement"])
    return {"education": education, "request": request}


def test_an_officer_sees_their_departments_service_parts_and_questions(client, service_world, talent_user,
                                                                      heping_staff, hunnan_staff):
    from rencai.feedback import services as feedback
    from rencai.feedback.models import Consultation
    from rencai.services.models import RequestPart

    education = service_world["education"]
    keys = {t.key: t for t in home_for(user=education).tasks}
    assert keys["services"].count == 1 and keys["services"].overdue == 0
    today = timezone.localdate()
    RequestPart.objects.filter(department="教育局").update(started_on=today - dt.timedelta(days=10),
                                                          promised_due=today - dt.timedelta(days=1))
    client.force_login(education)
    html = client.get("/").content.decode()
    assert count_of(html, "services") == 1 and "超过承诺办结日 1 项" in tile(html, "services")
    question = feedback.consultation_ask(actor=talent_user, question="要什么材料？", policy_id="sy-rent-subsidy")
    assert {t.key: t.count for t in home_for(user=heping_staff).tasks}["questions"] == 1
    assert {t.key: t.count for t in home_for(user=hunnan_staff).tasks}["questions"] == 0  # another district
    Consultation.objects.filter(pk=question.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    assert {t.key: t.overdue for t in home_for(user=heping_staff).tasks}["questions"] == 1
    assert "feedback-cases" not in {t.key for t in home_for(user=heping_staff).tasks}  # not a supervisor


def test_a_supervisor_sees_open_cases_and_late_call_backs(client, make_user, talent_user, talent, heping_staff):
    from django.contrib.auth.models import Permission

    from rencai.accounts.models import User
    from rencai.feedback import services as feedback
    from rencai.feedback.models import Case

    lead = make_user("lead", Role.STAFF, "210102")
    lead.user_permissions.add(Permission.objects.get(codename="supervise", content_type__app_label="feedback"))
    lead = User.objects.get(pk=lead.pk)
    department = heping_staff.department
    feedback.complaint_file(actor=talent_user, about_kind="department", department_id=department.pk, text="慢")
    client.force_login(lead)
    html = client.get("/").content.decode()
    assert count_of(html, "feedback-cases") == 1 and "超过回访期限" not in tile(html, "feedback-cases")
    Case.objects.update(callback_due=timezone.localdate() - dt.timedelta(days=1))
    assert "超过回访期限 1 件" in tile(client.get("/").content.decode(), "feedback-cases")


def test_a_talent_sees_their_open_requests_and_specialist(client, service_world, talent_user):
    client.force_login(talent_user)
    html = client.get("/").content.decode()
    request = service_world["request"]
    assert "2项中已办结0项" in tile(html, f"service-request-{request.pk}")
    assert "您的服务专员：赵专员" in tile(html, "specialist")


def test_a_leader_sees_satisfaction_this_year(client, talent_user, talent, heping_staff, leader, make_user):
    from rencai.feedback import services as feedback
    from rencai.feedback.enums import Grade

    for grade in (Grade.VERY_SATISFIED, Grade.BASIC):
        question = feedback.consultation_ask(actor=talent_user, question="问", policy_id="sy-rent-subsidy")
        feedback.consultation_transition(actor=heping_staff, consultation_id=question.pk, action="answer",
                                         answer="答")
        feedback.rating_give(actor=talent_user, subject_kind="feedback.consultation", subject_id=question.pk,
                             grade=grade)
    client.force_login(leader)
    html = client.get("/").content.decode()
    line = tile(html, "satisfaction")
    assert count_of(html, "satisfaction") == 2 and "满意及以上占 50.0%" in line and "/feedback/satisfaction/" in html
    client.force_login(make_user("leader3", Role.LEADER, "210112"))  # 浑南区: none of these
    assert "今年尚无评价" in tile(client.get("/").content.decode(), "satisfaction")


def test_the_service_and_feedback_lines_stay_flat(client, service_world, make_user, make_talent, talent_user,
                                                  heping_staff, leader):
    """More requests, questions, cases and ratings: the same number of queries for each role."""
    from django.contrib.auth.models import Permission

    from rencai.accounts.models import User
    from rencai.feedback import services as feedback
    from rencai.feedback.enums import Grade
    from rencai.services import services

    lead = make_user("lead", Role.STAFF, "210102")
    lead.user_permissions.add(Permission.objects.get(codename="supervise", content_type__app_label="feedback"))
    lead = User.objects.get(pk=lead.pk)

    def more(n):
        for _ in range(n):
            other = make_talent(name=f"服务{next(_seq)}")
            with_account(make_user, other, f"st{next(_seq)}")
            type(other).objects.filter(pk=other.pk).update(talent_category="C")
            other.refresh_from_db()
            services.request_create(actor=other.user, talent_id=other.pk, item_keys=["ln-settlement"])
            question = feedback.consultation_ask(actor=talent_user, question="问", policy_id="sy-rent-subsidy")
            feedback.consultation_transition(actor=heping_staff, consultation_id=question.pk, action="answer",
                                             answer="答")
            feedback.rating_give(actor=talent_user, subject_kind="feedback.consultation", subject_id=question.pk,
                                 grade=Grade.DISSATISFIED, comment="不清楚")
            feedback.consultation_ask(actor=talent_user, question="再问", policy_id="sy-rent-subsidy")

    users = [service_world["education"], heping_staff, lead, leader, talent_user]
    more(1)
    few = [queries_for(client, u) for u in users]
    more(2)
    assert [queries_for(client, u) for u in users] == few
