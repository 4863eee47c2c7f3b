"""An uploaded file kept for a short while for the person who uploaded it, so that a next step needs no second
pick of the same file (只导入正确的行 after a check found bad rows).

The file is stored outside the web root (``MEDIA_ROOT/kept-uploads``) under a random name. The page gets a token
signed with the site's key (``django.core.signing``) that names the file, the uploader and the purpose, and
that expires after ``KEEP_SECONDS``: another user's token, a token for another purpose, an altered or an expired
one is refused, and the file is read once (deleted when taken). Files left behind are deleted by the next
keep after they expire (personal data is not kept longer than its use)."""

from __future__ import annotations

import contextlib
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.files import File

from .errors import AppError

KEEP_SECONDS = 3600
FOLDER = "kept-uploads"
_SALT = "rencai.core.kept_uploads"


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    limit = time.time() - KEEP_SECONDS * 2
    for path in folder.iterdir():
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < limit:
                path.unlink()


def upload_keep(upload, *, user, purpose: str) -> str:
    """Keep ``upload`` for ``user``'s next step of ``purpose``; returns the token the page sends back."""
    folder = _folder()
    _sweep(folder)
    name = secrets.token_hex(16)
    with open(folder / name, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    payload = {"u": user.pk, "p": purpose, "f": name, "n": (getattr(upload, "name", "") or "")[:200]}
    return signing.dumps(payload, salt=_SALT, compress=True)


EXPIRED = "上次上传的文件已过期或已使用（保留一小时，只能使用一次），请重新选择文件上传"


@contextlib.contextmanager
def upload_take(token: str, *, user, purpose: str, label: str = "文件") -> Iterator[File]:
    """The kept file as an uploaded file (its original name), for ``user`` and ``purpose`` only; deleted after
    use. A token that is not theirs, altered, expired or already used is refused (400) with a message naming the
    field (``label``)."""
    try:
        payload = signing.loads(token or "", salt=_SALT, max_age=KEEP_SECONDS)
    except signing.BadSignature:
        raise AppError(f"{label}：{EXPIRED}", code="kept_upload_expired", status=400) from None
    path = _folder() / Path(str(payload.get("f", ""))).name
    if payload.get("u") != user.pk or payload.get("p") != purpose or not path.is_file():
        raise AppError(f"{label}：{EXPIRED}", code="kept_upload_expired", status=400)
    try:
        with open(path, "rb") as handle:
            yield File(handle, name=payload.get("n") or "上传文件")
    finally:
        path.unlink(missing_ok=True)
