"""Settings for every environment, driven by environment variables (RENCAI_*, DATABASE_URL)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # .../rencai
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(os.environ.get("RENCAI_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("RENCAI_DEBUG", "1") == "1"
DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me-in-production"  # noqa: S105 - public, development only
SECRET_KEY = os.environ.get("RENCAI_SECRET_KEY", "")
if not DEBUG:
    # Production refuses to start on a public or missing key (sessions, CSRF and signed links rest on it),
    # and checks the personal-data keys now rather than at the first encrypted write.
    _missing = [name for name in ("RENCAI_SECRET_KEY", "RENCAI_FIELD_KEY", "RENCAI_HASH_KEY")
                if not os.environ.get(name)]
    if _missing:
        raise ImproperlyConfigured(f"{', '.join(_missing)} must be set when RENCAI_DEBUG=0 (see README: Security)")
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("RENCAI_SECRET_KEY must be a random value of at least 50 characters "
                                   "when RENCAI_DEBUG=0 (see README: Security)")
SECRET_KEY = SECRET_KEY or DEV_SECRET_KEY
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
    "rencai.reviews",
    "rencai.audit",
    "rencai.documents",
    "rencai.payments",
    "rencai.fulfilment",
    "rencai.services",
    "rencai.demo",
    "axes",  # login throttling (README: Security)
    "csp",
    "django_tasks",  # background work (README: Background work)
    "django_tasks_db",
    "rencai.jobs",
    "rencai.notifications",
    "rencai.workdays",
    "rencai.datahub",
    "rencai.feedback",
    "rencai.programmes",
    "rencai.analytics",
    "rencai.ledgers",
    "rencai.earlywarning",
    "rencai.opportunities",
    "rencai.events",
    "rencai.matching",
    "rencai.workbench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "rencai.audit.context.AuditContextMiddleware",  # the client address for the audit log
    "rencai.core.middleware.RejectNulMiddleware",  # after auth: its refusal page shows the user's menu
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "rencai.core.middleware.FriendlyErrorMiddleware",
    "rencai.core.confirm.ConfirmAskMiddleware",  # the confirmation dialog's question never reaches an act
    "rencai.core.security.NoStoreMiddleware",  # personal data is never kept in a browser or proxy cache
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
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
                "rencai.notifications.context_processors.inbox",
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
    # WAL lets the demo server read while a long import writes. Every transaction takes the write lock when it
    # begins (BEGIN IMMEDIATE), so concurrent writers queue on the busy timeout (seconds) instead of failing
    # with "database is locked" when a read transaction tries to become a write one; a conflict then ends as
    # the documented 409 or a success (issue 14, item 4).
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["timeout"] = 30
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Chinese only, whatever the browser asks for (Accept-Language): no LocaleMiddleware, one language, so that
# Django's own messages (password rules, form errors, the admin) are always in zh-hans.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
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
# A talent workbook larger than this is imported by a background job with progress (smaller: in the request).
RENCAI_IMPORT_INLINE_BYTES = int(os.environ.get("RENCAI_IMPORT_INLINE_BYTES", str(256 * 1024)))
# A what-if over more talents than this (in the user's jurisdiction) runs as a background job with progress.
RENCAI_WHATIF_INLINE_TALENTS = int(os.environ.get("RENCAI_WHATIF_INLINE_TALENTS", "20000"))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Personal data keys (个人信息保护法): AES-GCM key for encryption at rest and an HMAC key for look-ups.
# Both are 32 random bytes, base64. Without them (development only) a key file under var/ is created.
RENCAI_FIELD_KEY = os.environ.get("RENCAI_FIELD_KEY", "")
RENCAI_HASH_KEY = os.environ.get("RENCAI_HASH_KEY", "")
RENCAI_DEV_KEY_FILE = VAR_DIR / "dev-keys.json"
# Rotation (rencai rotate_field_key): former field keys, comma-separated, kept for decryption only until the
# command has re-encrypted every column with RENCAI_FIELD_KEY.
RENCAI_FIELD_KEYS_OLD = [k.strip() for k in os.environ.get("RENCAI_FIELD_KEYS_OLD", "").split(",") if k.strip()]

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken

# ---- Security (README: Security) ----
# Login throttling (django-axes): by account and, separately, by client address; an administrator unlocks in
# the admin site (Axes → Access attempts) or with `rencai axes_reset_username NAME` / `rencai axes_reset_ip ADDRESS`.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("RENCAI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("RENCAI_LOGIN_COOLOFF_HOURS", "1"))  # hours; then it lifts by itself
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "rencai.core.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "rencai.core.security.client_ip"
# Behind a reverse proxy: how many proxies append to X-Forwarded-For (0: use the connection's address).
RENCAI_PROXY_COUNT = int(os.environ.get("RENCAI_PROXY_COUNT", "0"))
AXES_SENSITIVE_PARAMETERS = []  # its log names the account and address tried (never the password)
AXES_VERBOSE = False  # no start-up banner on every command
# Django's cache is the database cache: the throttle of the public forms (core.throttle: 公示's objections) then
# counts across every process (the server's workers, the background worker) on SQLite and PostgreSQL alike, with
# no other server. Its table is made by the migration core.0001 (`rencai migrate`).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "rencai_cache",
                     "OPTIONS": {"MAX_ENTRIES": 50_000}}}  # past it a third is dropped: counts would restart

# The technical 500 page (DEBUG) and error e-mails never show passwords, personal numbers or reasons.
DEFAULT_EXCEPTION_REPORTER_FILTER = "rencai.core.error_reporting.PersonalDataReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "rencai.core.error_reporting.PersonalDataExceptionReporter"

# Content-Security-Policy (django-csp): scripts and style sheets only from this site (no inline script);
# style attributes are allowed (they cannot run code; ECharts' tooltips use them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# HTTPS in production. Behind a TLS-terminating proxy set RENCAI_SECURE_PROXY_SSL_HEADER, e.g.
# "HTTP_X_FORWARDED_PROTO=https" (the proxy must set that header itself, overwriting the client's).
if _proxy_header := os.environ.get("RENCAI_SECURE_PROXY_SSL_HEADER", ""):
    _name, _, _value = _proxy_header.partition("=")
    SECURE_PROXY_SSL_HEADER = (_name.strip(), _value.strip() or "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = os.environ.get("RENCAI_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("RENCAI_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("RENCAI_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("RENCAI_HSTS_PRELOAD", "1") == "1"
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("RENCAI_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_numbers": {"()": "rencai.core.error_reporting.MaskPersonalNumbers"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_personal_numbers"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("RENCAI_LOG_LEVEL", "WARNING")},
    # Failed logins, lock-outs and unlocks (django-axes): user name and address, never the password.
    "loggers": {"axes": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# ---- Background work (README: Background work): the django.tasks API through the django-tasks backport, its
# database backend (the queue is a table in the same SQLite or PostgreSQL database; no other server).
# `rencai worker` runs the tasks and the schedule (rencai/jobs/schedule.py).
TASKS = {"default": {"BACKEND": os.environ.get("RENCAI_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# A worker that has not written its heartbeat for this long is taken as dead: its running tasks are run again.
RENCAI_WORKER_STALE_SECONDS = int(os.environ.get("RENCAI_WORKER_STALE_SECONDS", "120"))
# How often a process looks for a rule newly published in the policy workbench (policies.published).
RENCAI_CATALOG_RECHECK_SECONDS = float(os.environ.get("RENCAI_CATALOG_RECHECK_SECONDS", "5"))

# ---- E-mail: notifications (站内消息) are also sent by e-mail; the console backend prints them (development).
EMAIL_BACKEND = os.environ.get("RENCAI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("RENCAI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("RENCAI_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("RENCAI_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("RENCAI_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("RENCAI_EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("RENCAI_DEFAULT_FROM_EMAIL", "rencai@localhost")
# The address of the site in e-mails' links.
RENCAI_SITE_URL = os.environ.get("RENCAI_SITE_URL", "http://127.0.0.1:8000")
