"""Writes of the policy workbench: draft revisions of a rule, publication, discarding (issue 13).

A rule's text is checked before it is kept: it must parse and type-check with the rest of the catalog in
force (a CatalogError's line and reason, in Chinese), and every quote it cites — its sources and its open
points' sentences — must stand verbatim in its document. Publishing also runs the policy's test cases against
the catalog the revision would make; a failure refuses it and the revision in force stays. After the commit the
process's catalog is swapped (policies.published) and 政策找人 re-runs for the changed policies in the background.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from rencai.core.errors import AppError, Conflict, FieldError, NotFound
from rencai.core.locks import turn_for
from rencai.policies.documents import highlighted, source_text
from rencai.policies.engine.catalog import ID_PATTERN, Catalog, CatalogError, load_catalog_texts
from rencai.policies.published import effective, overlay, policy_digest

from .models import RevisionState, RuleRevision
from .permissions import require_officer

FILE_PATTERN = re.compile(r"^(?P<id>[a-z0-9-]+)(?P<group>\.group)?\.yaml$")
MAX_TEXT = 100_000


class RuleError(AppError):
    """A rule refused: where (line) and why, in Chinese; nothing is kept or changed."""

    def __init__(self, problems: list[str], field: str = "text"):
        super().__init__(message="；".join(problems), code="invalid_rule", status=422,
                         errors=[FieldError(field, p) for p in problems])
        self.problems = problems


@dataclass(frozen=True)
class Checked:
    file: str
    policy: str
    catalog: Catalog  # the whole catalog as it would be with this text in force
    texts: dict


def _chinese(message: str) -> str:
    """The loader's messages are "中文 / English": people read the Chinese part."""
    return message.split(" / ")[0].strip()


def policy_of(file: str) -> str:
    found = FILE_PATTERN.match(file)
    if not found:
        raise RuleError(["规则文件名无效"], field="file")
    return found["id"]


def _quotes(data_policy) -> list[tuple[str, str, str]]:
    """(what, document file, words) of every quote the rule cites."""
    found = [("依据原文", data_policy.source.document, data_policy.source.quote)]
    found += [("其他依据原文", s.document, s.quote) for s in getattr(data_policy, "also_sources", ())]
    documents = [data_policy.source.document, *(s.document for s in getattr(data_policy, "also_sources", ()))]
    for point in getattr(data_policy, "open_points", ()):
        found.append((f"开放事项“{point.question}”的原文", "|".join(documents), point.sentence))
    return found


def _verbatim(document_files: str, words: str) -> bool:
    for file in document_files.split("|"):
        text = source_text(file)  # a seed document or one an office added (workbench.sources)
        if text is not None and highlighted(text, words)[1]:
            return True
    return False


def rule_check(file: str, text: str) -> Checked:
    """The text as it would stand in the catalog in force: parsed, type-checked, quotes verbatim."""
    policy_id = policy_of(file)
    if not text.strip():
        raise RuleError(["规则文本不能为空"])
    if len(text) > MAX_TEXT:
        raise RuleError([f"规则文本过长（最多{MAX_TEXT:,}字）"])
    if not file.endswith(".group.yaml") and not ID_PATTERN.match(policy_id):
        raise RuleError(["政策编号须以 sy-/nt-/ln-/zz- 开头，由小写字母、数字和短横线组成"], field="file")
    texts = overlay(effective().texts, [(file, 0, text)])
    try:
        catalog = load_catalog_texts(texts)
    except CatalogError as error:
        mine = [p for p in error.problems if p.file == file]
        others = [p for p in error.problems if p.file != file]
        problems = [f"第{p.line}行：{_chinese(p.message)}" if p.line else _chinese(p.message) for p in mine]
        problems += [f"与其他规则冲突（{p.file.removesuffix('.yaml')}）：{_chinese(p.message)}" for p in others]
        raise RuleError(problems) from None
    item = catalog.groups.get(policy_id) if file.endswith(".group.yaml") else catalog.policies.get(policy_id)
    if item is None:
        raise RuleError([f"规则文本中的编号与文件不符（应为 {policy_id}）"])
    problems = [f"{what}不在依据文件中（须逐字摘自原文）：“{words[:60]}”"
                for what, document, words in _quotes(item) if not _verbatim(document, words)]
    if problems:
        raise RuleError(problems)
    return Checked(file, policy_id, catalog, texts)


def revision_create(*, actor, file: str, text: str, note: str = "", based_on: RuleRevision | None = None
                    ) -> RuleRevision:
    """A new draft revision of ``file`` (every edit is one; nothing changes for talent until one is
    published). ``based_on``: the revision it was edited from (None: the shipped file, or a new rule)."""
    require_officer(actor)
    text = text.replace("\r\n", "\n")
    checked = rule_check(file, text)
    if based_on is not None and based_on.file != file:
        raise RuleError(["所基于的版本不是同一条规则"], field="based_on")
    with transaction.atomic():
        turn_for(f"workbench.revision:{file}")  # officers saving the same rule at once take numbers in turn
        number = (RuleRevision.objects.filter(file=file).order_by("-number").values_list("number", flat=True)
                  .first() or 0) + 1
        return RuleRevision.objects.create(
            file=file, policy=checked.policy, number=number, based_on=based_on, text=text,
            content_hash=policy_digest(text), note=note.strip()[:2000], created_by=actor)


