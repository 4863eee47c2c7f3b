"""Playwright driving Debian's Chromium, shared by the browser tests of every app."""

import os
import shutil
from contextlib import contextmanager

CHROMIUM = os.environ.get("RENCAI_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


def _deliberate(response) -> bool:
    """A refusal the page shows: a document answered with a 4xx, or an htmx fragment answered 422/409 (a form's
    error shown next to its field, static/js/rencai.js)."""
    kind = response.request.resource_type
    return kind == "document" or (kind in ("xhr", "fetch") and response.status in (409, 422))


@contextmanager
def browser_page():
    """A fresh page that records JavaScript errors, console errors and failed sub-resources (scripts, styles)
    in ``page.js_errors``. A document answered with a deliberate 4xx (a form error) is not an error, nor is a form's
    refusal fetched by htmx (422, 409)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            context = browser.new_context(locale="zh-CN", accept_downloads=True)
            page = context.new_page()
            page.js_errors = []
            page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
            page.on("console", lambda msg: msg.type == "error" and not msg.text.startswith("Failed to load resource")
                    and page.js_errors.append(msg.text))
            page.on("response", lambda r: r.status >= 400 and not _deliberate(r)
                    and page.js_errors.append(f"{r.status} {r.url}"))
            yield page
        finally:
            browser.close()


def confirm(page, *, expect: str = "", htmx: bool = False) -> str:
    """Answer the confirmation dialog an irreversible act opens (core/confirm.py, static/js/rencai.js) with its
    confirm button, after checking that it says ``expect``; waits for the page the form leads to (``htmx``: the
    form is swapped in place, no page). Returns the dialog's text."""
    dialog = page.locator("dialog[data-confirm-dialog]")
    dialog.wait_for(state="visible")
    text = dialog.inner_text()
    assert expect in text, text
    if htmx:
        dialog.locator("[data-confirm-yes]").click()
    else:
        with page.expect_navigation():
            dialog.locator("[data-confirm-yes]").click()
    return text


def login(page, username: str) -> None:
    """Sign in through the login page as a fresh visitor (the tests' users share one password)."""
    page.context.clear_cookies()
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-123")
    page.click("button[type=submit]")
    page.wait_for_url(page.base_url + "/")


def menu(page, label: str) -> None:
    """Go to a page through the main menu, as a person would: 菜单 first on a phone, then the group that holds
    the page (人才, 审核, 政策, 管理) if it is in one."""
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    named = f'a:text-is("{label}")'
    link = page.locator(f"header nav {named}").first
    if not link.is_visible():
        page.locator("header nav details.nav-group", has=page.locator(named)).locator("summary").click()
    with page.expect_navigation():
        link.click()
