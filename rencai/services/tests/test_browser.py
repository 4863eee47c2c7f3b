"""In Chromium: a talent (on a phone) requests the bundle 我要来沈工作 with two of its items, the two departments
(教育局, 公安局) each take and close their part from their queue (two officers, two logins, on a desktop; closing
asks first), the talent sees the request done with each outcome and rates it from the request's page with a 差评
(好差评, posted to the feedback app and back to the page), and the supervisor of the department rated — not the
officer — finds the follow-up case in 回访督办."""

import pytest

from rencai.accounts.enums import Role
from rencai.accounts.models import Department, User
from rencai.browser import confirm, login, menu
from rencai.feedback.enums import Grade
from rencai.feedback.models import Case
from rencai.services.models import ServiceRequest

from .conftest import set_category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _officer(username, department, *, supervisor: bool = False):
    from django.contrib.auth.models import Permission

    dept, _ = Department.objects.get_or_create(name=department, region_id="210100")
    names = {"edu": "吴晓梅", "police": "郑国强", "police_lead": "钱志远"}
    user = User.objects.create_user(username=username, password="pw-for-tests-123", role=Role.STAFF,
                                    department=dept, display_name=names[username])
    if supervisor:
        user.user_permissions.add(Permission.objects.get(codename="supervise_services"))
    return user


def _close_part(page, username, title, outcome):
    page.set_viewport_size(DESKTOP)
    login(page, username)
    menu(page, "服务办理")
    page.click("#queue a")  # the request's number (one part waits for this department)
    card = page.locator(".part", has=page.locator(f"h2:text-is('{title}')"))
    with page.expect_navigation():
        card.locator("button[value=assign]").click()  # nothing to confirm: it can be assigned again
    card = page.locator(".part", has=page.locator(f"h2:text-is('{title}')"))
    assert card.locator(".part-status").inner_text() == "办理中"
    card.locator("textarea").fill(outcome)
    card.locator("button[value=complete]").click()
    confirm(page, expect="办结")
    assert "办结" in page.inner_text("main")


def test_a_bundle_from_the_talent_through_two_departments_to_a_rating(page, talent_user, talent):
    from rencai.services.services import catalog_sync

    catalog_sync()
    set_category(talent, "B")
    _officer("edu", "沈阳市教育局")
    police = _officer("police", "沈阳市公安局")
    lead = _officer("police_lead", "沈阳市公安局", supervisor=True)
    page.set_viewport_size(PHONE)
    login(page, talent_user.username)
    menu(page, "人才服务")
    page.click("text=申请“我要来沈工作”")
    assert "兴辽英才计划" in page.inner_text("main")  # the treatment of the talent's level
    page.uncheck("input[value=sy-talent-recognition]")
    page.uncheck("input[value=sy-talent-apartment]")
    with page.expect_navigation():
        page.click("#submit-request")
    assert "各事项已分送承办部门" in page.inner_text("main")
    request = ServiceRequest.objects.get()
    assert sorted(request.parts.values_list("department", flat=True)) == ["公安局", "教育局"]

    _close_part(page, "edu", "子女义务教育阶段就学", "已安排至和平区实验小学二年级")
    _close_part(page, "police", "落户", "落户手续已办结，户口簿可到窗口领取")

    page.set_viewport_size(PHONE)
    login(page, talent_user.username)
    menu(page, "人才服务")
    assert "已办结" in page.inner_text("#requests")
    page.click(f"#requests >> text={request.number}")
    text = page.inner_text("main")
    assert "已安排至和平区实验小学二年级" in text and "户口簿可到窗口领取" in text
    assert page.inner_text("#request-status").startswith("已办结")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # 好差评 from the request's page: a 差评 with its reason, confirmed, and back to the same page.
    page.check(f"#rating input[value={Grade.DISSATISFIED}]")
    page.fill("#rating textarea", "落户要求重复提交材料")
    page.click("#rating button[type=submit]")
    confirm(page, expect="差评将转给被评价人所在部门的主管")
    assert page.url.endswith(f"/services/requests/{request.pk}/")
    case = Case.objects.get()
    assert case.assignee == lead and case.about_person == police
    assert "您的评价：不满意" in page.inner_text("#rating") and "待回访" in page.inner_text("#rating")

    page.set_viewport_size(DESKTOP)
    login(page, lead.username)
    menu(page, "回访督办")
    page.click(f"#cases >> text={case.number}")
    text = page.inner_text("main")
    assert "落户要求重复提交材料" in text and "郑国强" in text
