"""How well the reader proposes what the catalog encodes (bench/reader_accuracy.py prints it).

For every policy and exclusive group of the shipped catalog, the sentences of its source quote in its document
are read; the gold is taken from the catalog's own parsed rules, never typed by hand:

- amounts: table row values, the numbers in amount and let expressions (not 0, not a year count inside
  ``add_years``), and ``months``;
- groups: the values a row's ``when`` or a condition tests — ``degree == "doctor"``, ``talent_category in
  ["B", "C"]``, ``"national_technical_expert" in honors``;
- thresholds: a number a condition compares a numeric field with, with its operator (``age <= 55``), and a
  graduation window ``add_years(graduation_date, N)`` as (graduation_years, <=, N);
- exclusivity: each exclusive group's sentence should yield a 不可兼得 finding.

Policies whose sentences overlap are scored together (one passage); a passage's proposals are the union over
its sentences. Precision = right proposals / proposals; recall = gold found / gold."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from rencai.policies.engine import expr as ex
from rencai.policies.fields import ALL_FIELDS, Type

from .findings import find_all
from .numerals import yuan_words
from .proposals import propose
from .text import covering, locate, sentences

KINDS = ("amounts", "groups", "thresholds")
SKIPPED_FIELDS = {"as_of", "received", "city", "province"}
FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _walk(node: ex.Node):
    yield node
    for child in ex.children(node):
        yield from _walk(child)


def _is_add_years(node: ex.Node) -> bool:
    return isinstance(node, ex.Call) and node.func == "add_years"


def numbers(node: ex.Node) -> set[Decimal]:
    """The numeric constants of an amount or let expression (0 and add_years' year counts left out)."""
    skip = {id(n) for call in _walk(node) if isinstance(call, ex.Call) and call.func in ("add_years", "date")
            for n in _walk(call)}
    return {_decimal(n.value) for n in _walk(node) if isinstance(n, ex.Const) and isinstance(n.value, Fraction)
            and not isinstance(n.value, bool) and n.value != 0 and id(n) not in skip}


def groups_tested(node: ex.Node) -> set[tuple[str, str]]:
    found = set()
    for n in _walk(node):
        if not isinstance(n, ex.Compare) or n.op not in ("==", "in"):
            continue
        left, right = n.left, n.right
        if isinstance(left, ex.Name) and left.name not in SKIPPED_FIELDS and left.name in ALL_FIELDS:
            if isinstance(right, ex.Const) and isinstance(right.value, str) and right.value:
                found.add((left.name, right.value))
            elif isinstance(right, ex.ListConst):
                found |= {(left.name, item) for item in right.items}
        elif isinstance(right, ex.Name) and isinstance(left, ex.Const) and isinstance(left.value, str) \
                and right.name not in SKIPPED_FIELDS:
            found.add((right.name, left.value))
    return found


def thresholds_tested(node: ex.Node) -> set[tuple[str, str, Decimal]]:
    found = set()
    for n in _walk(node):
        if not isinstance(n, ex.Compare) or n.op not in FLIP:
            continue
        left, right, op = n.left, n.right, n.op
        if _is_add_years(left):
            left, right, op = right, left, FLIP[op]
        if _is_add_years(right) and op in ("<=", "<"):
            base, years = right.args
            if isinstance(base, ex.Name) and base.name == "graduation_date" and isinstance(years, ex.Const):
                found.add(("graduation_years", op, _decimal(years.value)))
            continue
        if isinstance(right, ex.Name) and isinstance(left, ex.Const):
            left, right, op = right, left, FLIP[op]
        if isinstance(left, ex.Name) and isinstance(right, ex.Const) and isinstance(right.value, Fraction) \
                and left.name in ALL_FIELDS and ALL_FIELDS[left.name].type == Type.NUM:
            found.add((left.name, op, _decimal(right.value)))
    return found


def words_of(policy) -> str:
    """What a policy says in words rather than in its rule: screening, manual rows, notes."""
    parts = [policy.screening or "", *policy.notes]
    parts += [row.manual or "" for let in policy.lets for row in let.rows]
    return "\n".join(parts)


def gold_of(policy) -> dict[str, set]:
    """What a parsed catalog policy encodes, by kind."""
    amounts: set = set()
    groups: set = set()
    thresholds: set = set()
    nodes = [c.test for c in policy.conditions if not c.implicit]
    for let in policy.lets:
        if let.is_table:
            amounts |= {_decimal(row.value) for row in let.rows if row.value is not None}
            nodes += [row.when for row in let.rows]
        elif let.expr is not None:
            amounts |= numbers(let.expr)
            nodes.append(let.expr)
            if _is_add_years(let.expr):  # deadline: add_years(graduation_date, 5), compared with <=
                base, years = let.expr.args
                if isinstance(base, ex.Name) and base.name == "graduation_date":
                    thresholds.add(("graduation_years", "<=", _decimal(years.value)))
    if policy.amount is not None:
        for node in (policy.amount.monthly, policy.amount.one_time):
            if node is not None:
                amounts |= numbers(node)
        if policy.amount.months:
            amounts.add(Decimal(policy.amount.months))
    for node in nodes:
        groups |= groups_tested(node)
        thresholds |= thresholds_tested(node)
    return {"amounts": amounts, "groups": groups, "thresholds": thresholds}


@dataclass
class Passage:
    document: str
    sentences: list[int]
    policies: list[str]
    gold: dict[str, set] = field(default_factory=dict)
    proposed: dict[str, set] = field(default_factory=dict)
    words: str = ""  # what the catalog says of these policies in words only (screening, manual rows, notes)


@dataclass
class Score:
    kind: str
    right: int = 0
    proposed: int = 0
    gold: int = 0
    misses: list[tuple[str, object]] = field(default_factory=list)  # (policies, item)
    extras: list[tuple[str, object]] = field(default_factory=list)
    in_words: int = 0  # added amounts the catalog states only in words (a programme's screening text)

    @property
    def precision_with_words(self) -> float:
        """Precision if an amount the catalog states in words only counts as right."""
        return (self.right + self.in_words) / self.proposed if self.proposed else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.gold if self.gold else 1.0


def measure(catalog=None) -> tuple[dict[str, Score], list[Passage]]:
    """Score the reader against the catalog (the shipped one by default)."""
    from rencai.policies.documents import DOCUMENTS, document_text
    from rencai.policies.engine.catalog import load_catalog

    catalog = catalog or load_catalog()
    passages: list[Passage] = []
    by_document: dict[str, list[tuple[str, set[int], dict]]] = {}
    for policy in catalog.policies.values():
        doc = DOCUMENTS[policy.source.document]
        text = document_text(doc.key)
        span = locate(text, policy.source.quote)
        if span is None:
            raise ValueError(f"{policy.id}: quote not in {doc.key}")
        indices = {s.index for s in covering(sentences(text), *span)}
        by_document.setdefault(doc.key, []).append((policy.id, indices, gold_of(policy), words_of(policy)))
    for key, entries in sorted(by_document.items()):
        text = document_text(key)
        items = sentences(text)
        merged: list[Passage] = []
        for pid, indices, gold, words in entries:
            joined = [p for p in merged if indices & set(p.sentences)]
            passage = Passage(key, sorted(indices), [pid], {k: set(v) for k, v in gold.items()}, words=words)
            for other in joined:
                merged.remove(other)
                passage.sentences = sorted(set(passage.sentences) | set(other.sentences))
                passage.policies = other.policies + passage.policies
                passage.words += "\n" + other.words
                for kind in KINDS:
                    passage.gold[kind] |= other.gold[kind]
            merged.append(passage)
        for passage in merged:
            passage.proposed = {kind: set() for kind in KINDS}
            for index in passage.sentences:
                proposal = propose(text, items[index])
                if proposal is not None:
                    passage.proposed["amounts"] |= proposal.amounts()
                    passage.proposed["groups"] |= proposal.groups()
                    passage.proposed["thresholds"] |= proposal.thresholds()
        passages += merged
    scores = {kind: Score(kind) for kind in KINDS}
    for passage in passages:
        who = "、".join(passage.policies)
        for kind in KINDS:
            gold, proposed = passage.gold[kind], passage.proposed[kind]
            score = scores[kind]
            score.right += len(gold & proposed)
            score.proposed += len(proposed)
            score.gold += len(gold)
            score.misses += [(who, item) for item in sorted(gold - proposed, key=str)]
            score.extras += [(who, item) for item in sorted(proposed - gold, key=str)]
            if kind == "amounts":
                score.in_words += sum(1 for item in proposed - gold if yuan_words(item) in passage.words)
    exclusive = Score("exclusive")
    for group in catalog.groups.values():
        doc = DOCUMENTS[group.source.document]
        text = document_text(doc.key)
        span = locate(text, group.source.quote)
        exclusive.gold += 1
        hits = [f for s in covering(sentences(text), *span) for f in find_all(text, s) if f.kind == "exclusive"]
        exclusive.proposed += 1 if hits else 0
        exclusive.right += 1 if hits else 0
        if not hits:
            exclusive.misses.append((group.id, "不可兼得"))
    scores["exclusive"] = exclusive
    return scores, passages
