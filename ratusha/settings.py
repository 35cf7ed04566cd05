"""Server settings for Ratusha.

Everything that differs between installations of the *server* comes from the environment, with
safe local defaults; everything that belongs to the *hromada* (its name, codes, contacts, logo)
lives in the database as Wagtail site settings (``core.HromadaSettings``).

Modes (``RATUSHA_MODE``): ``local`` (default: DEBUG on, SQLite under ``var/``, a secret key
generated once and kept in ``var/secret_key``) and ``production`` (DEBUG off, ``SECRET_KEY`` and
``ALLOWED_HOSTS`` required, secure cookies, HSTS; ``manage.py check --deploy`` is clean).
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("RATUSHA_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

MODE = env.str("RATUSHA_MODE", default="local")
if MODE not in {"local", "production"}:
    raise ImproperlyConfigured(f"RATUSHA_MODE must be 'local' or 'production', not {MODE!r}")
PRODUCTION = MODE == "production"


def _local_secret_key() -> str:
    """A key generated on first start and kept under var/ so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set (at least 50 characters) when RATUSHA_MODE=production"
        )
else:
    SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret_key()

DEBUG = env.bool("DEBUG", default=not PRODUCTION)

if PRODUCTION:
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when RATUSHA_MODE=production")
else:
    ALLOWED_HOSTS = env.list(
        "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"]
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "ratusha.core",
    "ratusha.portal",
    "ratusha.acts",
    "ratusha.council",
    "ratusha.security",
    "ratusha.ops",
    "ratusha.opendata",
    "ratusha.search",
    "ratusha.feedback",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before the page cache, so a page served from the cache carries the policy too.
    "ratusha.security.middleware.ContentSecurityPolicyMiddleware",
    "ratusha.core.middleware.AnonymousPageCacheMiddleware",
    # Inside the cache: with the database down, cached pages still serve and the rest get 503.
    "ratusha.ops.middleware.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ratusha.core.middleware.UkrainianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ratusha.security.middleware.SessionExpiryMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ratusha.security.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: turns a lockout during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ratusha.urls"
WSGI_APPLICATION = "ratusha.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ratusha" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "ratusha.core.context_processors.site_chrome",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://user@host:5432/name) or SQLite under var/ by default.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ratusha.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets the task worker and the web server use the file at once.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

UNDER_PYTEST = "pytest" in __import__("sys").modules
# One cache shared by every process that serves or changes pages: the web server's workers and
# the task worker (`make run` starts both; the worker publishes scheduled pages and must purge
# what the web server keeps). Locally a file cache under var/cache; in production Redis:
# CACHE_URL=redis://127.0.0.1:6379/1 (README). Under pytest each process keeps its own.
CACHES = {
    "default": env.cache_url(
        "CACHE_URL",
        default="locmemcache://ratusha" if UNDER_PYTEST else f"filecache://{VAR_DIR / 'cache'}",
    )
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Redis down: the site serves uncached instead of failing (core/cache_backends.py).
    CACHES["default"]["BACKEND"] = "ratusha.core.cache_backends.ResilientRedisCache"
if CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
    # A file per entry; past MAX_ENTRIES a third of them is dropped at the next write.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 10_000)
# Wagtail writes every image rendition it uses to this cache on every use (a dozen a page: the
# banners, the thumbnails): kept in each process's memory, not on disk or over the network.
# Renditions do not change once made; a deleted one is looked up again after TIMEOUT.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "ratusha-renditions",
    "TIMEOUT": 600,
    "OPTIONS": {"MAX_ENTRIES": 20_000},
}
# Full pages for anonymous visitors (core.middleware.AnonymousPageCacheMiddleware), purged on
# every change of what they show; 0 turns it off. Production shares one cache between workers:
# CACHE_URL=redis://127.0.0.1:6379/1. Off under pytest unless a test turns it on: a test database
# rolled back under a process-wide cache would otherwise serve an earlier test's pages.
PORTAL_CACHE_SECONDS = env.int(
    "PORTAL_CACHE_SECONDS", default=0 if "pytest" in __import__("sys").modules else 300
)

