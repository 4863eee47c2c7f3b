"""人岗匹配 in Chromium with the page walker's checks (desktop and phone: nothing overflows, no internal name, no
serious accessibility violation, irreversible acts confirmed): the returnee 材料 博士 gives consent on the page,
finds the 定向 新材料 job first with its reasons; the employer sees them masked, asks for contact; the talent
accepts through the confirmation dialog and the employer then sees the name."""

import pytest

from rencai.ledgers.tests.test_browser import _check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_consent_matches_contact_and_acceptance_in_the_browser(page, jobs, hr, returnee_doctor):
    from axe_playwright_python.sync_playwright import Axe

    from rencai.browser import login

    axe, failures = Axe(), []
    job = jobs["targeted"]
    login(page, "cailiao")
    failures += _check(page, "/matching/settings/", axe, "cailiao")
    page.click("#give-consent")
    page.wait_for_selector("#withdraw")
    failures += _check(page, "/matching/", axe, "cailiao")
    first = page.locator("#matches > li").first
    assert job.title in first.inner_text() and "专业对口：材料科学与工程" in first.inner_text()

    login(page, "hr-match")
    failures += _check(page, "/matching/jobs/", axe, "hr-match")
    failures += _check(page, f"/matching/jobs/{job.pk}/", axe, "hr-match")
    assert "王*" in page.inner_text("#talents") and "王材博" not in page.content()
    url = f"/matching/jobs/{job.pk}/talents/{returnee_doctor.pk}/"
    failures += _check(page, url, axe, "hr-match")
    page.click("#send-contact")
    page.wait_for_selector("#contact strong")

    login(page, "cailiao")
    failures += _check(page, "/matching/contacts/", axe, "cailiao")
    page.click("#contacts button[value=accept]")
    page.locator("dialog[open] button", has_text="同意联系").click()
    page.wait_for_selector("#contacts >> text=已同意")

    login(page, "hr-match")
    page.goto(page.base_url + url)
    assert "王材博" in page.inner_text("h1") and returnee_doctor.phone_masked in page.inner_text("#phone")
    assert not failures, "\n".join(failures)
