"""Every page of every role, walked in a real Chromium at a desktop and a phone size.

The walker finds the pages itself, from the URL configuration: a page added later is walked without
anyone listing it, and a page whose URL needs an argument the walker cannot fill fails the test until a
sample is added to ``_samples()`` below. For every page and role it checks that:

- the page answers without a server error;
- nothing overflows the page sideways, at 1366×900 and at 390×844; the phone header is under 120 px and the
  desktop menu fits on one row;
- no internal name (field key, slug, placeholder, file name) is shown where Chinese is expected (real
  identifiers — user names, card numbers — are marked ``translate="no"`` and skipped);
- axe-core finds no serious or critical accessibility violation (once per page, at the desktop size).
"""

import re

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from rencai.accounts.permissions import talent_scope_q

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
PHONE_HEADER_MAX_PX = 120
DESKTOP_HEADER_MAX_PX = 64  # one row of menu

# Pages that are not HTML screens for people (downloads, POST-only actions) or not ours (the admin site,
# the API with its own tests). Everything else the URL configuration holds is walked.
SKIPPED_NAMESPACES = {"admin", "api"}
SKIPPED_NAMES = {"accounts:logout"}

# Latin text that is a real part of the interface, not an internal name.
# File types people pick and recognise (上传 .xlsx 文件, 证书.pdf).
ALLOWED_WORDS = {"Excel", "PDF", "QR", "CSV", "Word", "xlsx", "pdf", "jpg", "jpeg", "png"}
EMAIL_OR_URL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+|/[\w./-]+")
# Identifiers: snake_case, kebab-case, dotted.keys, {placeholders}, file.names, or a bare lowercase word.
# ASCII boundaries: Python's \b does not separate a Latin word from the Chinese text around it.
_B, _E = r"(?<![A-Za-z0-9_])", r"(?![A-Za-z0-9_])"
INTERNAL_NAME = re.compile(
    r"\{[A-Za-z_]+\}"
    rf"|{_B}\w*?[A-Za-z0-9]\.(?:txt|ya?ml|py|json|html){_E}"
    rf"|{_B}[a-z][a-z0-9]*(?:[_.-][a-z0-9]+)+{_E}"
    rf"|{_B}[a-z]{{3,}}{_E}",
    re.ASCII,
)


def _patterns(resolver: URLResolver | None = None, namespace: str = ""):
    """(view name, argument names) of every named page in the URL configuration."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in SKIPPED_NAMESPACES:
                continue
            yield from _patterns(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", sorted(entry.pattern.regex.groupindex)


def _first(queryset):
    obj = queryset.order_by("pk").first()
    return obj.pk if obj else None


def _samples(user) -> dict:
    """A value for every URL argument, chosen among what this user may see where the page is scoped."""
    from rencai.documents.selectors import documents_visible
    from rencai.jobs.models import Job
    from rencai.jobs.selectors import job_visible
    from rencai.notifications.models import Notification
    from rencai.policies.models import PolicyMatch
    from rencai.recognition.cards import card_token
    from rencai.recognition.models import Application, Attachment, Recognition, ReviewAssignment
    from rencai.talents.models import Talent

    talent_id = _first(Talent.objects.filter(talent_scope_q(user)))
    application_id = (_first(Application.objects.filter(talent__in=Talent.objects.filter(talent_scope_q(user))))
                      or _first(Application.objects.all()))
    recognition = Recognition.objects.order_by("pk").first()
    match = PolicyMatch.objects.order_by("pk").first()
    return {
        "talent_id": talent_id,
        "policy": match.policy if match else None,
        "application_id": application_id,
        "attachment_id": _first(Attachment.objects.filter(application_id=application_id)),
        "assignment_id": (_first(ReviewAssignment.objects.filter(expert__user=user))
                          or _first(ReviewAssignment.objects.all())),
        "recognition_id": recognition.pk if recognition else None,
        "token": card_token(recognition) if recognition else None,
        "key": "004",  # a source document
        "notification_id": _first(Notification.objects.filter(recipient=user)),
        "job_id": next((j.pk for j in Job.objects.order_by("pk") if job_visible(user, j)), None),
        "document_id": _first(documents_visible(user)),
        **_fulfilment_samples(user),
    }


def _fulfilment_samples(user) -> dict:
    from rencai.fulfilment.models import Objection, Offer, PublicNotice
    from rencai.fulfilment.selectors import applications_visible

    visible = applications_visible(user) if user.is_authenticated else None
    return {
        "policy_id": "sy-rent-subsidy",  # an entitlement with applications in the demo
        "fulfilment_id": _first(visible) if visible is not None else None,
        "objection_id": _first(Objection.objects.all()),
        "offer_id": _first(Offer.objects.filter(talent__user=user)) if user.is_authenticated else None,
        "notice_id": _first(PublicNotice.objects.all()),
    }


DOWNLOAD = re.compile(r"\.(xlsx|pdf|csv)$")
# Argument names that are actions (POST only), not pages to walk.
ACTION_ARGUMENTS = {"action", "decision"}


def _urls_for(user) -> list[tuple[str, str]]:
    samples = _samples(user)
    urls = []
    for name, args in _patterns():
        if name in SKIPPED_NAMES or ACTION_ARGUMENTS & set(args):
            continue
        unknown = [a for a in args if a not in samples]
        assert not unknown, f"页面 {name} 需要参数 {unknown}：请在 _samples() 中为它们提供示例值"
        if any(samples[a] is None for a in args):
            continue
        url = reverse(name, kwargs={a: samples[a] for a in args})
        if DOWNLOAD.search(url):
            continue  # files (Excel, PDF) are checked by their own tests
        urls.append((name, url))
    return urls


def _demo_world():
    """A small demo database: every role's account, applications in several states, a recognition with its
    card, 政策找人 results."""
    from rencai.accounts.models import User
    from rencai.demo.accounts import demo_accounts_create
    from rencai.demo.generator import demo_load
    from rencai.demo.recognition import recognition_demo_load
    from rencai.recognition.models import Application, Recognition
    from rencai.recognition.services import application_accept

    call_command("load_policies", verbosity=0)
    demo_load(seed=5, size=300)
    rows = demo_accounts_create() + recognition_demo_load()
    from rencai.demo.documents import documents_demo_load

    documents_demo_load()
    from rencai.fulfilment.demo import fulfilment_demo_load

    rows += fulfilment_demo_load()  # 政策兑现: applications in every state, 公示 with an objection, offers
    admin = User.objects.get(username="admin")
    direct = Application.objects.filter(status="submitted", way="direct").order_by("pk").first()
    if direct is not None:
        application_accept(actor=admin, application_id=direct.pk)
    assert Recognition.objects.exists(), "演示数据中应有一张人才卡，以便走查人才卡页面"
    call_command("match", verbosity=0)
    from rencai.demo.inbox import inbox_demo_load
    from rencai.policies.jobs import match_enqueue

    inbox_demo_load()  # 站内消息 for every account: the inbox pages
    match_enqueue(actor=admin)  # a background job (the tests' task backend runs it at once): the job pages
    # One account per role and department: city and district officers both (the demo has five experts;
    # one is enough).
    seen, accounts = set(), []
    for username, password, _ in rows:
        user = User.objects.get(username=username)
        if (user.role, user.department_id) not in seen:
            seen.add((user.role, user.department_id))
            accounts.append((username, password))
    return accounts


def _login(page, username: str, password: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def internal_names(text: str) -> list[str]:
    """The Latin identifiers in a page's visible text, after e-mail addresses and URLs are removed."""
    text = EMAIL_OR_URL.sub(" ", text)
    return sorted({m for m in INTERNAL_NAME.findall(text) if m not in ALLOWED_WORDS})


