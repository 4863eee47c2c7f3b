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


@contextmanager
def browser_page():
    """A fresh page that records JavaScript errors, console errors and failed sub-resources (scripts, styles)
    in ``page.js_errors``. A document answered with a deliberate 4xx (a form error) is not an error."""
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
            page.on("response", lambda r: r.status >= 400 and r.request.resource_type != "document"
                    and page.js_errors.append(f"{r.status} {r.url}"))
            yield page
        finally:
            browser.close()
