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


def _launch(pw):
    return pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)


class _Shared:
    """One Chromium for the browser tests of a process (a pytest worker): launching it is the slow part of a
    browser test; each test still gets a context of its own (cookies, storage, viewport: a fresh profile)."""

    playwright = None
    browser = None


def shared_browser():
    if _Shared.browser is None or not _Shared.browser.is_connected():
        close_shared_browser()
        from playwright.sync_api import sync_playwright

        _Shared.playwright = sync_playwright().start()
        _Shared.browser = _launch(_Shared.playwright)
    return _Shared.browser


def close_shared_browser() -> None:
    """Close the shared Chromium, if open. Playwright's sync API keeps its event loop marked running in the
    thread while it is started, so the tests' fixtures close it before any test that does not drive a browser
    (code that checks for a running loop — Dask's client, async_to_sync — would see it)."""
    browser, playwright = _Shared.browser, _Shared.playwright
    _Shared.browser = _Shared.playwright = None
    try:
        if browser is not None and browser.is_connected():
            browser.close()
    finally:
        if playwright is not None:
            playwright.stop()


@contextmanager
def browser_page(browser=None):
    """A fresh page (in a context of its own) that records JavaScript errors, console errors and failed
    sub-resources (scripts, styles) in ``page.js_errors``. A document answered with a deliberate 4xx (a form error)
    is not an error, nor is a form's refusal fetched by htmx (422, 409). ``browser``: an open Chromium (e.g.
    ``shared_browser()``), closed by its owner; without it, one is launched for this page and closed after."""
    if browser is not None:
        context = browser.new_context(locale="zh-CN", accept_downloads=True)
        try:
            yield _recording(context.new_page())
        finally:
            context.close()
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        own = _launch(pw)
        try:
            yield _recording(own.new_context(locale="zh-CN", accept_downloads=True).new_page())
        finally:
            own.close()


def _recording(page):
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and not msg.text.startswith("Failed to load resource")
            and page.js_errors.append(msg.text))
    page.on("response", lambda r: r.status >= 400 and not _deliberate(r)
            and page.js_errors.append(f"{r.status} {r.url}"))
    return page


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


def login(page, username: str, *, form: bool = False) -> None:
    """Sign in as a fresh visitor and land on the home page (the tests' users share one password). By default
    without the login page, with the cookie of a session opened for the user (``session_cookie``): a test that
    is not about logging in need not fill the form each time; ``form=True`` fills and submits the form."""
    page.context.clear_cookies()
    if not form:
        page.context.add_cookies([session_cookie(username, page.base_url)])
        page.goto(page.base_url + "/")
        return
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-123")
    page.click("button[type=submit]")
    page.wait_for_url(page.base_url + "/")


def session_cookie(username: str, url: str) -> dict:
    """The session cookie of a session signed in as ``username`` (Django's own login, as the login page does
    it after checking the password), for a browser context's ``add_cookies``."""
    from django.conf import settings
    from django.test import Client

    from rencai.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend")
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": url}


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