def revision_get(pk: int) -> RuleRevision:
    """One revision, without its kept cost (up to a megabyte per jurisdiction: workbench.cost reads its parts)."""
    revision = RuleRevision.objects.filter(pk=pk).defer("cost").first()
    if revision is None:
        raise NotFound("未找到该规则版本")
    return revision


def revision_discard(*, actor, revision: RuleRevision) -> RuleRevision:
    require_officer(actor)
    updated = RuleRevision.objects.filter(pk=revision.pk, state=RevisionState.DRAFT).update(
        state=RevisionState.DISCARDED)
    if not updated:
        raise Conflict("只有草稿可以放弃；该版本已发布或已放弃")
    revision.refresh_from_db()
    return revision


def _cases_check(checked: Checked) -> dict:
    from .cases import cases_run

    if checked.file.endswith(".group.yaml"):
        group = checked.catalog.groups[checked.policy]
        policies = list(group.members)
    else:
        policies = [checked.policy]
    results = [r for pid in policies for r in cases_run(pid, checked.catalog)]
    failed = [r for r in results if not r.passed]
    return {"ran": len(results), "failed": [{"policy": r.case.policy, "name": r.case.name, "why": r.why}
                                           for r in failed]}


def revision_publish(*, actor, revision: RuleRevision, reason: str) -> RuleRevision:
    """Put a draft in force: checked again against the catalog in force now, its policy's cases passed, the
    reason given. The revision in force before it stays kept (no longer in force). Afterwards (on commit):
    this process's catalog is swapped and 政策找人 re-runs for the changed policies in the background."""
    require_officer(actor)
    reason = (reason or "").strip()
    if not reason:
        raise RuleError(["请填写发布理由（为什么修改这条规则）"], field="publish_reason")
    with transaction.atomic():
        locked = list(RuleRevision.objects.select_for_update().filter(file=revision.file).order_by("number"))
        current = next((r for r in locked if r.pk == revision.pk), None)
        if current is None or current.state != RevisionState.DRAFT:
            raise Conflict("该版本已发布或已放弃，不能再发布")
        in_force = next((r for r in locked if r.in_force), None)
        if in_force is not None and current.based_on_id != in_force.pk and in_force.published_at > current.created_at:
            raise Conflict(f"这条规则在本草稿起草之后已发布了第{in_force.number}版；请在现行版本上修改后再发布",
                           code="stale_revision")
        checked = rule_check(current.file, current.text)
        checks = _cases_check(checked)
        if checks["failed"]:
            raise RuleError([f"测试用例“{f['name']}”未通过：{f['why']}" for f in checks["failed"]],
                            field="cases")
        before = effective().catalog
        now = timezone.now()
        if in_force is not None:
            RuleRevision.objects.filter(pk=in_force.pk).update(in_force=False)
        RuleRevision.objects.filter(pk=current.pk).update(
            state=RevisionState.PUBLISHED, in_force=True, published_by=actor, published_at=now,
            publish_reason=reason[:2000], checks=checks)
        _record(checked, current.text, now)
        changed = changed_policies(before, checked.catalog)
        transaction.on_commit(lambda: _after_publish(actor, changed), robust=True)
    current.refresh_from_db()
    return current


def changed_policies(before: Catalog, after: Catalog) -> list[str]:
    """The person policies whose compiled rule differs between two catalogs (a group's change touches its
    members): what 政策找人 must evaluate again."""
    from .diff import policy_fingerprint

    ids = set(before.policies) | set(after.policies)
    return sorted(pid for pid in ids
                  if policy_fingerprint(before.policies.get(pid)) != policy_fingerprint(after.policies.get(pid)))


def _record(checked: Checked, text: str, now) -> None:
    """The policies app's record of the rule in force (what decisions cite: PolicyRecord/PolicyRevision)."""
    from rencai.policies.models import PolicyRecord, PolicyRevision

    policy = checked.catalog.policies.get(checked.policy)
    if policy is None or checked.file.endswith(".group.yaml"):
        return
    digest = policy_digest(text)
    values = {"title": policy.title, "kind": policy.kind, "subject": policy.subject,
              "jurisdiction": policy.jurisdiction, "document": policy.source.document, "quote": policy.source.quote,
              "in_force_from": policy.in_force_from, "in_force_until": policy.in_force_until,
              "no_application": policy.no_application, "rule_text": text, "content_hash": digest, "active": True,
              "loaded_at": now}
    record, _ = PolicyRecord.objects.update_or_create(policy=policy.id, defaults=values)
    PolicyRevision.objects.get_or_create(record=record, content_hash=digest,
                                         defaults={"rule_text": text, "loaded_at": now})


def _after_publish(actor, changed: list[str]) -> None:
    from rencai.policies.published import catalog_changed

    catalog_changed()
    from .rematch import rematch_enqueue

    # Also when no result can change (wording only): the job then only moves the result set's catalog mark, so
    # that the next 政策找人 run stays incremental instead of recomputing everyone.
    rematch_enqueue(policies=changed, actor=actor)
