"""The Content-Security-Policy is sent and enforced, and the pages that had inline scripts or styles still work
under it (the `page` fixture fails a test on any console error, CSP violations included)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_work_under_the_policy_and_inline_script_is_refused(page, make_user, make_talent):
    make_talent()
    make_user("boss", "leader", "210100")
    response = page.goto(page.base_url + "/accounts/login/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src-attr")[0]
    page.fill("#id_username", "boss")
    page.fill("#id_password", "pw-for-tests-123")
    page.click("button[type=submit]")

    # 预算测算: the chart, drawn by a static script from JSON the page embeds.
    response = page.goto(page.base_url + "/policies/whatif/?key=sy-living-subsidy-graduate.doctor&amount=3000")
    assert "no-store" in response.headers["cache-control"]
    page.wait_for_selector("#whatif-chart canvas")

    # 人才认定 pages: their style sheet is a static file now.
    page.goto(page.base_url + "/recognition/standard/")
    assert any("recognition.css" in (href or "") for href in
               page.eval_on_selector_all("link[rel=stylesheet]", "links => links.map(l => l.href)"))
    assert page.evaluate("getComputedStyle(document.body).getPropertyValue('--blue') !== undefined")

    # The policy is enforced: an inline script injected into the page does not run.
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';
                             document.body.appendChild(s); }""")
    assert page.evaluate("window.__ran") is None
    assert any("Content Security Policy" in e for e in page.js_errors), page.js_errors
    page.js_errors.clear()


def test_the_error_page_back_link_works_without_inline_script(page, make_user):
    make_user("boss", "leader", "210100")
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "pw-for-tests-123")
    page.click("button[type=submit]")
    page.goto(page.base_url + "/policies/whatif/")
    response = page.goto(page.base_url + "/talents/999999/")
    assert response.status == 404
    page.click("[data-history-back]")
    page.wait_for_url(page.base_url + "/policies/whatif/")
