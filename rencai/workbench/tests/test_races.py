"""Races (SQLite and PostgreSQL alike): twenty officers clicking at once on the workbench's pages. Publishing one
draft: one wins, the others a 409 with a Chinese message, one revision in force. Publishing two drafts of one
rule at once: the second is refused as stale. Saving twenty drafts of one rule at once: each a draft of its own
with its own number — never a 500, never two drafts with one number, nobody's draft lost. Twenty 依据文件 stored
at once (ten texts, each twice): ten documents numbered in turn, each text once."""

import pytest
from django.urls import reverse

from rencai.core.tests.races import assert_success_or_conflict, clients_for, race
from rencai.policies.published import shipped_texts
from rencai.workbench.models import SOURCE_FIRST_NUMBER, RevisionState, RuleRevision, SourceDocument
from rencai.workbench.services import revision_create
from rencai.workbench.tests.conftest import DOCTOR_CASE

pytestmark = pytest.mark.django_db(transaction=True)
N = 20
POLICY = "sy-living-subsidy-graduate"
FILE = f"{POLICY}.yaml"


def _draft(officer, value: int) -> RuleRevision:
    text = shipped_texts()[FILE].replace("value: 2500", f"value: {value}", 1)
    return revision_create(actor=officer, file=FILE, text=text, note=f"博士标准{value}元")


def test_twenty_officers_publish_one_draft_at_once_one_wins(officer, replace_case):
    replace_case(POLICY, DOCTOR_CASE, monthly=2600)
    draft = _draft(officer, 2600)
    url = reverse("workbench:publish", args=[draft.pk])
    answers = race(lambda client, i: client.post(url, {"reason": f"市政府通知（第{i}位）", "confirmed": "1"}),
                   clients_for(officer, N))
    counts = assert_success_or_conflict(answers, success=(302,))
    assert counts == {302: 1, 409: N - 1}, counts
    assert all("已发布或已放弃" in a.content.decode() for a in answers if a.status_code == 409)
    draft.refresh_from_db()
    assert draft.state == RevisionState.PUBLISHED and draft.in_force
    assert RuleRevision.objects.filter(file=FILE, in_force=True).count() == 1
    winner = next(i for i, a in enumerate(answers) if a.status_code == 302)
    assert draft.publish_reason == f"市政府通知（第{winner}位）"  # the winner's reason, not a loser's


def test_two_drafts_of_one_rule_published_at_once_the_second_is_stale(officer, replace_case):
    replace_case(POLICY, DOCTOR_CASE, monthly=2600)
    first, second = _draft(officer, 2600), _draft(officer, 2600)
    urls = [reverse("workbench:publish", args=[first.pk]), reverse("workbench:publish", args=[second.pk])]
    answers = race(lambda client, i: client.post(urls[i % 2], {"reason": "市政府通知", "confirmed": "1"}),
                   clients_for(officer, N))
    counts = assert_success_or_conflict(answers, success=(302,))
    assert counts == {302: 1, 409: N - 1}, counts
    published = RuleRevision.objects.filter(file=FILE, state=RevisionState.PUBLISHED)
    assert published.count() == 1 and RuleRevision.objects.filter(file=FILE, in_force=True).count() == 1
    loser = second if published.get() == first else first
    loser.refresh_from_db()
    assert loser.state == RevisionState.DRAFT  # still there to be redone on the one in force
    texts = {a.content.decode() for a in answers if a.status_code == 409}
    assert any("在本草稿起草之后已发布了第" in t for t in texts), texts


def test_twenty_officers_save_drafts_of_one_rule_at_once(officer):
    text = shipped_texts()[FILE]
    url = reverse("workbench:edit", args=[POLICY])
    answers = race(lambda client, i: client.post(url, {"mode": "text", "note": f"第{i}位的草稿",
                                                       "text": text.replace("value: 2500", f"value: {2501 + i}", 1)}),
                   clients_for(officer, N))
    counts = assert_success_or_conflict(answers, success=(302,))
    assert counts == {302: N}, counts  # nobody's draft is lost: each gets the next number
    saved = RuleRevision.objects.filter(file=FILE)
    assert sorted(saved.values_list("number", flat=True)) == list(range(1, N + 1))
    assert {r.note for r in saved} == {f"第{i}位的草稿" for i in range(N)}
    assert all(r.state == RevisionState.DRAFT and f"value: {2501 + int(r.note[1:-4])}" in r.text for r in saved)
    assert not RuleRevision.objects.filter(in_force=True).exists()


def test_twenty_source_documents_stored_at_once(officer):
    texts = [f"关于第{n}批青年人才引进工作的通知\n一、对新引进的博士研究生，每人每月{3000 + n}元生活补贴。\n"
             for n in range(N // 2)]
    url = reverse("workbench:source_document_add")

    def store(client, i):
        n = i % len(texts)
        return client.post(url, {"text": texts[n], "title": f"第{n}批通知", "issuer": "某市人力资源和社会保障局",
                                 "date": "2026年5月10日"})

    answers = race(store, clients_for(officer, N))
    counts = assert_success_or_conflict(answers, success=(302,))
    assert counts == {302: N}, counts
    stored = SourceDocument.objects.order_by("number")
    assert [d.number for d in stored] == list(range(SOURCE_FIRST_NUMBER, SOURCE_FIRST_NUMBER + len(texts)))
    assert sorted(d.text for d in stored) == sorted(texts)
