import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

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
