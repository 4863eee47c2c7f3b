"""Production defaults: no start without keys, `check --deploy` clean, security headers, no-store on personal data."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

RENCAI = str(Path(sys.executable).parent / "rencai")


def _run(tmp_path, *args, **env):
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("RENCAI_", "DJANGO_")) and k != "DATABASE_URL"}
    base.update(RENCAI_VAR_DIR=str(tmp_path), **env)
    return subprocess.run([RENCAI, *args], env=base, capture_output=True, text=True, timeout=120,  # noqa: S603
                          cwd=tmp_path)


def _keys():
    key = lambda: base64.b64encode(os.urandom(32)).decode()  # noqa: E731
    return {"RENCAI_SECRET_KEY": secrets.token_urlsafe(50), "RENCAI_FIELD_KEY": key(), "RENCAI_HASH_KEY": key(),
            "RENCAI_ALLOWED_HOSTS": "rencai.example.cn"}


@pytest.mark.parametrize("missing", ["RENCAI_SECRET_KEY", "RENCAI_FIELD_KEY", "RENCAI_HASH_KEY"])
def test_production_refuses_to_start_without_a_key(tmp_path, missing):
    env = {k: v for k, v in _keys().items() if k != missing}
    result = _run(tmp_path, "check", RENCAI_DEBUG="0", **env)
    assert result.returncode != 0
    assert f"{missing} must be set when RENCAI_DEBUG=0" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("weak", ["dev-only-insecure-secret-key-change-me-in-production", "short", "a" * 60])
def test_production_refuses_the_public_or_a_weak_secret_key(tmp_path, weak):
    result = _run(tmp_path, "check", RENCAI_DEBUG="0", **{**_keys(), "RENCAI_SECRET_KEY": weak})
    assert result.returncode != 0 and "at least 50 characters" in result.stderr


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = _run(tmp_path, "check", "--deploy", "--fail-level", "WARNING", RENCAI_DEBUG="0",
                  RENCAI_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO=https", **_keys())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    # ... and the development defaults would not pass it (the check is real).
    dev = _run(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert dev.returncode != 0 and "security.W004" in dev.stderr + dev.stdout


def test_production_security_settings(tmp_path):
    code = ("from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
            "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)")
    result = _run(tmp_path, "shell", "-c", code, RENCAI_DEBUG="0",
                  RENCAI_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO=https", **_keys())
    assert result.stdout.split("\n")[-2] == "True 31536000 True True ('HTTP_X_FORWARDED_PROTO', 'https')", result


@pytest.mark.django_db
def test_security_headers_and_no_store_on_personal_data(client, heping_staff, make_talent):
    talent = make_talent()
    anonymous = client.get("/")
    assert "Content-Security-Policy" in anonymous and "frame-ancestors 'none'" in anonymous["Content-Security-Policy"]
    assert "no-store" not in anonymous.get("Cache-Control", "")  # public pages may be cached
    assert anonymous["X-Frame-Options"] == "DENY" and anonymous["X-Content-Type-Options"] == "nosniff"

    client.force_login(heping_staff)
    for url in ("/", f"/talents/{talent.pk}/", "/talents/", f"/api/talents/{talent.pk}", "/talents/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url


@pytest.mark.django_db
def test_the_public_card_verification_is_not_cached(client):
    for url in ("/verify/" + "A" * 43, "/api/recognition/verify/" + "A" * 43):
        assert "no-store" in client.get(url)["Cache-Control"], url
