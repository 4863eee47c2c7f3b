"""Every page of every role, walked in a real Chromium at a desktop and a phone size.

The walker finds the pages itself, from the URL configuration: a page added later is walked without
anyone listing it, and a page whose URL needs an argument the walker cannot fill fails the test until a
sample is added to ``samples()`` in rencai/core/pagewalk.py. For every page and role it checks that:

- the page answers without a server error;
- nothing overflows the page sideways, at 1366×900 and at 390×844; the phone header is under 120 px and the
  desktop menu fits on one row; on a phone every table fills its box (scrolling inside it) and no short cell
  (a name, a date, a status) is broken over two lines;
- no internal name (field key, slug, placeholder, file name) is shown where Chinese is expected (real
  identifiers — user names, card numbers — are marked ``translate="no"`` and skipped);
- axe-core finds no serious or critical accessibility violation (once per page, at the desktop size);
- every form of an irreversible act asks first (core/confirm.py: ``data-confirm`` on the form).
"""

import re

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

from rencai.core.pagewalk import urls_for  # page discovery, shared with the page benchmark (bench/pages.py)

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
PHONE_HEADER_MAX_PX = 120
DESKTOP_HEADER_MAX_PX = 64  # one row of menu

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


def _urls_for(user) -> list[tuple[str, str]]:
    return urls_for(user)


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
    from rencai.services.demo import services_demo_load

    rows += services_demo_load()  # 人才服务: specialists, requests in every state, escalations
    from rencai.feedback.demo import feedback_demo_load

    rows += feedback_demo_load()  # 咨询与评价: questions, an FAQ, ratings, follow-ups in every state, a complaint
    from rencai.programmes.demo import programmes_demo_load

    programmes_demo_load()  # 项目申报: calls, applications in every state, a review, awards on 公示
    admin = User.objects.get(username="admin")
    direct = Application.objects.filter(status="submitted", way="direct").order_by("pk").first()
    if direct is not None:
        application_accept(actor=admin, application_id=direct.pk)
    assert Recognition.objects.exists(), "演示数据中应有一张人才卡，以便走查人才卡页面"
    call_command("match", verbosity=0)
    from rencai.demo.inbox import inbox_demo_load
    from rencai.policies.jobs import match_enqueue

    inbox_demo_load()  # 站内消息 for every account: the inbox pages
    from rencai.datahub.demo import datahub_demo_load

    datahub_demo_load()  # 数据中心: the standard feeds, a load with unmatched and bad rows, discrepancies
    from rencai.earlywarning.demo import earlywarning_demo_load

    earlywarning_demo_load()  # 决策预警: the shipped rules (a flushed database has none) evaluated once
    from rencai.events.demo import events_demo_load

    events_demo_load()  # 对接活动: events, registrations (the demo talent's QR page), follow-ups
    from rencai.opportunities.demo_jobs import jobs_demo_load

    jobs_demo_load()  # 岗位与见习: published, pending and returned positions, applications, a hire
    from rencai.workbench.demo import workbench_demo_load

    workbench_demo_load()  # 政策工作台: a draft (its page, comparison and cases)
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
    """Signed in with a session cookie (rencai.browser.login): the walk is not about the login page, which it
    walks like any other page."""
    from rencai.browser import login

    login(page, username)


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


# Every form that posts: where to, and whether it asks first (data-confirm, or it is the confirmation page).
POST_FORMS = """() => [...document.querySelectorAll('form[method=post i]')].map(f => ({
  action: new URL(f.getAttribute('action') || '', location.href).pathname,
  confirms: f.hasAttribute('data-confirm') || !!f.querySelector('input[name=confirmed][value="1"]')}))"""


def _unconfirmed_forms(page) -> list[str]:
    """Forms of an irreversible act (a view with core.confirm.confirm_first) that would act in one click."""
    return _unconfirmed(page.evaluate(POST_FORMS))


def _unconfirmed(forms: list[dict]) -> list[str]:
    from django.urls import Resolver404, resolve

    found = []
    for form in forms:
        try:
            view = resolve(form["action"]).func
        except Resolver404:
            continue
        if getattr(view, "confirm_first", None) and not form["confirms"]:
            found.append(form["action"])
    return found


def test_the_walker_finds_a_form_that_would_act_in_one_click():
    class Page:  # what the browser reports of a page's forms
        def evaluate(self, script):
            return [{"action": "/fulfilment/queue/bulk/", "confirms": False},
                    {"action": "/payments/runs/new/", "confirms": True},
                    {"action": "/inbox/read-all/", "confirms": False}]  # no confirmation step: not its business

    assert _unconfirmed_forms(Page()) == ["/fulfilment/queue/bulk/"]


