"""Encryption at rest for personal numbers (身份证, 护照, 手机号) and keyed hashes for look-up.

Numbers are stored as AES-256-GCM ciphertext (``v1:<base64 nonce+ciphertext>``) plus an HMAC-SHA256
digest under a separate key, so that the same person can be found and de-duplicated without decrypting
anything. Keys come from the environment (RENCAI_FIELD_KEY, RENCAI_HASH_KEY); for development only, a key
file is created under var/ so that the demo runs with no set-up.
"""

import base64
import hashlib
import hmac
import json
import os
import secrets
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_VERSION = "v1"


def _decode_key(value: str, name: str) -> bytes:
    try:
        key = base64.b64decode(value, validate=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be 32 bytes in base64") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name} must be 32 bytes in base64, got {len(key)} bytes")
    return key


def _dev_keys() -> dict[str, str]:
    path = settings.RENCAI_DEV_KEY_FILE
    if not settings.DEBUG:
        raise ImproperlyConfigured("RENCAI_FIELD_KEY and RENCAI_HASH_KEY must be set when RENCAI_DEBUG=0")
    if path.exists():
        return json.loads(path.read_text())
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = {name: base64.b64encode(secrets.token_bytes(32)).decode() for name in ("field", "hash")}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(keys, fh)
    return keys


@cache
def _keys() -> tuple[AESGCM, bytes]:
    field, hashing = settings.RENCAI_FIELD_KEY, settings.RENCAI_HASH_KEY
    if not field or not hashing:
        dev = _dev_keys()
        field, hashing = field or dev["field"], hashing or dev["hash"]
    return AESGCM(_decode_key(field, "RENCAI_FIELD_KEY")), _decode_key(hashing, "RENCAI_HASH_KEY")


def encrypt(plaintext: str) -> str:
    aead, _ = _keys()
    nonce = secrets.token_bytes(12)
    sealed = aead.encrypt(nonce, plaintext.encode(), _VERSION.encode())
    return f"{_VERSION}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str) -> str:
    aead, _ = _keys()
    version, _, body = token.partition(":")
    if version != _VERSION:
        raise ValueError(f"unknown ciphertext version {version!r}")
    raw = base64.b64decode(body)
    return aead.decrypt(raw[:12], raw[12:], _VERSION.encode()).decode()


def lookup_hash(value: str) -> str:
    """Keyed digest of a normalised number, for unique constraints and exact look-up."""
    _, key = _keys()
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()
