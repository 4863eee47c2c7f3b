"""Issue 14, item 1: what a viewer sees of a person, taken together, must not determine a number they may not
see. Over a small demo pool, every role walks every page it can reach (following links), every GET of the API
and every download (Excel, PDF); for each person it meets, what it saw — the masked number, the birth date if
shown anywhere beside the name, the birth year (assumed known to anyone), the region (assumed to be the
district) and the gender — is given to ``core.masking.id_candidates``. Every person must keep at least
THRESHOLD candidate numbers, for every role."""

import datetime as dt
import html as html_lib
import io
import json
import re
from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from rencai.accounts.models import User
from rencai.core import crypto
from rencai.core.masking import id_candidates, mask_id_number
from rencai.demo.accounts import demo_accounts_create
from rencai.demo.generator import demo_load
from rencai.demo.recognition import recognition_demo_load
from rencai.policies.matching import match_run
from rencai.recognition import services as recognition_services
from rencai.recognition.models import Application
from rencai.talents.models import Talent

pytestmark = pytest.mark.django_db
ROLES = ("admin", "city_staff", "heping_staff", "leader", "employer", "talent", "expert1", "auditor")
THRESHOLD = 10  # fewer candidates than this and a number is as good as shown
PER_PATTERN = 2  # pages of one shape (ids and page numbers aside) visited per role: the same template
MAX_REQUESTS = 90
SKIP = ("/logout", "/static/", "/accounts/logout", "/admin/logout", "/admin/jsi18n", "/i18n/")
ID_TOKEN = re.compile(r"(?<![0-9A-Z*])[0-9X*]{18}(?![0-9A-Z*])")
PHONE_TOKEN = re.compile(r"(?<![0-9*])[0-9*]{11}(?![0-9*])")


def _demo_world():
    demo_load(seed=14, size=120)
    demo_accounts_create()
    recognition_demo_load()
    city = User.objects.get(username="city_staff")
    for application in Application.objects.filter(way="direct", status="submitted"):
        recognition_services.application_accept(actor=city, application_id=application.pk)  # cards to look at
    match_run(as_of=dt.date.today())


