"""Settings for every environment, driven by environment variables (RENCAI_*, DATABASE_URL)."""

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # .../rencai
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(os.environ.get("RENCAI_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("RENCAI_DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("RENCAI_SECRET_KEY", "dev-only-insecure-secret-key-change-me-in-production")
ALLOWED_HOSTS = os.environ.get("RENCAI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rencai.core",
    "rencai.accounts",
    "rencai.regions",
    "rencai.organizations",
    "rencai.talents",
    "rencai.policies",
    "rencai.recognition",
    "rencai.audit",
    "rencai.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "rencai.audit.context.AuditContextMiddleware",  # the client address for the audit log
    "rencai.core.middleware.RejectNulMiddleware",  # after auth: its refusal page shows the user's menu
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "rencai.core.middleware.FriendlyErrorMiddleware",
]

ROOT_URLCONF = "rencai.config.urls"
WSGI_APPLICATION = "rencai.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rencai.accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'rencai.sqlite3'}"),
        conn_max_age=int(os.environ.get("RENCAI_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a long import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["timeout"] = 30

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded evidence lives outside the web root and is served only through permission-checked views.
MEDIA_ROOT = Path(os.environ.get("RENCAI_MEDIA_ROOT", VAR_DIR / "private"))

# Uploads: refuse anything larger than this with a clear message (see core.uploads).
RENCAI_MAX_UPLOAD_BYTES = int(os.environ.get("RENCAI_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = RENCAI_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = RENCAI_MAX_UPLOAD_BYTES + 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Personal data keys (个人信息保护法): AES-GCM key for encryption at rest and an HMAC key for look-ups.
# Both are 32 random bytes, base64. Without them (development only) a key file under var/ is created.
RENCAI_FIELD_KEY = os.environ.get("RENCAI_FIELD_KEY", "")
RENCAI_HASH_KEY = os.environ.get("RENCAI_HASH_KEY", "")
RENCAI_DEV_KEY_FILE = VAR_DIR / "dev-keys.json"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("RENCAI_LOG_LEVEL", "WARNING")},
}
