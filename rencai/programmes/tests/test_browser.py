"""In Chromium, issue 8's path from a call to the first payment, as people take it, for each kind of applicant: a
person (staff open the call on the page; the talent applies on a phone), a team (the lead names members from the
registry, each confirms on their own page) and an organization (the employer declares the talent it brought in).
Each goes through the formal check and the panel (staff), the experts' scores (each on their own page), the ranking
and the proposal (staff), the leader's approval and 公示 to the first stage scheduled on the application's page;
the month's run, batch and the bank's returned file (through the services, as finance runs them) then pay it, and
the payee sees it: the talent on 我的待遇, the employer on its programmes page (已到账).

Set up through services or fixtures: only the call (but for the person's), the people, experts and budget line.
Time passing is a database update: the call's window closed before the ranking, the notice period ended."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from rencai import browser
from rencai.accounts.enums import Role
from rencai.browser import confirm, menu
from rencai.programmes.enums import StageStatus, Status
from rencai.programmes.models import Application, Call, GrantStage

from .conftest import ORGANIZATION, PERSON, TEAM, make_call

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PANEL = ("乙", "丙", "丁")  # 甲 works at the applicants' company: stands aside


def login(page, user, *, size: dict = DESKTOP) -> None:
    page.set_viewport_size(size)
    browser.login(page, user.username)


@pytest.fixture
def finance(make_user):
    user = make_user("finance-approver", Role.STAFF, "210100")
    user.user_permissions.add(Permission.objects.get(codename="approve_batch"))
    return user


def open_call_page(page, call: Call) -> None:
    """项目申报 in the menu, then the call in its list (staff's list of calls, an applicant's open calls)."""
    menu(page, "项目申报")
    with page.expect_navigation():
        page.locator("#calls, #open-calls").locator(f"a:text-is('{call.title}')").click()


def start_application(page, user, call: Call, *, size: dict = DESKTOP) -> None:
    """The applicant finds the call on 项目申报 and starts an application (我要申报)."""
    login(page, user, size=size)
    open_call_page(page, call)
    with page.expect_navigation():
        page.click("#apply")


def open_application(page, call: Call, application: Application) -> None:
    """Staff and the leader reach an application from its call's page."""
    open_call_page(page, call)
    with page.expect_navigation():
        page.click(f"#call-applications >> text={application.number}")


def check_and_form_panel(page, staff, call: Call, application: Application, experts) -> None:
    login(page, staff)
    open_application(page, call, application)
    page.click("#check-form button[value=accept]")
    confirm(page, expect="形式审查通过")
    assert "专家评审中" in page.inner_text("#status")
    assert "须回避" in page.inner_text("#panel-form") and "甲专家" in page.inner_text("#panel-form")
    for name in PANEL:
        page.check(f"#panel-form input[value='{experts[name].pk}']")
    page.click("#panel-form button[type=submit]")
    confirm(page, expect="组建评审专家组")
    assert "已评0/3" in page.inner_text("main")


def experts_score(page, call: Call, application: Application, experts, shares=(0.9, 0.8, 0.85)) -> None:
    criteria = list(call.sheet.criteria.all())
    for name, share in zip(PANEL, shares, strict=True):
        login(page, experts[name].user)
        menu(page, "评审任务")
        with page.expect_navigation():
            page.click(f"#assignments >> text={application.number}")
        for criterion in criteria:
            page.fill(f"#c{criterion.pk}", str(round(criterion.maximum * share)))
        page.click("#score-form button[type=submit]")
        confirm(page, expect="确认提交评分")
        assert "您已于" in page.inner_text("#scored")


def rank_and_propose(page, staff, call: Call, application: Application) -> None:
    Call.objects.filter(pk=call.pk).update(closes_on=timezone.localdate() - dt.timedelta(days=1))  # time passes
    login(page, staff)
    open_call_page(page, call)
    page.click("form[action$='/rank/'] button[type=submit]")
    confirm(page, expect="排名")
    row = page.locator("#call-applications tr", has_text=application.number)
    assert "已排名" in row.inner_text()
    with page.expect_navigation():
        row.locator(".award-form button[type=submit]").click()
    assert "已拟立项" in page.inner_text("main")


def leader_approves(page, leader, call: Call) -> None:
    login(page, leader)
    open_call_page(page, call)
    page.click("form[action$='/approve/'] button[type=submit]")
    confirm(page, expect="立项名单")
    assert "公示中" in page.inner_text("#awards")