def _fragments(content: bytes, content_type: str) -> list[str]:
    """The pieces of a response that each speak of one person or a few: table rows, list items, JSON
    objects, spreadsheet rows; and the whole of it (a detail page, a PDF)."""
    if "spreadsheetml" in content_type:
        wb = load_workbook(io.BytesIO(content))
        return [" | ".join("" if v is None else str(v) for v in row) for ws in wb.worksheets
                for row in ws.iter_rows(values_only=True)]
    if "pdf" in content_type:
        return ["\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)]
    text = content.decode("utf-8", "replace")
    if "json" in content_type:
        data = json.loads(text)
        items = data.get("results") if isinstance(data, dict) else data
        return [text] + ([json.dumps(i, ensure_ascii=False) for i in items] if isinstance(items, list) else [])
    rows = re.findall(r"<tr\b.*?</tr>", text, flags=re.S) + re.findall(r"<option\b.*?</option>", text, flags=re.S)
    page = re.sub(r"<table\b.*?</table>", " ", text, flags=re.S)
    return [_plain(f) for f in [page, *rows]]


def _plain(markup: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", markup))


def _links(content: bytes) -> list[str]:
    return [html_lib.unescape(h) for h in re.findall(r'href="(/[^"#]*)"', content.decode("utf-8", "replace"))]


def _pattern(url: str) -> str:
    parts = urlsplit(url)
    params = sorted({p.split("=")[0] for p in parts.query.split("&") if p})
    path = re.sub(r"/(catalog|verify)/[^/]+", r"/\1/X", parts.path)  # the public catalog: one shape
    return re.sub(r"\d+", "N", path) + "?" + "&".join(params)


def _walk(client, *, admin: bool) -> list[tuple[str, str, bytes]]:
    """Every page reachable from the start page by links, a few of each shape, and the API's GETs."""
    seen, counts, responses = set(), defaultdict(int), []
    queue = ["/", "/talents/", "/me/", "/policies/matches/", "/recognition/", "/recognition/queue/",
             "/recognition/reviews/", "/recognition/mine/", "/recognition/employer/", "/audit/", "/api/talents",
             "/api/recognition/applications"]
    while queue and len(responses) < MAX_REQUESTS:
        url = queue.pop(0)
        if (url in seen or url.startswith(SKIP) or "/add/" in url or "_popup" in url
                or (url.startswith("/admin/") and not admin)):
            continue
        seen.add(url)
        if counts[_pattern(url)] >= PER_PATTERN:
            continue
        counts[_pattern(url)] += 1
        response = client.get(url)
        assert response.status_code < 500, url
        content_type = response.get("Content-Type", "")
        # Streamed exports (the staff list, 政策找人's lists) are read whole; other streams (files) are not.
        if response.status_code != 200 or (response.streaming and "spreadsheetml" not in content_type):
            continue
        content = response.getvalue()
        responses.append((url, content_type, content))
        if "html" in content_type:
            queue += [u for u in _links(content) if u not in seen]
        elif "json" in content_type and url.startswith("/api/"):
            data = json.loads(content)
            items = data.get("results", []) if isinstance(data, dict) else data
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and "id" in item:
                    base = url.split("?")[0]
                    queue.append(f"{base}/{item['id']}")
                    if base == "/api/talents":
                        queue.append(f"/api/recognition/talents/{item['id']}/category")
            if isinstance(data, dict) and data.get("pages", 1) > 1 and "page=" not in url:
                queue += [f"{url}?page={n}" for n in range(2, data["pages"] + 1)]
        for token in re.findall(rb"/verify/([A-Za-z0-9_:.\-]+)", content):
            queue += [f"/api/recognition/verify/{token.decode()}", f"/verify/{token.decode()}"]
    return responses


def _date_forms(day: dt.date) -> list[str]:
    return [f"{day:%Y-%m-%d}", f"{day:%Y%m%d}", f"{day:%Y/%m/%d}", f"{day.year}年{day.month}月{day.day}日",
            f"{day:%Y年%m月%d日}", f"{day:%Y.%m.%d}"]


def _merge(mask: str | None, seen: str) -> str:
    if mask is None:
        return seen
    return "".join(s if s != "*" else m for m, s in zip(mask, seen, strict=True))


def _exposure(role_user, people, responses) -> dict[int, int]:
    """For each person the role met: how many numbers fit everything it saw of them."""
    masks, full_birth, met = {}, set(), set()
    by_name = defaultdict(list)
    for person in people.values():
        by_name[person["name"]].append(person)
    for _, content_type, content in responses:
        for fragment in _fragments(content, content_type):
            for name, persons in by_name.items():
                if name not in fragment:
                    continue
                for person in persons:
                    pk, number = person["pk"], person["number"]
                    assert number not in fragment, f"{role_user}: the full number of {pk} is shown"
                    for token in ID_TOKEN.findall(fragment):
                        if all(t in ("*", c) for t, c in zip(token, number, strict=True)):
                            masks[pk] = _merge(masks.get(pk), token)
                            met.add(pk)
                    if any(form in fragment for form in _date_forms(person["birth"])):
                        full_birth.add(pk)
    exposure = {}
    for pk in met:
        person = people[pk]
        year = person["birth"].year
        births = ([person["birth"]] if pk in full_birth else
                  [dt.date(year, 1, 1) + dt.timedelta(days=n) for n in range((dt.date(year + 1, 1, 1)
                                                                             - dt.date(year, 1, 1)).days)])
        exposure[pk] = id_candidates(masks[pk], regions=[person["number"][:6]], births=births,
                                     male=int(person["number"][16]) % 2 == 1)
    return exposure


def _shapes(responses) -> None:
    """Every masked number anywhere has the one mask's shape: nothing else gives more digits away."""
    for url, content_type, content in responses:
        text = "\n".join(_fragments(content, content_type))
        for token in ID_TOKEN.findall(text):
            if "*" in token:
                assert re.fullmatch(r"\d{4}\*{13}[\dX]", token), (url, token)
        for token in PHONE_TOKEN.findall(text):
            if "*" in token:
                assert re.fullmatch(r"\d{3}\*{4}\d{4}", token), (url, token)


def test_no_role_can_rebuild_a_number_from_what_it_sees(client):
    _demo_world()
    people = {t.pk: {"pk": t.pk, "name": t.name, "birth": t.birth_date, "number": crypto.decrypt(t.id_number_cipher)}
              for t in Talent.objects.all()}
    roles = list(User.objects.filter(username__in=ROLES).order_by("username"))  # one account per role
    assert {"admin", "city_staff", "heping_staff", "leader", "employer", "talent", "expert1"} <= {
        u.username for u in roles}
    report = {}
    for user in roles:
        client.force_login(user)
        responses = _walk(client, admin=user.username == "admin")
        _shapes(responses)
        exposure = _exposure(user, people, responses)
        report[user.username] = (len(responses), len(exposure), min(exposure.values(), default=None))
        weakest = {pk: n for pk, n in exposure.items() if n < THRESHOLD}
        assert not weakest, f"{user.username} can narrow these people's numbers to fewer than {THRESHOLD}: {weakest}"
        client.logout()
    # The walk met people where it should (so that the check above is not vacuous) ...
    assert report["city_staff"][1] == len(people), report
    assert report["leader"][1] == len(people) and report["employer"][1] > 0 and report["talent"][1] == 1, report
    assert report["heping_staff"][1] > 0 and report["expert1"][1] > 0, report
    # ... and the property is what keeps them safe: full date for who may reveal, the year for the rest.
    assert report["city_staff"][2] < 100 <= report["leader"][2], report


def test_the_check_would_catch_the_old_mask_and_a_clear_birth_date():
    person = {"pk": 1, "name": "张三", "birth": dt.date(1985, 6, 15), "number": "210102198506151230"}
    old = "2101**********1230"
    page = f"<h1>张三</h1><dl><dt>证件号码</dt><dd>{old}</dd><dt>出生日期</dt><dd>1985-06-15</dd></dl>".encode()
    assert _exposure("leader", {1: person}, [("/talents/1/", "text/html", page)]) == {1: 1}
    page = f"<h1>张三</h1><dd>{mask_id_number(person['number'])}</dd><dd>1985年</dd>".encode()
    assert _exposure("leader", {1: person}, [("/talents/1/", "text/html", page)])[1] > 10_000