def _layout_problems(page, phone: bool) -> list[str]:
    # A click that navigates can return while the next document is not yet parsed (no documentElement).
    page.wait_for_load_state("domcontentloaded")
    return _problems(page.evaluate(LAYOUT, phone), phone)


def _problems(layout: dict, phone: bool) -> list[str]:
    problems = []
    if layout["overflow"] > 1:
        problems.append(f"页面横向溢出 {layout['overflow']}px")
    height = layout["header"]
    if phone and height >= PHONE_HEADER_MAX_PX:
        problems.append(f"手机上页眉高 {height:.0f}px")
    if not phone and height >= DESKTOP_HEADER_MAX_PX:
        problems.append(f"菜单折成多行：页眉高 {height:.0f}px")
    if phone:
        problems += [f"表格 {t} 没有占满其宽度（右侧留白）" for t in layout["shrunk"]]
        if layout["split"]:
            problems.append(f"表格中的短内容被折成两行：{'、'.join(layout['split'])}")
    return problems


# Tables whose rows are narrower than the table's own box: a table made to scroll by itself (display: block)
# shrinks to its content and leaves a blank strip beside it on a phone.
SHRUNK_TABLES = """() => [...document.querySelectorAll('main table')].filter(t => {
  const row = t.rows[0];
  return row && t.offsetParent !== null && row.getBoundingClientRect().width < t.clientWidth - 8;
}).map(t => t.id ? '#' + t.id : (t.rows[0].innerText || '').trim().slice(0, 20))"""

# Short table cells (a name, a date, an amount) broken over two lines on a phone: "刘洁/红", "2015-07-/01".
SPLIT_CELLS = """() => [...document.querySelectorAll('main td')].filter(c => {
  const text = c.innerText.trim();
  if (!text || text.length > 12 || text.includes('\\n') || c.offsetParent === null) return false;
  const range = document.createRange();
  range.selectNodeContents(c);
  const rects = [...range.getClientRects()].filter(r => r.width > 0);  // a line below another: no overlap
  return rects.some(a => rects.some(b => b.top >= a.bottom - 1));
}).map(c => c.innerText.trim()).slice(0, 5)"""

# What _layout_problems checks, measured in one call (each evaluate is a round trip to the browser).
LAYOUT = f"""(phone) => ({{
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  header: document.querySelector('header.top').getBoundingClientRect().height,
  shrunk: phone ? ({SHRUNK_TABLES})() : [],
  split: phone ? ({SPLIT_CELLS})() : [],
}})"""

# The desktop checks of a walked page in one call: its layout, its visible text and its forms.
DESKTOP_CHECKS = f"""() => ({{layout: ({LAYOUT})(false), text: ({VISIBLE_TEXT})(), forms: ({POST_FORMS})()}})"""


@pytest.mark.browser
def test_the_walker_finds_a_table_that_leaves_a_gap_on_a_phone(page):
    page.set_viewport_size(PHONE)
    row = "<tr><th>年度</th><th>合计</th></tr><tr><td>2026</td><td>1</td></tr>"
    page.set_content(f"<main><table id=shrunk style='display:block;width:100%'>{row}</table>"
                     f"<div><table id=boxed style='width:100%'>{row}</table></div></main>")
    assert page.evaluate(SHRUNK_TABLES) == ["#shrunk"]


@pytest.mark.browser
def test_the_walker_finds_a_name_or_a_date_broken_over_two_lines(page):
    page.set_viewport_size(PHONE)
    page.set_content("<main><table style='width:6rem'><tr><td>2015-07-01</td><td>刘洁红</td></tr></table>"
                     "<table><tr><td style='white-space:nowrap'>2015-07-01</td><td>很长的说明文字" + "很长" * 40
                     + "</td><td style='white-space:nowrap'>"
                     "<span style='display:inline-block;padding:.05rem .5rem'>专家评审中</span></td></tr>"
                     "</table></main>")
    assert "2015-07-01" in page.evaluate(SPLIT_CELLS)
    assert len(page.evaluate(SPLIT_CELLS)) == 2, page.evaluate(SPLIT_CELLS)  # not the long text, nor the kept


# The walk is split between this many tests, each building the same small world and walking its share of the
# accounts, so that the test workers (one per core) walk in parallel instead of one walking for minutes.
SHARDS = 2


