"""Encryption at rest for personal numbers (身份证, 护照, 手机号) and keyed hashes for look-up.

Numbers are stored as AES-256-GCM ciphertext (``v2:<key id>:<base64 nonce+ciphertext>``) plus an HMAC-SHA256
digest under a separate key, so that the same person can be found and de-duplicated without decrypting
anything. Keys come from the environment (RENCAI_FIELD_KEY, RENCAI_HASH_KEY); for development only, a key
file is created under var/ so that the demo runs with no set-up.

The field key can be rotated: every ciphertext names the key that sealed it (its id: a digest of the key, never
the key), new values are always sealed with RENCAI_FIELD_KEY, and keys listed in RENCAI_FIELD_KEYS_OLD still
open what they sealed until ``rencai rotate_field_key`` has re-encrypted every column (README: Security).
Ciphertexts of the first format (``v1:...``, no key id) are opened with whichever configured key fits.
"""

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_LEGACY = "v1"  # v1:<base64 nonce+ciphertext>, authenticated data "v1": before key ids
_VERSION = "v2"  # v2:<key id>:<base64 nonce+ciphertext>, authenticated data "v2:<key id>"
CIPHER_SUFFIX = "_cipher"  # every encrypted column is a text field named *_cipher (rotate_field_key finds them)


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


def key_id(key: bytes) -> str:
    """A short public name for a field key: which key sealed a value, without revealing it."""
    return hashlib.sha256(b"rencai-field-key-id:" + key).hexdigest()[:8]


@dataclass(frozen=True)
class _Keys:
    current_id: str
    field: dict[str, AESGCM]  # by key id: the current key and the old ones still configured for decryption
    hashing: bytes


@cache
def _keys() -> _Keys:
    field, hashing = settings.RENCAI_FIELD_KEY, settings.RENCAI_HASH_KEY
    if not field or not hashing:
        dev = _dev_keys()
        field, hashing = field or dev["field"], hashing or dev["hash"]
    current = _decode_key(field, "RENCAI_FIELD_KEY")
    keys = {key_id(current): AESGCM(current)}
    for old in getattr(settings, "RENCAI_FIELD_KEYS_OLD", []):
        raw = _decode_key(old, "RENCAI_FIELD_KEYS_OLD")
        keys.setdefault(key_id(raw), AESGCM(raw))
    return _Keys(key_id(current), keys, _decode_key(hashing, "RENCAI_HASH_KEY"))


def current_key_id() -> str:
    return _keys().current_id


def current_prefix() -> str:
    """What every ciphertext sealed with the current field key starts with."""
    return f"{_VERSION}:{current_key_id()}:"


def encrypt(plaintext: str) -> str:
    keys = _keys()
    nonce = secrets.token_bytes(12)
    header = f"{_VERSION}:{keys.current_id}"
    sealed = keys.field[keys.current_id].encrypt(nonce, plaintext.encode(), header.encode())
    return f"{header}:{base64.b64encode(nonce + sealed).decode()}"


def encrypt_many(plaintexts: list[str]) -> list[str]:
    """``encrypt`` for many values at once (a bulk load): the same format, one random draw for all nonces."""
    keys = _keys()
    header = f"{_VERSION}:{keys.current_id}"
    aad, seal = header.encode(), keys.field[keys.current_id].encrypt
    nonces = secrets.token_bytes(12 * len(plaintexts))
    b64 = base64.b64encode
    return [f"{header}:{b64((n := nonces[12 * i:12 * i + 12]) + seal(n, value.encode(), aad)).decode()}"
            for i, value in enumerate(plaintexts)]


def decrypt(token: str) -> str:
    keys = _keys()
    version, _, rest = token.partition(":")
    if version == _VERSION:
        kid, _, body = rest.partition(":")
        if kid not in keys.field:
            raise ValueError(f"field key {kid!r} is not configured (RENCAI_FIELD_KEY, RENCAI_FIELD_KEYS_OLD)")
        raw = base64.b64decode(body)
        return keys.field[kid].decrypt(raw[:12], raw[12:], f"{_VERSION}:{kid}".encode()).decode()
    if version == _LEGACY:
        raw = base64.b64decode(rest)
        for aead in keys.field.values():
            try:
                return aead.decrypt(raw[:12], raw[12:], _LEGACY.encode()).decode()
            except InvalidTag:
                continue
        raise ValueError("no configured field key opens this ciphertext")
    raise ValueError(f"unknown ciphertext version {version!r}")


def lookup_hash(value: str) -> str:
    """Keyed digest of a normalised number, for unique constraints and exact look-up."""
    return hmac.new(_keys().hashing, value.strip().upper().encode(), hashlib.sha256).hexdigest()


def lookup_hashes(values: list[str]) -> list[str]:
    """``lookup_hash`` for many values at once (a bulk load). HMAC (RFC 2104) is computed from SHA-256 states
    primed once with the key's inner and outer pads, each value then costing two copies and two short updates —
    half the time of ``hmac.digest``, whose OpenSSL 3 one-shot sets the key up again for every value."""
    key = _keys().hashing
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key)).copy
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key)).copy
    out = []
    for value in values:
        h = inner()
        h.update(value.strip().upper().encode())
        o = outer()
        o.update(h.digest())
        out.append(o.hexdigest())
    return out
