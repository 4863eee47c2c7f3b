"""Field-key rotation: every encrypted column re-encrypted in place with the new key, resumable after an
interruption, old ciphertexts readable until then, and nothing left for the old key afterwards."""

import base64
import os

import pytest
from django.core.management import CommandError, call_command

from rencai.core import crypto
from rencai.talents.models import Talent

OLD = base64.b64encode(b"o" * 32).decode()
NEW = base64.b64encode(b"n" * 32).decode()


@pytest.fixture
def keys(settings):
    """Switch field keys within a test; the process's keys come back afterwards."""

    def use(current: str, old: list[str] | tuple = ()):
        settings.RENCAI_FIELD_KEY = current
        settings.RENCAI_FIELD_KEYS_OLD = list(old)
        crypto._keys.cache_clear()

    yield use
    crypto._keys.cache_clear()


def _numbers():
    return {t.pk: (crypto.decrypt(t.id_number_cipher), crypto.decrypt(t.phone_cipher)) for t in Talent.objects.all()}


def test_ciphertexts_name_their_key_and_the_old_key_still_opens_its_own(keys):
    keys(OLD)
    sealed_old = crypto.encrypt("210102198506151234")
    assert sealed_old.startswith(f"v2:{crypto.key_id(b'o' * 32)}:")
    keys(NEW, [OLD])
    assert crypto.decrypt(sealed_old) == "210102198506151234"
    assert crypto.encrypt("x").startswith(crypto.current_prefix())
    keys(NEW)
    with pytest.raises(ValueError, match="not configured"):
        crypto.decrypt(sealed_old)
    # The key id is authenticated: a ciphertext relabelled to another key does not open.
    keys(NEW, [OLD])
    relabelled = sealed_old.replace(crypto.key_id(b"o" * 32), crypto.key_id(b"n" * 32))
    with pytest.raises(Exception):  # noqa: B017 - cryptography's InvalidTag
        crypto.decrypt(relabelled)


def test_first_format_ciphertexts_without_key_id_still_open(keys):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    legacy = "v1:" + base64.b64encode(nonce + AESGCM(b"o" * 32).encrypt(nonce, b"13912345678", b"v1")).decode()
    keys(NEW, [OLD])
    assert crypto.decrypt(legacy) == "13912345678"


def test_rotation_re_encrypts_every_column_and_resumes_after_an_interruption(make_talent, keys, monkeypatch):
    keys(OLD)
    for i in range(7):
        make_talent(name=f"人才{i}")
    before = _numbers()
    old_prefix = crypto.current_prefix()

    keys(NEW, [OLD])
    # An interrupted run: the encryption fails on the 10th value (14 values in all, batches of 4).
    real_encrypt, calls = crypto.encrypt, {"n": 0}

    def failing_encrypt(plaintext):
        calls["n"] += 1
        if calls["n"] == 10:
            raise KeyboardInterrupt
        return real_encrypt(plaintext)

    monkeypatch.setattr(crypto, "encrypt", failing_encrypt)
    with pytest.raises(KeyboardInterrupt):
        call_command("rotate_field_key", "--batch-size", "4", stdout=open(os.devnull, "w"))
    monkeypatch.setattr(crypto, "encrypt", real_encrypt)

    ciphers = [c for t in Talent.objects.all() for c in (t.id_number_cipher, t.phone_cipher)]
    rotated = sum(c.startswith(crypto.current_prefix()) for c in ciphers)
    # The id column's two batches (4 + 3) were committed; the phone column's first batch failed and was rolled back.
    assert rotated == 7
    assert sum(c.startswith(old_prefix) for c in ciphers) == 7
    assert _numbers() == before  # readable throughout, with both keys configured

    with pytest.raises(CommandError, match="尚未完成"):
        call_command("rotate_field_key", "--check", stdout=open(os.devnull, "w"))

    # Run again: it picks up what is left.
    call_command("rotate_field_key", "--batch-size", "4", stdout=open(os.devnull, "w"))
    call_command("rotate_field_key", "--check", stdout=open(os.devnull, "w"))

    keys(NEW)  # the old key removed: everything still opens
    assert _numbers() == before
    assert all(c.startswith(crypto.current_prefix())
               for t in Talent.objects.all() for c in (t.id_number_cipher, t.phone_cipher))


def test_limit_spreads_the_work_and_a_missing_key_is_a_clear_error(make_talent, keys):
    keys(OLD)
    make_talent()
    make_talent()
    keys(NEW, [OLD])
    call_command("rotate_field_key", "--limit", "3", stdout=open(os.devnull, "w"))
    left = sum(not c.startswith(crypto.current_prefix())
               for t in Talent.objects.all() for c in (t.id_number_cipher, t.phone_cipher))
    assert left == 1

    keys(NEW)  # the old key dropped too early
    with pytest.raises(CommandError, match="not configured"):
        call_command("rotate_field_key", stdout=open(os.devnull, "w"))


def test_every_encrypted_column_is_found():
    from rencai.core.management.commands.rotate_field_key import encrypted_columns

    found = {f"{m._meta.label}.{n}" for m, n in encrypted_columns()}
    assert {"talents.Talent.id_number_cipher", "talents.Talent.phone_cipher"} <= found
