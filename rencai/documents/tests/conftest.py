import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rencai.accounts.enums import Role

_seq = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48


def upload(content: bytes = PDF, name: str | None = None) -> SimpleUploadedFile:
    """A distinct file each call unless the same ``content`` and ``name`` are passed with ``unique=False``."""
    n = next(_seq)
    return SimpleUploadedFile(name or f"材料{n}.pdf", content + f"\n% {n}\n".encode())


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def talent_user(make_user, make_talent):
    """A talent in 和平区 with an account."""
    user = make_user("zhangsan", Role.TALENT)
    talent = make_talent(name="张三明")
    talent.user = user
    talent.save(update_fields=["user"])
    user.refresh_from_db()
    return user


@pytest.fixture
def talent(talent_user):
    from rencai.talents.models import Talent

    return Talent.objects.get(user=talent_user)