# Axes first: it refuses a locked-out account or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# The staff checklist of public information (art. 15(1) of the access to information law) calls a
# page stale when it has not been updated for this many days.
PUBLIC_INFO_STALE_DAYS = env.int("PUBLIC_INFO_STALE_DAYS", default=365)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language, time and formats: Ukrainian by default, English available; Kyiv time; ДД.ММ.РРРР.
LANGUAGE_CODE = "uk"
LANGUAGES = [("uk", "Українська"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "ratusha" / "locale"]
TIME_ZONE = "Europe/Kyiv"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["ratusha.formats"]
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_USER_TIME_ZONES = ["Europe/Kyiv"]
WAGTAIL_DATE_FORMAT = "%d.%m.%Y"
WAGTAIL_DATETIME_FORMAT = "%d.%m.%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "ratusha" / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# E-mail: EMAIL_URL (smtp://user:pass@host:587/?tls=True), console locally.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Every message goes to the outbox (``ops.OutgoingMessage``) and the worker sends it through
# EMAIL_TRANSPORT_BACKEND (the one EMAIL_URL names), retrying while the mail server is down.
# ``ratusha.core.mail.transport_connection()`` talks to the transport directly (council's
# mailing keeps its own per-deputy delivery log and retries).
EMAIL_TRANSPORT_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_BACKEND = "ratusha.ops.mail.OutboxBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ratusha@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: django-tasks with the database backend; `manage.py db_worker` runs it.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Wagtail
WAGTAIL_SITE_NAME = "Ratusha"
# The admin talks to no outside service: no avatars from Gravatar, no update check (both would
# also be refused by the admin's Content-Security-Policy).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "docx",
    "doc",
    "odt",
    "xlsx",
    "xls",
    "ods",
    "csv",
    "txt",
    "rtf",
    "zip",
]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "ratusha.security.uploads.SafeDocumentForm"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
RATUSHA_DOCUMENT_MAX_BYTES = 50 * 1024 * 1024
# Images are decided by content, re-encoded without metadata, never SVG (ratusha.security.uploads).
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "ratusha.security.uploads.SafeImageForm"
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# The public feedback form (ratusha.feedback): posts per client address per window (counted in
# the shared default cache), the largest body it reads, and addresses told of every message
# besides the unit's (or the council's) own.
FEEDBACK_RATE_LIMIT = env.int("FEEDBACK_RATE_LIMIT", default=10)
FEEDBACK_RATE_WINDOW = env.int("FEEDBACK_RATE_WINDOW", default=60 * 60)
FEEDBACK_MAX_BODY_BYTES = 64 * 1024
FEEDBACK_NOTIFY_EMAILS = env.list("FEEDBACK_NOTIFY_EMAILS", default=[])

LOGIN_URL = "wagtailadmin_login"

# Legal calendar. Martial law (Law 2136-IX, art. 6) turns public holidays and the Cabinet's
# transfers of days off into ordinary working days while it lasts; its end is an installation
# setting (ISO date of the first day without martial law), not code.
MARTIAL_LAW_START = dt.date.fromisoformat(env.str("MARTIAL_LAW_START", default="2022-02-24"))
_martial_end = env.str("MARTIAL_LAW_END", default="")
MARTIAL_LAW_END = dt.date.fromisoformat(_martial_end) if _martial_end else None

# Security (ratusha.security; docs/adr/0002-security-and-resilience.md)
SESSION_COOKIE_HTTPONLY = True
# Absolute lifetime of a login and the idle time after which it ends (SessionExpiryMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# The client's address: REMOTE_ADDR, or, behind a reverse proxy, the address the proxy saw
# (X-Forwarded-For, counting RATUSHA_TRUSTED_PROXIES hops from the right).
RATUSHA_TRUSTED_PROXIES = env.int("RATUSHA_TRUSTED_PROXIES", default=0)

# Lockout (django-axes): 5 failures for one account, or from one address, lock it for 30 min.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ratusha.security.views.lockout"
AXES_CLIENT_IP_CALLABLE = "ratusha.security.network.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # the login log is ratusha.security.LoginEvent
AXES_VERBOSE = False

# Two-factor authentication (django-otp): TOTP, required for administrators and approvers.
RATUSHA_2FA_REQUIRED_ROLES = ["administrator", "approver"]
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Ратуша")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Content-Security-Policy (django-csp). Public pages: no inline script, no eval; the admin
# (Wagtail's own JavaScript and style attributes) gets ADMIN_CONTENT_SECURITY_POLICY.
_VIDEO_FRAMES = [
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://www.facebook.com",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "frame-src": _VIDEO_FRAMES,
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if PRODUCTION:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
ADMIN_CONTENT_SECURITY_POLICY_PREFIXES = ("/admin/", "/django-admin/")
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        # Wagtail's admin still carries inline scripts and style attributes.
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        # Previews of pages are shown in a frame of the admin itself.
        "frame-src": ["'self'", *_VIDEO_FRAMES],
        "frame-ancestors": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