def _share(accounts: list[tuple[str, str]], shard: int) -> tuple[list[tuple[str, str, list]], set[str]]:
    """This shard's accounts with the pages each walks (name, URL), greedily balanced by their number (most
    first), and the views this shard audits for accessibility — the walk's costliest check, so each view is
    audited in one shard only (one that walks it), the audits spread evenly."""
    from rencai.accounts.models import User

    urls = {username: _urls_for(User.objects.get(username=username)) for username, _ in accounts}
    loads, shares = [0] * SHARDS, [[] for _ in range(SHARDS)]
    walks: dict[str, set[int]] = {}  # view → the shards that walk it
    for account in sorted(accounts, key=lambda a: (-len(urls[a[0]]), a[0])):
        lightest = loads.index(min(loads))
        loads[lightest] += len(urls[account[0]])
        shares[lightest].append((*account, urls[account[0]]))
        for name, _ in urls[account[0]]:
            walks.setdefault(name, set()).add(lightest)
    audits: list[set[str]] = [set() for _ in range(SHARDS)]
    for name in sorted(walks, key=lambda n: (len(walks[n]), n)):  # views only one shard walks first
        audits[min(walks[name], key=lambda at: len(audits[at]))].add(name)
    return shares[shard], audits[shard]


# What the browser walk checks — layout, words, accessibility, confirmations — is the pages' own and the same on
# both databases: it runs on SQLite (the README's `make test`). On PostgreSQL the same world is walked for what the
# database can change, a server error, through the test client (test_every_page_answers_on_postgresql below).
ON_POSTGRESQL = django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.mark.skipif(ON_POSTGRESQL, reason="浏览器走查在 SQLite 上进行（PostgreSQL 上只查服务器错误，见下）")
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_page_of_every_role(page, settings, tmp_path, shard):
    from axe_playwright_python.sync_playwright import Axe

    settings.MEDIA_ROOT = tmp_path / "media"
    accounts, to_audit = _share(_demo_world(), shard)
    assert accounts, "每一份走查都应有账号"
    axe = Axe()
    audited, failures, walked = set(), [], 0
    # Views that answered a GET with a page: after the first, they are rendered once per user (not probed).
    pages = set()
    size = DESKTOP
    page.set_viewport_size(size)
    for username, password, urls in accounts:
        _login(page, username, password)
        for name, url in urls:
            where = f"{username} {url}"
            if name not in pages:  # ask first, without the browser: a POST-only action (405) or a file
                probe = page.request.get(page.base_url + url, max_redirects=0)
                if probe.status == 405 or "text/html" not in probe.headers.get("content-type", ""):
                    continue
                if probe.status >= 500:
                    failures.append(f"{where}: HTTP {probe.status}")
                    continue
                if probe.status == 200:
                    pages.add(name)
            try:
                response = page.goto(page.base_url + url)
            except PlaywrightError as exc:
                if "Download is starting" in exc.message:
                    continue  # a file for this user, where another was shown a page
                raise
            walked += 1
            if response.status >= 500:
                failures.append(f"{where}: HTTP {response.status}")
                continue
            # The size it was loaded at first, then the other one: one resize per page.
            for at in (size, PHONE if size is DESKTOP else DESKTOP):
                if at is not size:
                    page.set_viewport_size(at)
                    size = at
                if at is PHONE:
                    failures += [f"{where} 手机: {p}" for p in _layout_problems(page, phone=True)]
                    continue
                checks = page.evaluate(DESKTOP_CHECKS)
                failures += [f"{where}: {p}" for p in _problems(checks["layout"], phone=False)]
                unconfirmed = _unconfirmed(checks["forms"])
                if unconfirmed:
                    failures.append(f"{where}: 不可撤销的操作没有确认步骤（data-confirm）{unconfirmed}")
                names = internal_names(checks["text"])
                if names:
                    failures.append(f"{where}: 页面显示内部名称 {names}")
                if name in to_audit and name not in audited and response.status == 200:
                    audited.add(name)
                    serious = [v for v in axe.run(page).response["violations"]
                               if v["impact"] in ("serious", "critical")]
                    failures += [f"{where}: 无障碍 {v['id']}（{v['help']}，{len(v['nodes'])} 处）" for v in serious]
    assert walked > 40, walked
    assert not failures, "\n".join(failures)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite 上由浏览器走查（test_every_page_of_every_role）")
@pytest.mark.django_db
def test_every_page_answers_on_postgresql(client, settings, tmp_path):
    """The browser walk's world and pages, downloads included, for every role on PostgreSQL: no server error."""
    from rencai.accounts.models import User

    settings.MEDIA_ROOT = tmp_path / "media"
    failures, asked = [], 0
    for username, _ in _demo_world():
        user = User.objects.get(username=username)
        client.force_login(user)
        for _, url in urls_for(user, downloads=True):
            asked += 1
            status = client.get(url).status_code
            if status >= 500:
                failures.append(f"{username} {url}: HTTP {status}")
    assert asked > 100, asked
    assert not failures, "\n".join(failures)