def notice_period_ends() -> None:
    from rencai.fulfilment.models import PublicNotice
    from rencai.fulfilment.services import notices_close_due

    PublicNotice.objects.filter(subject_kind="programmes.award").update(
        ends_on=timezone.localdate() - dt.timedelta(days=1))
    assert notices_close_due() == (1, 0)


def review_to_award(page, district, city, leader, call: Call, application: Application, experts,
                    shares=(0.9, 0.8, 0.85)) -> None:
    """The district's formal check and panel, the experts' scores, the city's ranking and proposal (the call is
    the city's), the leader's approval, the end of 公示."""
    check_and_form_panel(page, district, call, application, experts)
    experts_score(page, call, application, experts, shares)
    rank_and_propose(page, city, call, application)
    leader_approves(page, leader, call)
    notice_period_ends()


def applicant_opens(page, user, application: Application, *, size: dict = DESKTOP) -> None:
    """The applicant (a talent, a team lead, an employer's HR) finds the application on 项目申报."""
    login(page, user, size=size)
    menu(page, "项目申报")
    with page.expect_navigation():
        page.click(f"#applications >> text={application.number}")


def first_stage_scheduled(page, application: Application) -> GrantStage:
    """On the application's page (the viewer already there or on its way): 已立项, the first stage scheduled."""
    page.reload()
    assert "已立项" in page.inner_text("#status")
    first = page.locator("#stages tbody tr").first.inner_text()
    assert "第1期" in first and "已安排发放" in first
    stage = GrantStage.objects.get(award__application=application, position=1)
    assert stage.status == StageStatus.SCHEDULED
    return stage


def pay_this_month(city_staff, finance, stage: GrantStage) -> None:
    """This month's run, a batch, finance's approval, the bank's returned file: through the services."""
    from rencai.payments import batches
    from rencai.payments.run import pay_month
    from rencai.payments.tests.factories import returned_file

    month = timezone.localdate().replace(day=1)
    assert pay_month(month=month).created == 1
    batch = batches.batch_create(actor=city_staff, month=month)
    batches.batch_transition(actor=finance, batch_id=batch.pk, action="approve")
    line = batch.lines.get()
    assert line.payment.entitlement.grant_reference == stage.reference
    batches.batch_return_import(actor=city_staff, batch_id=batch.pk, upload=returned_file(
        ["reference,amount,result,reason", f"{line.reference},{stage.amount},paid,"]))


def test_a_person_from_the_call_opened_on_the_page_to_the_first_payment(
        page, heping_staff, city_staff, leader, person, experts, budget, finance):
    from rencai.payments.services import bank_account_set

    today = timezone.localdate()
    # The city's staff open the call on the page: one tier of 30万元 (the engine's tier_30), 50% on award, 50% on
    # acceptance.
    login(page, city_staff)
    menu(page, "项目申报")
    with page.expect_navigation():
        page.click("text=发布申报通知")
    page.select_option("#policy", PERSON)
    page.fill("#opens_on", f"{today - dt.timedelta(days=1):%Y-%m-%d}")
    page.fill("#closes_on", f"{today + dt.timedelta(days=20):%Y-%m-%d}")
    page.fill("#money", "600000")
    page.fill("#tier1_label", "30万元档")
    page.fill("#tier1_places", "1")
    page.fill("#tier1_places_max", "2")
    page.fill("#tier1_amount", "300000")
    page.select_option("#tier1_value", "tier_30")
    page.fill("#final_months", "12")
    page.check("input[name=publish]")
    with page.expect_navigation():
        page.click("#call-form button[type=submit]")
    call = Call.objects.get()
    assert call.published and "已发布" in page.inner_text("main") and call.title in page.inner_text("h1")
    budget(PERSON)

    # The talent, on a phone, applies and submits.
    start_application(page, person.user, call, size=PHONE)
    page.fill("#project_title", "工业机器人视觉检测")
    with page.expect_navigation():
        page.click("#save")
    with page.expect_navigation():  # submitting asks nothing first (the checks list what is missing)
        page.click("#submit")
    application = Application.objects.get()
    assert "待形式审查" in page.inner_text("#status") and application.status == Status.SUBMITTED

    review_to_award(page, heping_staff, city_staff, leader, call, application, experts)

    applicant_opens(page, person.user, application, size=PHONE)
    stage = first_stage_scheduled(page, application)
    assert stage.amount == Decimal("150000.00")

    bank_account_set(actor=person.user, talent=person, bank_name="盛京银行和平支行", account_name=person.name,
                     account_number="6216610200001234")
    pay_this_month(city_staff, finance, stage)
    menu(page, "我的待遇")
    schedule = page.locator(".schedule", has_text="产业急需紧缺人才奖励")
    assert schedule.locator(".paid-total").inner_text() == "150000.00"


