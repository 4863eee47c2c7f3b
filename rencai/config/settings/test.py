"""Test settings: fixed keys, fast hashing; DATABASE_URL still chooses SQLite or PostgreSQL."""

import contextlib
import os

os.environ.setdefault("RENCAI_FIELD_KEY", "dGVzdC1maWVsZC1rZXktMzItYnl0ZXMtbG9uZy4uLi4=")
os.environ.setdefault("RENCAI_HASH_KEY", "dGVzdC1oYXNoLWtleS0zMi1ieXRlcy1sb25nLi4uLi4=")
# Playwright's sync API runs an event loop in the test thread; the ORM calls it makes are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from .base import *  # noqa: F403

# Tasks run at once, in the test (after the commit where they are enqueued on commit); the worker's own tests
# switch to the database backend.
TASKS = {
    "default": {"BACKEND": os.environ.get("RENCAI_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's shared in-memory database: each thread of a race test (and the live server) then has
    # a connection of its own, as in production, and the races run for real on SQLite too. One file per test
    # process (xdist adds its worker suffix), in the temporary directory, removed when the session ends.
    import atexit
    import glob
    import tempfile

    _TEST_DB = os.path.join(tempfile.gettempdir(), f"rencai-test-{os.getpid()}.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": _TEST_DB}  # noqa: F405

    @atexit.register
    def _remove_test_db_files() -> None:  # Django removes the database; WAL leaves its -wal and -shm files
        for leftover in glob.glob(glob.escape(_TEST_DB) + "*"):
            with contextlib.suppress(OSError):
                os.remove(leftover)

    # Nothing in a test database needs to survive a power cut.
    DATABASES["default"]["OPTIONS"]["init_command"] += "PRAGMA synchronous=OFF;"  # noqa: F405

# Each test starts from the shipped catalog; a publication reaches the test's process at once (policies.published).
RENCAI_CATALOG_RECHECK_SECONDS = 0
