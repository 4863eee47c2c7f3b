"""Reads for the 起草辅助 and 歧义检查 pages: a text read into marked sentences, findings and proposals; the
catalog's rule for the same sentence and the item-by-item comparison with a proposal; the five documents'
ambiguity report. No writes here: starting a draft revision is services.revision_create."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from rencai.policies.documents import BY_KEY, DOCUMENTS, document_text
from rencai.policies.fields import ALL_FIELDS, REGION_LABELS, value_label
from rencai.policies.published import effective

from .reader import ambiguity
from .reader.accuracy import gold_of
from .reader.findings import PERIOD_LABELS, Finding
from .reader.numerals import plain, yuan_words
from .reader.proposals import Proposal, guess_jurisdiction, propose_document
from .reader.text import Sentence, locate

OPS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">"}
FIELD_EXTRA = {"graduation_years": "毕业年限（年）", "graduation_months": "毕业年限（月）"}


@dataclass
class Piece:
    text: str
    finding: Finding | None = None
    anchor: str = ""


@dataclass
class ReadSentence:
    sentence: Sentence
    pieces: list[Piece]
    findings: list[Finding]
    proposal: Proposal | None
    anchors: dict[int, str]  # id(finding) → the anchor of the mark that shows it
    catalog: list[dict] = field(default_factory=list)

    @property
    def items(self) -> list[tuple[Finding, str]]:
        return [(f, self.anchors.get(id(f), f.anchor)) for f in self.findings]

    @property
    def draft(self) -> dict | None:
        return present(self.proposal, self.anchors) if self.proposal else None


def _link(f: Finding, anchors: dict[int, str]) -> dict:
    return {"words": f.words, "anchor": anchors.get(id(f), f.anchor), "reading": f.reading}


def present(proposal: Proposal, anchors: dict[int, str]) -> dict:
    """A proposal as the page shows it: every value with the anchor of its words."""
    rows = []
    for row in proposal.rows:
        value = None
        if row.value is not None:
            number = row.value.value
            label = f"{plain(number)}㎡" if row.value.kind == "area" else yuan_words(number)
            value = {**_link(row.value, anchors), "label": label}
        rows.append({"groups": [_link(f, anchors) for f in row.findings], "value": value,
                     "manual": _link(row.manual, anchors) if row.manual else None, "when": row.when})
    return {
        "rows": rows,
        "conditions": [{"test": c.test, "label": c.label, "links": [_link(f, anchors) for f in c.findings]}
                       for c in proposal.conditions],
        "period": PERIOD_LABELS.get(proposal.period, "") if proposal.unit == "元" and rows else "",
        "months": {**_link(proposal.months, anchors), "count": plain(proposal.months.value)}
        if proposal.months else None,
        "cap": proposal.cap, "unit": proposal.unit, "to_supply": proposal.to_supply, "yaml": proposal.yaml,
        "problems": proposal.problems, "file": f"{proposal.policy_id}.yaml", "policy_id": proposal.policy_id,
        "subject": proposal.subject,
    }


def marked(sentence: Sentence, findings: list[Finding]) -> tuple[list[Piece], dict[int, str]]:
    """The sentence cut into plain and marked pieces; a finding inside another's mark links to that mark."""
    pieces: list[Piece] = []
    anchors: dict[int, str] = {}
    at = sentence.start
    last: tuple[int, int, str] | None = None
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if f.start < at:
            if last and last[0] <= f.start and f.end <= last[1]:
                anchors[id(f)] = last[2]
            continue
        if f.start > at:
            pieces.append(Piece(sentence.text[at - sentence.start:f.start - sentence.start]))
        pieces.append(Piece(f.words if f.words == sentence.text[f.start - sentence.start:f.end - sentence.start]
                            else sentence.text[f.start - sentence.start:f.end - sentence.start], f, f.anchor))
        anchors[id(f)] = f.anchor
        last, at = (f.start, f.end, f.anchor), f.end
    if at < sentence.end:
        pieces.append(Piece(sentence.text[at - sentence.start:]))
    return pieces, anchors


def _seed_texts() -> dict[str, str]:
    return {d.file: document_text(d.key) for d in DOCUMENTS.values()}


def read_text(text: str, *, jurisdiction: str | None = None) -> dict:
    """Everything the 起草辅助 page shows for a text."""
    from .sources import seed_with_text, stored_for_text

    region = jurisdiction if jurisdiction in REGION_LABELS else guess_jurisdiction(text)
    documents = _seed_texts()
    stored = stored_for_text(text)  # a text an office stored as a 依据文件: its proposals cite it
    if stored is not None:
        documents[stored.file] = stored.text
    items, proposals = propose_document(text, jurisdiction=region, documents=documents)
    by_sentence = {p.sentence.index: p for p in proposals}
    from .reader.findings import find_all

    shown = []
    for sentence in items:
        proposal = by_sentence.get(sentence.index)
        found = proposal.findings if proposal else find_all(text, sentence)
        if not any(f.kind != "place" for f in found):
            continue  # a place alone (我市, 沈阳) says nothing a rule would hold
        pieces, anchors = marked(sentence, found)
        read = ReadSentence(sentence, pieces, found, proposal, anchors)
        if proposal is not None:
            read.catalog = [comparison(proposal, policy) for policy in catalog_policies(sentence.text)]
        shown.append(read)
    return {"read": True, "sentences": shown, "sentence_count": len(items), "proposal_count": len(proposals),
            "jurisdiction": region, "jurisdiction_label": REGION_LABELS.get(region or "", "未能从文本判断"),
            "stored_document": stored, "seed_text": stored is None and seed_with_text(text) is not None}