def test_internal_name_detector_flags_keys_slugs_and_placeholders():
    assert internal_names("缺少 returnee / birth_date / employment.employer_type") == [
        "birth_date", "employment.employer_type", "returnee"]
    assert internal_names("sy-living-subsidy-graduate：年龄{age}周岁，《004_7b8a.txt》") == [
        "004_7b8a.txt", "sy-living-subsidy-graduate", "{age}"]
    assert internal_names("联系 zhang.san@example.com，导出 Excel，人才卡 SY-2026-B-000123") == []


# The page's visible text without real identifiers: a user name, a card number or an e-mail address is marked
# up with translate="no" (HTML's own "do not translate this" attribute), and only there may Latin text stand.
VISIBLE_TEXT = """() => {
  const kept = [...document.querySelectorAll('[translate=no]')].map(e => [e, e.style.display]);
  kept.forEach(([e]) => { e.style.display = 'none'; });
  const text = document.body.innerText;
  kept.forEach(([e, display]) => { e.style.display = display; });
  return text;
}"""


def _layout_problems(page, phone: bool) -> list[str]:
    problems = []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 1:
        problems.append(f"页面横向溢出 {overflow}px")
    height = page.evaluate("document.querySelector('header.top').getBoundingClientRect().height")
    if phone and height >= PHONE_HEADER_MAX_PX:
        problems.append(f"手机上页眉高 {height:.0f}px")
    if not phone and height >= DESKTOP_HEADER_MAX_PX:
        problems.append(f"菜单折成多行：页眉高 {height:.0f}px")
    return problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_of_every_role(page, settings, tmp_path):
    from axe_playwright_python.sync_playwright import Axe

    settings.MEDIA_ROOT = tmp_path / "media"
    accounts = _demo_world()
    axe = Axe()
    audited, failures, walked = set(), [], 0
    for username, password in accounts:
        page.context.clear_cookies()
        page.set_viewport_size(DESKTOP)
        _login(page, username, password)
        from rencai.accounts.models import User

        user = User.objects.get(username=username)
        for name, url in _urls_for(user):
            where = f"{username} {url}"
            probe = page.request.get(page.base_url + url, max_redirects=0)
            if probe.status == 405 or "text/html" not in probe.headers.get("content-type", ""):
                continue  # a POST-only action or a download
            if probe.status >= 500:
                failures.append(f"{where}: HTTP {probe.status}")
                continue
            response = page.goto(page.base_url + url)
            walked += 1
            if response.status >= 500:
                failures.append(f"{where}: HTTP {response.status}")
                continue
            failures += [f"{where}: {p}" for p in _layout_problems(page, phone=False)]
            names = internal_names(page.evaluate(VISIBLE_TEXT))
            if names:
                failures.append(f"{where}: 页面显示内部名称 {names}")
            if name not in audited and response.status == 200:
                audited.add(name)
                serious = [v for v in axe.run(page).response["violations"]
                           if v["impact"] in ("serious", "critical")]
                failures += [f"{where}: 无障碍 {v['id']}（{v['help']}，{len(v['nodes'])} 处）" for v in serious]
            page.set_viewport_size(PHONE)
            failures += [f"{where} 手机: {p}" for p in _layout_problems(page, phone=True)]
            page.set_viewport_size(DESKTOP)
    assert walked > 40, walked
    assert not failures, "\n".join(failures)
