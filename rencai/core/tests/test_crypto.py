import pytest
from django.db import connection

from rencai.core import crypto
from rencai.core.masking import mask_id_number, mask_phone


def test_encrypt_round_trip_and_fresh_nonce():
    first, second = crypto.encrypt("210102198506151234"), crypto.encrypt("210102198506151234")
    assert first != second
    assert "210102198506151234" not in first
    assert crypto.decrypt(first) == crypto.decrypt(second) == "210102198506151234"


def test_tampered_ciphertext_is_rejected():
    token = crypto.encrypt("13912345678")
    header, _, body = token.rpartition(":")  # v2:<key id>:<base64>
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(Exception):  # noqa: B017 — AES-GCM raises InvalidTag
        crypto.decrypt(f"{header}:{flipped}")


def test_lookup_hash_is_keyed_stable_and_normalised():
    assert crypto.lookup_hash("21010219850615123x") == crypto.lookup_hash(" 21010219850615123X ")
    assert crypto.lookup_hash("210102198506151234") != crypto.lookup_hash("210102198506151235")
    import hashlib

    assert crypto.lookup_hash("210102198506151234") != hashlib.sha256(b"210102198506151234").hexdigest()


def test_masks():
    assert mask_id_number("210102198506151234") == "2101*************4"
    assert mask_id_number("E12345678") == "E1*****78"
    assert mask_phone("13912345678") == "139****5678"


@pytest.mark.django_db
def test_numbers_are_not_stored_in_clear(make_talent):
    talent = make_talent(phone="13912345678")
    id_number = crypto.decrypt(talent.id_number_cipher)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM talents_talent WHERE id = %s", [talent.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    assert id_number not in row
    assert "13912345678" not in row
    assert id_number[:4] + "*" * 13 + id_number[-1] in row  # the masked copy is what is stored for display


def test_the_bulk_forms_equal_the_single_ones():
    values = ["210102198506151234", " e1234567 ", "13912345678"]
    sealed = crypto.encrypt_many(values)
    assert [crypto.decrypt(token) for token in sealed] == values
    assert len({token.rsplit(":", 1)[1][:16] for token in sealed}) == len(values)  # a nonce of its own each
    assert all(token.startswith(crypto.current_prefix()) for token in sealed)
    assert crypto.lookup_hashes(values) == [crypto.lookup_hash(v) for v in values]