def catalog_policies(sentence_text: str) -> list:
    """The catalog's policies (in force) whose source quote is this sentence, stands in it, or contains it."""
    words = sentence_text.rstrip("。；;")
    found = []
    for policy in effective().catalog.policies.values():
        quote = policy.source.quote
        if locate(words, quote) or (len(words) >= 8 and locate(quote, words)):
            found.append(policy)
    return found


def _item_label(kind: str, item) -> str:
    if kind == "amounts":
        return plain(item) if item < 1 or item < 100 else yuan_words(item).replace("元", "")
    if kind == "groups":
        name, value = item
        label = ALL_FIELDS[name].label if name in ALL_FIELDS else name
        return f"{label}：{value_label(name, value)}"
    name, op, value = item
    label = FIELD_EXTRA.get(name) or (ALL_FIELDS[name].label if name in ALL_FIELDS else name)
    return f"{label} {OPS.get(op, op)} {plain(value)}"


KIND_TITLES = {"amounts": "数额（金额、面积、期限月数、比例）", "groups": "对象（学历、类别、等级…）",
               "thresholds": "界限（年龄、毕业年限…）"}


def comparison(proposal: Proposal, policy) -> dict:
    """A proposal beside the catalog's rule for the same sentence, item by item: in both, only in the catalog
    (the reader missed it), only in the proposal (the reader added it)."""
    gold = gold_of(policy)
    mine = {"amounts": proposal.amounts(), "groups": proposal.groups(), "thresholds": proposal.thresholds()}
    kinds = []
    for kind, title in KIND_TITLES.items():
        rows = [{"label": _item_label(kind, item), "catalog": item in gold[kind], "proposal": item in mine[kind]}
                for item in sorted(gold[kind] | mine[kind], key=str)]
        kinds.append({"title": title, "rows": rows, "agree": sum(1 for r in rows if r["catalog"] and r["proposal"]),
                      "total": len(rows)})
    return {"policy": policy, "kinds": kinds, "catalog_yaml": effective().texts.get(policy.file, ""),
            "proposal_yaml": proposal.yaml,
            "amount": _amount_words(policy)}


def _amount_words(policy) -> str:
    amount = policy.amount
    if amount is None:
        return "无金额（服务或仅审核）"
    words = "每月" if amount.monthly is not None else "一次性"
    if amount.monthly is not None:
        words += f"，发放{amount.months}个月" if amount.months else "，期限未定"
    return words + ("，上限" if amount.cap else "")


def period_label(period: str) -> str:
    return PERIOD_LABELS.get(period, "")


def document_choices() -> list[tuple[str, str]]:
    """(key, title) of the five documents: people see titles, never file names."""
    return [(d.key, d.title) for d in DOCUMENTS.values()]


def compare_document(key: str) -> list[dict]:
    """Every catalog policy citing document ``key``, each beside the reader's proposal for its sentence(s)."""
    text = document_text(key)
    file = BY_KEY[key].file  # a seed document or one an office added
    _items, proposals = propose_document(text, documents={file: text})
    rows = []
    for policy in effective().catalog.policies.values():
        if policy.source.document != file:
            continue
        span = locate(text, policy.source.quote)
        mine = [p for p in proposals if span and p.sentence.start < span[1] and span[0] < p.sentence.end]
        rows.append({"policy": policy, "proposals": mine, "comparisons": [comparison(p, policy) for p in mine]})
    return rows


@functools.cache
def example_report() -> list[dict]:
    """The ambiguity check over the five documents (they do not change while the process runs)."""
    return [ambiguity_of(document_text(d.key), title=d.title, key=d.key) for d in DOCUMENTS.values()]


def ambiguity_of(text: str, *, title: str = "", key: str = "") -> dict:
    flags = ambiguity.check(text)
    groups: dict[int, list] = {}
    for flag in flags:
        groups.setdefault(flag.sentence.index, []).append(flag)
    sentences = [{"sentence": fl[0].sentence, "pieces": ambiguity.highlighted(fl[0].sentence, fl), "flags": fl}
                 for fl in groups.values()]
    kinds: dict[str, int] = {}
    for flag in flags:
        kinds[flag.kind] = kinds.get(flag.kind, 0) + 1
    return {"title": title, "key": key, "count": len(flags), "kinds": sorted(kinds.items()), "sentences": sentences}
