"""The home pages in Chromium, as people would arrive on them: a district officer on a phone finds their
queues with counts and opens one; the talent on a phone sees their next step and money; an expert at a desk
opens the assignment due first. Both sizes: nothing overflows sideways, the phone's header stays short."""

import re

import pytest

from .test_page_walk import DESKTOP, PHONE, _layout_problems, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _demo_world() -> None:
    """The demo as `rencai demo` makes it (a small pool), with 政策找人 run."""
    import io

    from django.core.management import call_command

    call_command("load_policies", verbosity=0)
    call_command("demo", size=1000, stdout=io.StringIO())
    call_command("match", verbosity=0)


def _open_home(page, username: str, size: dict) -> None:
    page.context.clear_cookies()
    page.set_viewport_size(size)
    _login(page, username, "rencai-demo")
    page.goto(page.base_url + "/")
    assert not _layout_problems(page, phone=size is PHONE), _layout_problems(page, phone=size is PHONE)


def test_home_pages_lead_to_the_work(page, settings, tmp_path):
    from rencai.recognition.models import Application

    settings.MEDIA_ROOT = tmp_path / "media"
    _demo_world()
    waiting = Application.objects.filter(status="submitted", talent__district_id="210102").count()
    assert waiting >= 1

    for size in (PHONE, DESKTOP):
        _open_home(page, "heping_staff", size)
        assert "今日待办（和平区）" in page.inner_text("main")
        tile = page.locator('[data-task="recognition-submitted"]')
        assert tile.locator(".num").inner_text() == str(waiting)
    tile.locator("a").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/recognition/queue/?status=submitted")
    assert re.search(rf"\b{waiting}\b", page.inner_text("main"))

    _open_home(page, "talent", PHONE)
    steps = page.locator("#next-steps li")
    assert steps.count() >= 1 and page.locator("#money").is_visible()
    assert "每月可领" in page.inner_text("#money")

    _open_home(page, "expert1", DESKTOP)
    first = page.locator("#next-steps li a").first
    assert "前完成评分" in page.inner_text("#next-steps")
    first.click()
    page.wait_for_load_state()
    assert "/recognition/reviews/" in page.url