def test_a_team_from_the_leads_application_and_the_members_confirmations_to_the_first_payment(
        page, heping_staff, city_staff, leader, person, make_member, company, hr, experts, budget, finance):
    from rencai.core import crypto
    from rencai.payments.services import bank_account_set
    from rencai.talents.models import Talent

    members = [make_member("赵敏"), make_member("孙浩", "浑南区")]
    call = make_call(city_staff, TEAM, payee="employer")
    budget(TEAM)

    # The lead, on a phone, names the members from the registry (name and ID number) and saves.
    start_application(page, person.user, call, size=PHONE)
    page.fill("#project_title", "高端装备视觉检测")
    page.fill("#team_name", "视觉检测创新团队")
    page.select_option("#team_kind", "innovation")
    page.select_option("#team_introduced", "1")
    for i, member in enumerate(members, start=1):
        page.fill(f"#member{i}_name", member.name)
        page.fill(f"#member{i}_id_number", crypto.decrypt(Talent.objects.get(pk=member.pk).id_number_cipher))
    with page.expect_navigation():
        page.click("#save")
    application = Application.objects.get()
    assert "赵敏：待确认" in page.inner_text("#members")

    # Each member confirms on their own page (the invitation on 项目申报).
    for member in members:
        login(page, member.user, size=PHONE)
        menu(page, "项目申报")
        with page.expect_navigation():
            page.click("#invitations a")
        with page.expect_navigation():
            page.click("#member-answer button[value='1']")
        assert f"{member.name}：已确认" in page.inner_text("#members")

    applicant_opens(page, person.user, application, size=PHONE)
    with page.expect_navigation():
        page.click("#submit")
    assert "待形式审查" in page.inner_text("#status")

    review_to_award(page, heping_staff, city_staff, leader, call, application, experts, shares=(0.7, 0.75, 0.8))

    # The grant is paid to the team's employer: its HR sees the stage scheduled, then the money received.
    applicant_opens(page, hr, application)
    stage = first_stage_scheduled(page, application)
    bank_account_set(actor=city_staff, organization=company, bank_name="盛京银行和平支行", account_name=company.name,
                     account_number="6216610200005678")
    pay_this_month(city_staff, finance, stage)
    page.goto(page.base_url + "/programmes/employer/")
    assert f"已到账{stage.amount:,.2f}元" in page.inner_text("#received")


def test_an_employer_declares_the_talent_it_brought_in_through_to_the_first_payment(
        page, heping_staff, city_staff, leader, person, hr, experts, budget, finance, urgent_position):
    from rencai.payments.services import bank_account_set
    from rencai.programmes.services import TierInput

    call = make_call(city_staff, ORGANIZATION, stages=[{"trigger": "award", "percent": 100}],
                     tiers=[TierInput(label="15万元档", places=1, places_max=2, amount="150000", value="tier_15")])
    budget(ORGANIZATION)

    # The employer's HR declares its employee and submits: the unit's and the talent's conditions both checked.
    start_application(page, hr, call)
    page.select_option("#talent", str(person.pk))
    page.select_option("#shortage_entry", str(urgent_position.pk))  # the 急需紧缺目录 position
    page.fill("#project_title", f"引进急需紧缺人才{person.name}")
    with page.expect_navigation():
        page.click("#save")
    with page.expect_navigation():
        page.click("#submit")
    application = Application.objects.get()
    assert "待形式审查" in page.inner_text("#status") and "所申报人才本人的条件" in page.inner_text("#eligibility")
    assert "按《急需紧缺人才需求目录》引进：是（岗位：" in page.inner_text("#eligibility")

    review_to_award(page, heping_staff, city_staff, leader, call, application, experts)

    applicant_opens(page, hr, application)
    stage = first_stage_scheduled(page, application)
    assert stage.amount == Decimal("150000.00")  # the engine's 15万元 tier, all on award
    bank_account_set(actor=person.user, talent=person, bank_name="盛京银行和平支行", account_name=person.name,
                     account_number="6216610200001234")
    pay_this_month(city_staff, finance, stage)
    page.goto(page.base_url + "/programmes/employer/")
    assert "已到账150,000.00元" in page.inner_text("#received")
    login(page, person.user, size=PHONE)  # and the talent, paid into their own account, on 我的待遇
    menu(page, "我的待遇")
    assert page.locator(".schedule", has_text="产业急需紧缺人才奖励").locator(".paid-total").inner_text() \
        == "150000.00"
