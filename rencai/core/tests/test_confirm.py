"""A confirmation step, saying what will happen, before every irreversible act (core/confirm.py).

The irreversible acts are listed here. The test fails when one of them can be done in one click: its view
lacks ``confirm_first`` (a post without ``confirmed=1`` would act), or a form posting to it lacks the
``data-confirm`` mark the page script opens its dialog on. The page walker (test_page_walk.py) checks the same
mark on every form of every page it renders."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import get_resolver

from rencai.audit.models import AuditEvent

# Every irreversible act a page offers: recognition (submit an employer's 自主认定 — its quota —, withdraw, accept
# = approve and issue the card, reject, form a panel, conclude, revoke, an expert's scores), 政策兑现 (a step's
# decision, bulk decisions, 公示 close and objections, withdraw, 免申即享 confirm/decline, 精准推送), payments (the
# monthly run, a batch made, approved, cancelled), reveals, 任职确认 decisions, document reviews, a data-centre
# feed's push token (the old one stops working) and 咨询与评价 (an answer, an FAQ published, a rating, a complaint,
# a case's call-back and resolution) and 项目申报 (a formal check, withdraw, a panel, an expert's scores, the ranking
# fixed, the leader's approval of the awards, 单位推荐, a milestone decided) and 决策预警 (a warning resolved or
# dismissed) and 对接活动 (a follow-up closed) and 急需紧缺人才需求目录 (a catalog published or withdrawn, a position
# removed, an employer's demand accepted or rejected) and 人岗匹配 (a contact request accepted or declined: the
# employer then sees the name).
IRREVERSIBLE = {
    "workbench:publish", "workbench:discard",
    "recognition:act", "recognition:revoke", "recognition:score",
    "fulfilment:decide", "fulfilment:bulk", "fulfilment:finalize", "fulfilment:answer_objection",
    "fulfilment:withdraw", "fulfilment:offer_confirm", "fulfilment:offer_decline", "fulfilment:invite",
    "payments:run_start", "payments:batch_create", "payments:batch_act",
    "talents:reveal", "talents:claim_decide",
    "documents:review",
    "datahub:token", "datahub:discrepancy_resolve",
    "services:act", "services:bulk", "services:reassign",
    "feedback:consultation_act", "feedback:rate", "feedback:complain", "feedback:case_act",
    "programmes:act", "programmes:score", "programmes:rank", "programmes:approve", "programmes:endorse",
    "programmes:report_decide",
    "earlywarning:act",
    # 揭榜挂帅 (a proposal shortlisted, awarded or declined) and 项目对接 (a brokered meeting's outcome)
    "opportunities:challenge_decide", "opportunities:meeting_outcome",
    "opportunities:act", "opportunities:application_act",
    "events:followup_act",
    "matching:contact_answer",
    "opportunities:shortage_catalog_act", "opportunities:shortage_entry_delete", "opportunities:shortage_demand_decide",
}
# Forms that post to their own page (no action attribute): which act they make.
SELF_POSTING = {"recognition/score.html": "recognition:score", "talents/claim_decide.html": "talents:claim_decide",
                "programmes/score.html": "programmes:score"}
TEMPLATES = Path(__file__).resolve().parents[2]


def _views() -> dict:
    """view name → view function, for every named URL pattern."""
    found = {}

    def walk(resolver, prefix=""):
        for entry in resolver.url_patterns:
            if hasattr(entry, "url_patterns"):
                walk(entry, f"{prefix}{entry.namespace}:" if entry.namespace else prefix)
            elif entry.name:
                found[f"{prefix}{entry.name}"] = entry.callback

    walk(get_resolver())
    return found


def test_every_irreversible_act_is_confirmed_first():
    views = _views()
    missing = sorted(name for name in IRREVERSIBLE if not getattr(views[name], "confirm_first", None))
    assert not missing, f"这些不可撤销的操作没有确认步骤（confirm_first）：{missing}"


class _Forms(HTMLParser):
    """Each <form method=post>: its attributes and whether it holds a hidden confirmed=1 (a confirmation page)."""

    def __init__(self):
        super().__init__()
        self.forms, self._open = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._open = {"attrs": attrs, "tag": self.get_starttag_text(), "confirmed": False}
            self.forms.append(self._open)
        elif tag == "input" and self._open is not None and attrs.get("name") == "confirmed" \
                and attrs.get("value") == "1":
            self._open["confirmed"] = True

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


URL_TAG = re.compile(r"\{%\s*url\s+['\"]([\w:]+)['\"]")


def test_every_form_of_an_irreversible_act_is_marked_for_the_dialog():
    """Every template's form posting to a confirmed view carries ``data-confirm`` (or is itself the confirmation
    page, with ``confirmed=1``)."""
    views = _views()
    confirmed = {name for name, view in views.items() if getattr(view, "confirm_first", None)}
    unmarked, seen = [], set()
    for path in sorted(TEMPLATES.glob("**/templates/**/*.html")):
        parser = _Forms()
        parser.feed(path.read_text(encoding="utf-8"))
        relative = path.as_posix().split("/templates/", 1)[1]
        for form in parser.forms:
            action = URL_TAG.search(form["attrs"].get("action") or "")
            name = action.group(1) if action else SELF_POSTING.get(relative)
            if name not in confirmed:
                continue
            seen.add(name)
            # The mark may stand under a condition ({% if %}: only an employer's submit uses its quota).
            if "data-confirm" not in form["tag"] and not form["confirmed"]:
                unmarked.append(f"{relative} → {name}")
    assert not unmarked, f"这些表单没有确认标记 data-confirm：{unmarked}"
    assert seen == IRREVERSIBLE, f"没有找到这些操作的表单：{sorted(IRREVERSIBLE - seen)}"


@pytest.fixture
def reveal_url(client, heping_staff, make_talent):
    talent = make_talent(name="确认甲")
    client.force_login(heping_staff)
    return f"/talents/{talent.pk}/reveal/", talent


def test_a_post_without_confirmation_does_nothing_and_shows_what_will_happen(client, reveal_url):
    url, talent = reveal_url
    body = {"field": "id_number", "reason": "核验补贴申请材料"}
    page = client.post(url, body, HTTP_REFERER=f"http://testserver/talents/{talent.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "data-confirm-page" in html
    assert "确认查看确认甲的完整证件号码？" in html and "审计日志" in html and "核验补贴申请材料" in html
    assert f'href="/talents/{talent.pk}/"' in html  # 取消 goes back where the person came from
    assert not AuditEvent.objects.filter(action="reveal").exists()
    # The page posts the same fields again, with confirmed=1, to the same address: then the act is done.
    carried = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', html))
    assert carried.pop("csrfmiddlewaretoken") and carried == {**body, "confirmed": "1"}
    done = client.post(url, carried)
    assert done.status_code == 200 and 'id="revealed-value"' in done.content.decode()
    assert AuditEvent.objects.filter(action="reveal").count() == 1


def test_the_dialogs_question_answers_json_and_acts_on_nothing(client, reveal_url):
    url, _ = reveal_url
    asked = client.post(url, {"field": "phone", "reason": "核对", "confirmed": "1"}, HTTP_X_RENCAI_CONFIRM="ask")
    assert asked.status_code == 200 and asked["Content-Type"] == "application/json"
    answer = json.loads(asked.content)["confirm"]
    assert answer["title"] == "确认查看确认甲的完整手机号码？" and answer["action"] == "确认查看"
    assert any("审计日志" in line for line in answer["effects"])
    assert not AuditEvent.objects.filter(action="reveal").exists()


def test_a_question_about_what_the_user_may_not_see_is_refused(client, reveal_url, hunnan_staff):
    url, _ = reveal_url
    client.force_login(hunnan_staff)  # another district: the talent does not exist for them
    asked = client.post(url, {"field": "phone", "reason": "核对"}, HTTP_X_RENCAI_CONFIRM="ask")
    assert asked.status_code == 404 and "未找到" in json.loads(asked.content)["error"]
    assert client.post(url, {"field": "phone", "reason": "核对"}).status_code == 404

