"""Writes of the policies app: loading the catalog files into the database."""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from .engine.catalog import CATALOG_DIR, catalog_texts, load_catalog_texts
from .models import PolicyRecord, PolicyRevision


@dataclass
class CatalogSyncResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)


def catalog_load(*, directory: Path | str = CATALOG_DIR) -> CatalogSyncResult:
    """Check the whole catalog first (a CatalogError names file, line and reason, and nothing is written),
    then bring the database in line with it in one transaction, keeping every revision. The default catalog is
    the one in force: a rule the office published in the workbench stays in force over its shipped file."""
    directory = Path(directory)
    if directory == CATALOG_DIR:  # the catalog in force: the shipped files and the workbench's publications
        from .published import catalog_changed

        current = catalog_changed()
        texts, catalog = current.texts, current.catalog
    else:
        texts = catalog_texts(directory)
        catalog = load_catalog_texts(texts)
    result = CatalogSyncResult()
    now = timezone.now()
    with transaction.atomic():
        existing = {r.policy: r for r in PolicyRecord.objects.select_for_update()}
        for policy in catalog.policies.values():
            text = texts[policy.file]
            digest = hashlib.sha256(text.encode()).hexdigest()
            values = {
                "title": policy.title, "kind": policy.kind, "subject": policy.subject,
                "jurisdiction": policy.jurisdiction, "document": policy.source.document,
                "quote": policy.source.quote, "in_force_from": policy.in_force_from,
                "in_force_until": policy.in_force_until, "no_application": policy.no_application,
                "rule_text": text, "content_hash": digest, "active": True,
            }
            record = existing.pop(policy.id, None)
            if record is None:
                record = PolicyRecord.objects.create(policy=policy.id, loaded_at=now, **values)
                result.created.append(policy.id)
            elif record.content_hash != digest or not record.active:
                for name, value in values.items():
                    setattr(record, name, value)
                record.loaded_at = now
                record.save()
                result.updated.append(policy.id)
            else:
                result.unchanged.append(policy.id)
                continue
            PolicyRevision.objects.get_or_create(record=record, content_hash=digest,
                                                 defaults={"rule_text": text, "loaded_at": now})
        for record in existing.values():
            if record.active:
                record.active = False
                record.save(update_fields=["active"])
                result.retired.append(record.policy)
    return result
