"""The catalog talent see: the shipped files (``catalog/*.yaml``) overlaid by the revisions an office has
published in the policy workbench (workbench.RuleRevision, ``in_force``). Nothing a draft says reaches it.

Each process keeps the compiled catalog and looks at most every ``RENCAI_CATALOG_RECHECK_SECONDS`` for a newer
publication (one indexed query); the process that publishes swaps its own at once (``catalog_changed``). The
tests set the recheck to 0: then only ``catalog_changed`` moves it, and each test starts from the shipped files.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from functools import cache

from django.conf import settings

from .engine.catalog import Catalog, catalog_texts, load_catalog_texts


@dataclass(frozen=True)
class Effective:
    stamp: tuple  # (file, revision number) of every revision in force: what identifies the overlay
    texts: dict
    catalog: Catalog
    version: str  # a digest of every text: a match set computed with another catalog is recomputed


@cache
def shipped_texts() -> dict[str, str]:
    return catalog_texts()


def _digest(texts: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for name in sorted(texts):
        digest.update(name.encode() + b"\0" + str(texts[name]).encode() + b"\0")
    return digest.hexdigest()


def policy_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@cache
def _shipped() -> Effective:
    texts = shipped_texts()
    return Effective((), texts, load_catalog_texts(texts), _digest(texts))


_lock = threading.Lock()
_state: dict = {"effective": None, "checked": 0.0}


def _in_force() -> list[tuple[str, int, str]]:
    from rencai.workbench.models import RuleRevision

    return list(RuleRevision.objects.filter(in_force=True).order_by("file").values_list("file", "number", "text"))


def overlay(texts: dict[str, str], revisions) -> dict[str, str]:
    """The shipped texts with these (file, number, text) revisions in their place."""
    merged = dict(texts)
    for file, _number, text in revisions:
        merged[file] = text
    return merged


def _build(revisions) -> Effective:
    if not revisions:
        return _shipped()
    texts = overlay(shipped_texts(), revisions)
    return Effective(tuple((f, n) for f, n, _ in revisions), texts, load_catalog_texts(texts), _digest(texts))


def effective() -> Effective:
    """The catalog in force now (see the module docstring for how fresh)."""
    current = _state["effective"]
    recheck = settings.RENCAI_CATALOG_RECHECK_SECONDS
    if current is not None and (not recheck or time.monotonic() - _state["checked"] < recheck):
        return current
    with _lock:
        current = _state["effective"]
        if current is None and not recheck:
            current = _shipped()  # tests: only catalog_changed() brings publications in
        elif current is None or time.monotonic() - _state["checked"] >= recheck:
            revisions = _in_force()
            stamp = tuple((f, n) for f, n, _ in revisions)
            if current is None or current.stamp != stamp:
                current = _build(revisions)
        _state["effective"], _state["checked"] = current, time.monotonic()
    return current


def catalog_changed() -> Effective:
    """Read the revisions in force again now (after a publication, in the process that made it)."""
    with _lock:
        current = _build(_in_force())
        _state["effective"], _state["checked"] = current, time.monotonic()
    return current


def reset_to_shipped() -> None:
    """Tests: forget any publication (the database they were in is gone)."""
    with _lock:
        _state["effective"], _state["checked"] = None, 0.0


def effective_catalog() -> Catalog:
    return effective().catalog


def effective_version() -> str:
    return effective().version


def rule_text(file: str) -> str:
    """The text in force of one catalog file."""
    return effective().texts[file]
