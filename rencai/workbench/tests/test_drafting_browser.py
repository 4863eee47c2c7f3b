"""起草辅助 in Chromium at a phone's size, with the page walker's checks: an officer pastes a new policy text,
reads the proposal, follows a value's link to its words in the sentence (the mark becomes the target), and opens
the example ambiguity report; no internal name shows and nothing overflows."""

import pytest

from rencai.core.tests.test_page_walk import PHONE, _layout_problems, internal_names

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "对新引进的全日制博士研究生，给予每人每月3000元生活补贴，最长发放三年；40周岁以下的硕士每月1500元。"


def test_paste_read_follow_a_value_to_its_words_on_a_phone(page, make_user):
    from django.contrib.auth.models import Permission

    from rencai.accounts.enums import Role
    from rencai.browser import login

    officer = make_user("drafter", Role.STAFF, "210100")
    officer.user_permissions.add(Permission.objects.get(codename="edit_rules"))
    page.set_viewport_size(PHONE)
    login(page, "drafter")
    page.goto(f"{page.base_url}/workbench/drafting/")
    page.fill("#text", TEXT)
    page.click("#read")
    page.wait_for_selector("#result")
    failures = [f"起草辅助 手机: {p}" for p in _layout_problems(page, phone=True)]
    assert not internal_names(page.locator("main").inner_text())
    link = page.locator(".draft-rows a", has_text="1500元").first
    target = link.get_attribute("href")
    link.click()
    assert page.evaluate("location.hash") == target
    assert page.locator(f"mark{target}").inner_text() == "1500元"
    page.goto(f"{page.base_url}/workbench/ambiguity/example/")
    assert "左右" in page.locator("main").inner_text()
    failures += [f"歧义检查示例 手机: {p}" for p in _layout_problems(page, phone=True)]
    assert not internal_names(page.locator("main").inner_text())
    assert not failures, "\n".join(failures)
