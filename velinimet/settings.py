"""Velinimet settings: everything configurable comes from VELINIMET_* environment variables.

Embedded (default): SQLite in WAL mode and a SQLite-backed Huey queue under the data folder.
Scaled out: VELINIMET_DATABASE_URL=postgres://... and VELINIMET_REDIS_URL=redis://...
Switching between the two is configuration only.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"VELINIMET_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise RuntimeError(f"VELINIMET_{name} must be true or false, not {value!r}")


DATA_DIR = Path(env("DATA_DIR", str(Path.cwd() / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
(DATA_DIR / "static").mkdir(exist_ok=True)


def _secret_key() -> str:
    """The key comes from the environment or from a file made once in the data folder, never the repo."""
    if key := env("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # 2FA backup codes (stored hashed: accounts.two_factor)
    "axes",
    "csp",
    "huey.contrib.djhuey",
    "velinimet.core",
    "velinimet.accounts",
    "velinimet.customers",
    "velinimet.activities",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "velinimet.core.transfer.TransferEncodingMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "velinimet.core.middleware.BodySizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "velinimet.core.input_guard.NulCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "velinimet.accounts.middleware.NoStoreMiddleware",
    "velinimet.accounts.middleware.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "velinimet.accounts.middleware.UserPreferencesMiddleware",
    "velinimet.accounts.middleware.TwoFactorEnforcementMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "velinimet.urls"
WSGI_APPLICATION = "velinimet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "velinimet.core.context_processors.shell",
            ],
        },
    }
]

# --- database -----------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    # A kept connection is pinged before a request reuses it: one the server or a proxy dropped is
    # replaced instead of failing the request's first query.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DB_PREPARE", True):
        # Lets psycopg keep prepared statements on the connection. Only ``core.compiled.prepared_cursor``
        # asks for them: Django's own cursor binds parameters on the client and never prepares.
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 100
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "velinimet.sqlite3"),
            "OPTIONS": {
                # WAL lets the web server read while the worker writes; IMMEDIATE avoids
                # "database is locked" upgrades from read to write transactions. secure_delete zeroes
                # what a delete or update frees, so an erased person's values leave the file (KVKK).
                # busy_timeout comes first: set after journal_mode, a connection opened while another
                # held the lock failed at once instead of waiting its turn. Writers queue for up to
                # SQLITE_BUSY_SECONDS (a 200-line import chunk holds the lock for ~0.1 s).
                "init_command": (
                    f"PRAGMA busy_timeout={int(float(env('SQLITE_BUSY_SECONDS', '30')) * 1000)}; "
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL: the reads made on every request (``core.compiled``: API token, caller lookup) are sent as
# prepared statements, planned once per connection. Off for a pooler that cannot keep prepared
# statements (PgBouncer in transaction mode before 1.21).
DB_PREPARE_HOT_READS = DATABASE_URL != "" and env_bool("DB_PREPARE", True)

# --- background jobs ------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env("QUEUE_NAME", "velinimet"),
        "url": REDIS_URL,
        "immediate": False,
        "consumer": {"workers": 2, "worker_type": "thread", "verbose": False},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "velinimet",
        "filename": str(DATA_DIR / "queue.sqlite3"),
        "immediate": False,
        "consumer": {"workers": 2, "worker_type": "thread", "verbose": False},
    }
JOB_STALE_MINUTES = int(env("JOB_STALE_MINUTES", "10"))
JOB_MAX_ATTEMPTS = int(env("JOB_MAX_ATTEMPTS", "3"))
if env_bool("TASKS_IMMEDIATE", False):
    HUEY["immediate"] = True

# --- cache ----------------------------------------------------------------------------------
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- accounts and security ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("LOGIN_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failures count per user whatever case the name is typed in ("AYŞE" = "ayşe"), not per typed string.
AXES_USERNAME_CALLABLE = "velinimet.accounts.lockout.lockout_username"
AXES_LOCKOUT_CALLABLE = "velinimet.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "Velinimet"

# Outgoing mail (the password reset link), through an SMTP server.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("SMTP_HOST", "localhost")
EMAIL_PORT = int(env("SMTP_PORT", "25"))
EMAIL_HOST_USER = env("SMTP_USER")
EMAIL_HOST_PASSWORD = env("SMTP_PASSWORD")
EMAIL_USE_TLS = env_bool("SMTP_STARTTLS", False)
EMAIL_USE_SSL = env_bool("SMTP_SSL", False)
EMAIL_TIMEOUT = int(env("SMTP_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = env("MAIL_FROM", "Velinimet <velinimet@localhost>")
#: The address links in e-mails start with (https://crm.example.com); without it, the address the request came to.
BASE_URL = env("BASE_URL").rstrip("/")
# "Forgot password": the link works once and for this long; requests per typed name and per address per hour.
PASSWORD_RESET_TIMEOUT = int(float(env("PASSWORD_RESET_MINUTES", "60")) * 60)
PASSWORD_RESET_PER_NAME_PER_HOUR = int(env("PASSWORD_RESET_PER_NAME_PER_HOUR", "3"))
PASSWORD_RESET_PER_IP_PER_HOUR = int(env("PASSWORD_RESET_PER_IP_PER_HOUR", "20"))

# Sessions end after VELINIMET_SESSION_IDLE_MINUTES without a request (0: never), and in any case
# VELINIMET_SESSION_MAX_HOURS after the login, however active (``accounts.middleware.SessionTimeoutMiddleware``).
SESSION_IDLE_MINUTES = int(env("SESSION_IDLE_MINUTES", "480"))
SESSION_COOKIE_AGE = int(float(env("SESSION_MAX_HOURS", "336")) * 3600)  # two weeks, Django's default
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
# HTTP Strict Transport Security, for deployments served over TLS only: browsers then refuse plain
# http for this many seconds. Off (0) by default: a wrong value locks browsers out of a plain-http install.
SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)

# Strict CSP: only our own origin; no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Request bodies above this many bytes are refused before any parsing (413).
MAX_REQUEST_BODY = int(env("MAX_REQUEST_BODY", str(10 * 1024 * 1024)))
#: Uploads of import files may be larger than other requests.
MAX_IMPORT_BODY = int(env("MAX_IMPORT_BODY", str(100 * 1024 * 1024)))
IMPORT_PATHS = ("/customers/import/", "/api/v1/imports/")
#: Caps on an import file, checked by the job as it streams the file; each refuses the file naming the line.
IMPORT_MAX_LINES = int(env("IMPORT_MAX_LINES", "1000000"))
IMPORT_MAX_COLUMNS = int(env("IMPORT_MAX_COLUMNS", "200"))
IMPORT_MAX_CELL_CHARS = int(env("IMPORT_MAX_CELL_CHARS", "100000"))  # 10x the longest field (notes)
IMPORT_MAX_LINE_CHARS = int(env("IMPORT_MAX_LINE_CHARS", "1000000"))
#: JSON bodies nested deeper than this are refused with a 400 before they are parsed (core/parsers.py).
API_JSON_MAX_DEPTH = int(env("API_JSON_MAX_DEPTH", "32"))
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY
# `velinimet serve` (velinimet/serving.py): a client gets this long for its request line and headers, and for
# its body this long plus one second per REQUEST_BODY_MIN_RATE bytes received; then 408 or a closed connection.
REQUEST_HEADER_TIMEOUT = float(env("REQUEST_HEADER_TIMEOUT", "10"))
REQUEST_BODY_TIMEOUT = float(env("REQUEST_BODY_TIMEOUT", "30"))
REQUEST_BODY_MIN_RATE = int(env("REQUEST_BODY_MIN_RATE", "500"))
#: Requests each web worker process runs at once (each in a thread, with its own database connection).
WEB_THREADS = int(env("WEB_THREADS", "4"))

# --- internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "tr"
LANGUAGES = [("tr", _("Turkish")), ("en", _("English")), ("az", _("Azerbaijani"))]
LANGUAGE_NATIVE_NAMES = {"tr": "Türkçe", "en": "English", "az": "Azərbaycanca"}
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# Dates and numbers per language: velinimet/formats/<lang>/formats.py decides (one short date, one date and
# time, the separators of numbers); core.numbers formats and parses numbers with the same separators.
FORMAT_MODULE_PATH = ["velinimet.formats"]
TIME_ZONE = env("TIME_ZONE", "Europe/Istanbul")
COMMON_TIME_ZONES = ["Europe/Istanbul", "Asia/Baku", "UTC", "Europe/Berlin", "Europe/London"]

# --- static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
EXPORT_DIR = DATA_DIR / "exports"
# Job result files (exports, lines with problems) hold personal data: deleted after this many days.
EXPORT_RETENTION_DAYS = int(env("EXPORT_RETENTION_DAYS", "7"))

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "velinimet.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["velinimet.core.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "velinimet.core.rest.CursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "velinimet.core.rest.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Velinimet API",
    "DESCRIPTION": "REST API of Velinimet CRM. Authenticate with `Authorization: Token <key>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Every operation documents the error answers it can give, in the one error shape (core/openapi.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "velinimet.core.openapi.add_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
