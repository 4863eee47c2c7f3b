"""Reads of the policy workbench: the rules with their revisions and open points, one revision's text."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from rencai.policies.documents import document_for
from rencai.policies.published import effective, shipped_texts

from .models import RevisionState, RuleRevision

SHIPPED = 0  # the number by which pages name the shipped file (version 0, not stored)


@dataclass
class RuleRow:
    file: str
    policy: str
    title: str
    citation: str
    in_force_number: int
    drafts: int
    open_points: int
    decided_points: int
    is_group: bool


def rules_overview(query: str = "") -> list[RuleRow]:
    """Every rule of the catalog in force (policies and exclusive groups), with its version in force, its
    drafts and its open points."""
    current = effective()
    counts = {row["file"]: row for row in RuleRevision.objects.values("file").annotate(
        drafts=Count("pk", filter=Q(state=RevisionState.DRAFT)))}
    in_force = dict(RuleRevision.objects.filter(in_force=True).values_list("file", "number"))
    rows = []
    for policy in current.catalog.policies.values():
        rows.append(RuleRow(policy.file, policy.id, policy.title, document_for(policy.source.document).citation,
                            in_force.get(policy.file, SHIPPED), counts.get(policy.file, {}).get("drafts", 0),
                            sum(1 for p in policy.open_points if p.decision is None),
                            sum(1 for p in policy.open_points if p.decision is not None), False))
    for group in current.catalog.groups.values():
        rows.append(RuleRow(group.file, group.id, group.title, document_for(group.source.document).citation,
                            in_force.get(group.file, SHIPPED), counts.get(group.file, {}).get("drafts", 0), 0, 0,
                            True))
    # Rules only drafted so far (a new policy from 起草辅助) are listed too.
    known = {row.file for row in rows}
    for file, policy in RuleRevision.objects.exclude(file__in=known).values_list("file", "policy").distinct():
        rows.append(RuleRow(file, policy, f"（新规则草稿）{policy}", "", SHIPPED,
                            counts.get(file, {}).get("drafts", 0), 0, 0, file.endswith(".group.yaml")))
    if query:
        rows = [r for r in rows if query in r.title or query in r.citation]
    return sorted(rows, key=lambda r: (r.is_group, r.policy))


def file_of(policy: str) -> str | None:
    """The catalog file of a policy or group id (in force, shipped, or only drafted)."""
    current = effective().catalog
    if policy in current.policies:
        return current.policies[policy].file
    if policy in current.groups:
        return current.groups[policy].file
    return RuleRevision.objects.filter(policy=policy).values_list("file", flat=True).first()


def revisions_of(file: str):
    return RuleRevision.objects.filter(file=file).select_related("created_by", "published_by").order_by("-number")


def text_of(file: str, number: int) -> str | None:
    """A version's text: 0 is the shipped file; None when there is no such version."""
    if number == SHIPPED:
        return shipped_texts().get(file)
    return RuleRevision.objects.filter(file=file, number=number).values_list("text", flat=True).first()


def in_force_text(file: str) -> str:
    return effective().texts.get(file, "")
