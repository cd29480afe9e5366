"""Settings for cop-consult, read from the environment.

With nothing set the site runs embedded: a SQLite file, a local-memory cache and Celery
tasks run eagerly in-process. `DATABASE_URL` (PostgreSQL) and `REDIS_URL` switch on the
full stack. There is one settings file and no production-only code path.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import overload

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Generic Django classes (ModelAdmin[Model], ModelForm[Model]…) can be subscripted at run
# time, as django-stubs has them for mypy; it changes nothing else.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


@overload
def env_str(name: str, default: str) -> str: ...
@overload
def env_str(name: str, default: str | None = None) -> str | None: ...
def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# A secret never has a default outside development.
SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The site's public address: every link in an email or printed by a command is built from
# it (cop_site.emails.site_url). Like a secret it has no default outside development, where
# a wrong one would send people to some other site. In development it is the address
# `make run` serves, http://$HOST:$PORT (the Makefile's defaults: 127.0.0.1 and 8000).
SITE_URL = env_str("SITE_URL") or ""
if not SITE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SITE_URL must be set when DEBUG is off: the site's public address, e.g. https://consult.example.org"
        )
    _host = env_str("HOST", "127.0.0.1") or "127.0.0.1"
    # Listening on every interface (0.0.0.0, ::) is reached on this machine through loopback.
    _host = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(_host, _host)
    _host = f"[{_host}]" if ":" in _host and not _host.startswith("[") else _host
    SITE_URL = f"http://{_host}:{env_str('PORT', '8000')}"

INSTALLED_APPS = [
    "accounts.apps.MfaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_countries",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "simple_history",
    "csp",
    "accounts.apps.AccountsConfig",
    "consultations",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "cop_site.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "cop_site.urls"
WSGI_APPLICATION = "cop_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    # Persistent connections measured faster here than Django's pool (stack notes); the
    # pool is there for deployments that run many processes against few connections.
    DATABASE_POOL = env_bool("DATABASE_POOL", False)
    default_db = dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=0 if DATABASE_POOL else env_int("CONN_MAX_AGE", 60),
        conn_health_checks=not DATABASE_POOL,
    )
    if DATABASE_POOL and default_db["ENGINE"] == "django.db.backends.postgresql":
        default_db.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN", 2),
            "max_size": env_int("DATABASE_POOL_MAX", 10),
        }
    DATABASES = {"default": default_db}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # SQLite serialises writers; wait rather than fail under a burst of answers.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            # Tests use a file too: a shared-cache in-memory database fails concurrent
            # writers at once ("table is locked") instead of making them wait.
            "TEST": {"NAME": env_str("SQLITE_TEST_PATH", f"{tempfile.gettempdir()}/cop-test-{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
# The cache holds the rate limit's daily salt and hashed addresses: give it a Redis that
# keeps nothing on disk (docker-compose.yml does), apart from the broker's, which must.
CACHE_REDIS_URL = env_str("CACHE_REDIS_URL", REDIS_URL)
if CACHE_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "cop"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL) or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360)
# A task is acknowledged once it has finished, and one whose worker process died (OOM
# killer, SIGKILL) goes back on the queue instead of being dropped: every task here can run
# twice safely (design rule 6), none may be lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A task taken by a worker that then vanished goes back on the queue after this long.
    # Longer than the longest task's hard limit (an export: 2 h + 1 min), so that a task
    # still running is never handed to a second worker.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3 * 60 * 60),
    # With the broker gone, queuing fails within a few seconds (Celery tries 4 times)
    # instead of hanging a request on a dead connection; answering queues nothing at all.
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# Tasks are named by their registered names (reports.tasks.…), kept when their code moved
# to reports.statistics.tasks so that tasks already queued still find it.
CELERY_BEAT_SCHEDULE = {
    "requeue-unfinished-work": {
        "task": "reports.tasks.requeue_unfinished_work",
        "schedule": 5 * 60,
    },
    "publish-final-releases": {
        "task": "reports.tasks.publish_final_releases",
        "schedule": env_int("REPORTS_FINAL_RELEASE_SECONDS", 300),
    },
    "purge-expired-form-tokens": {
        "task": "consultations.tasks.purge_expired_form_tokens",
        "schedule": 60 * 60,
    },
    "notify-consultation-changes": {
        "task": "consultations.tasks.notify_consultation_changes",
        "schedule": 60.0,
    },
}

# --- Sessions, cookies, security ----------------------------------------------------------
# Respondents never get a session; only the secretariat's logins use one.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Probes talk plain HTTP to the process itself (compose's health check, load balancers).
SECURE_REDIRECT_EXEMPT = [r"^health$", r"^ping$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# Nothing inline and nothing from another site, on every page (design rule 7).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # allauth draws the authenticator QR code as a data: URI
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    }
}
CSRF_FAILURE_VIEW = "consultations.views.csrf_failure"

# Number of reverse proxies in front of the app whose X-Forwarded-For entries are trusted.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if BEHIND_TLS_PROXY and TRUSTED_PROXY_COUNT < 1:
    # Every visitor would share the proxy's address and one rate limit.
    raise ImproperlyConfigured("BEHIND_TLS_PROXY needs TRUSTED_PROXY_COUNT of 1 or more.")

# A whole class behind one school address may answer together: keep this generous.
SUBMISSIONS_PER_HOUR_PER_ADDRESS = env_int("SUBMISSIONS_PER_HOUR_PER_ADDRESS", 60)
FREE_TEXT_MAX_LENGTH = 2000
# Form tokens are single-use; a respondent has this long to send the form they opened.
FORM_TOKEN_MAX_AGE_SECONDS = env_int("FORM_TOKEN_MAX_AGE_SECONDS", 24 * 60 * 60)
# Twelve free-text answers of 2,000 Arabic letters, percent-encoded, fit with room to spare.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 512 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 500)

CHILD_HELPLINE_DIRECTORY_URL = "https://childhelplineinternational.org/helplines/"

# --- Authentication (django-allauth) -----------------------------------------------------
# Email only, no usernames, no public sign-up (accounts.adapter: invitations only), MFA
# with an authenticator app and recovery codes, required for the secretariat's pages.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.InvitedSignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CWG-COP] "
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "CWG-COP consultations"
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages -----------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LANGUAGE_CODES = [code for code, _name in LANGUAGES]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Disclosure control: every published count from 1 to REPORTS_MIN_COUNT − 1 is hidden.
REPORTS_MIN_COUNT = env_int("REPORTS_MIN_COUNT", 5)
# While a consultation is open, the public sees only how many have answered, rounded down
# to a multiple of this; per-answer figures come only from releases.
REPORTS_OPEN_COUNT_STEP = env_int("REPORTS_OPEN_COUNT_STEP", 10)
# After each recount a worker renders the world's and regions' results pages into the cache
# (168 pages: the world and six regions × 4 breakdowns × 6 languages); off on the embedded
# defaults, where tasks run in the request.
REPORTS_PRERENDER = env_bool("REPORTS_PRERENDER", bool(REDIS_URL))
# The largest document file the secretariat may upload, in MB (a front proxy's body limit
# must allow at least this much).
DOCUMENTS_MAX_UPLOAD_MB = env_int("DOCUMENTS_MAX_UPLOAD_MB", 50)

MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

# --- Email -----------------------------------------------------------------------------------
# Printed to the console unless set; SMTP from the environment on the full stack, e.g.
# EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend EMAIL_HOST=smtp.example.org
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# For django.core.mail.backends.filebased.EmailBackend: one file per message sent.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "cop-consult <noreply@localhost>")

# --- Logging ---------------------------------------------------------------------------------
# The app never logs a respondent's address; Django's request lines carry none either.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
