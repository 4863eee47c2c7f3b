"""A throttle for public forms, which anyone may send without an account (公示's objections): a count per key
in a fixed window, kept in Django's cache — the database cache (settings ``CACHES``), so that every process of
the server and the worker counts together, on SQLite and PostgreSQL alike, with no other server.

``throttle_check`` before the work refuses (429, a Chinese message) once the window's allowance is used;
``throttle_count`` after the work has succeeded counts it, so a refused or invalid attempt costs the sender
nothing. A cache that fails never refuses anyone and never undoes what was accepted: the fault is logged and the
form goes through. Two sends at the very same instant may both pass the check (the count is not a lock): an
allowance of a few an hour is a brake on a script, not a quota."""

import hashlib
import logging
from dataclasses import dataclass

from django.core.cache import cache

from .errors import TooManyRequests

logger = logging.getLogger("rencai.throttle")


@dataclass(frozen=True)
class Limit:
    scope: str  # what is counted, e.g. "objection"
    count: int  # how many in a window
    seconds: int  # the window
    message: str  # the refusal, in Chinese


def _key(limit: Limit, parts: tuple) -> str:
    """The cache key: the scope and a digest of the parts (an address is never stored as it is)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f"throttle:{limit.scope}:{digest}"


def throttle_check(limit: Limit, *parts) -> None:
    """Refuse (429) once ``parts`` (e.g. the client address and the notice) used the window's allowance."""
    try:
        used = cache.get(_key(limit, parts), 0)
    except Exception:  # a cache fault never refuses a citizen
        logger.exception("throttle %s: the cache could not be read; not throttled", limit.scope)
        return
    if used >= limit.count:
        raise TooManyRequests(limit.message)


def throttle_count(limit: Limit, *parts) -> None:
    """Count one accepted send for ``parts``; the window starts with the first."""
    key = _key(limit, parts)
    try:
        if not cache.add(key, 1, timeout=limit.seconds):
            try:
                cache.incr(key)
            except ValueError:  # expired between the two calls: a new window
                cache.add(key, 1, timeout=limit.seconds)
    except Exception:  # what was accepted stays accepted
        logger.exception("throttle %s: the cache could not be written; not counted", limit.scope)
