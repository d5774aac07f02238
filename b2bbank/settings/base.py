"""Settings shared by every environment. Values that differ come from the
environment (django-environ); see docs/deploy.md for the full list."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "daphne",
    "b2bbank.admin_site.B2BAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    # naturaltime: "now", "20 seconds ago", "3 hours ago" where timesince said "0 minutes".
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "channels",
    "csp",
    "axes",
    # Kept only so authentication's migration 0002 can read the old TOTP devices and
    # recovery codes into allauth.mfa; removable in the release after (docs/deploy.md).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "allauth",
    "allauth.account",
    # Second factors: TOTP, recovery codes and passkeys (WebAuthn, via fido2).
    "allauth.mfa",
    # Before the project's apps: its ready() discovers their `tasks` modules.
    "procrastinate.contrib.django",
    "accounts",
    "authentication",
    "audit",
    "idempotency",
    "directory",
    "loans",
    "chat",
    "notifications",
    "documents",
    "jobs",
]

MIDDLEWARE = [
    "b2bbank.request_limits.UrlLengthLimitMiddleware",
    "b2bbank.request_context.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Times in the signed-in user's zone (accounts.time_zones).
    "accounts.time_zones.TimeZoneMiddleware",
    # allauth's request context (its flows read the request from it) and reauthentication.
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "authentication.session_limits.SessionLimitsMiddleware",
    "authentication.two_factor_middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

# The longest address (path + query string) served; longer ones are 414
# (b2bbank/request_limits.py). nginx in front refuses past 8 KB as well.
B2BBANK_MAX_URL_LENGTH = env.int("B2BBANK_MAX_URL_LENGTH", default=8192)

ROOT_URLCONF = "b2bbank.urls"
WSGI_APPLICATION = "b2bbank.wsgi.application"
ASGI_APPLICATION = "b2bbank.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
            ],
            # One money format and one link rule on every page (b2bbank/display.py).
            "builtins": ["b2bbank.display_tags"],
        },
    },
]

# Database: DATABASE_URL when set; dev/test fall back to the embedded server.
DATABASES: dict[str, dict] = {}
if env.str("DATABASE_URL", default=""):
    DATABASES["default"] = env.db_url("DATABASE_URL")
# Persistent connections with health checks suit WSGI workers; ASGI processes
# (Daphne) use psycopg's pool: b2bbank/asgi.py makes DJANGO_DB_POOL=1 their
# default, and the pool's max_size bounds their connections (docs/deploy.md).
DB_CONN_MAX_AGE = env.int("DJANGO_CONN_MAX_AGE", default=60)
DB_POOL = env.bool("DJANGO_DB_POOL", default=False)
DB_POOL_MAX_SIZE = env.int("DJANGO_DB_POOL_MAX_SIZE", default=10)
# Statements a connection has run this many times are prepared on the server
# (psycopg), so PostgreSQL stops parsing and planning the bearer-token lookup,
# the session read and the search on every request; 0 turns it off (e.g. behind
# a PgBouncer older than 1.21 in transaction mode). docs/performance.md, docs/deploy.md.
DB_PREPARE_THRESHOLD = env.int("DJANGO_DB_PREPARE_THRESHOLD", default=5)


def configure_database(db: dict) -> dict:
    db.setdefault("OPTIONS", {})
    # No JIT compilation and no parallel workers: PostgreSQL compiles a plan's
    # expressions, or starts workers, once its estimated cost passes a threshold,
    # and this app's statements are short enough never to repay either. A
    # directory search at 1,000,000 bankers (fallback branches that never run,
    # estimated at 77,000 each) spent 95 ms compiling 85 functions for 1 ms of
    # work, and 28 ms starting workers for a branch a one-time filter skipped
    # (docs/performance.md, "Directory search"). A DATABASE_URL that sets
    # `options` keeps its own.
    db["OPTIONS"].setdefault("options", "-c jit=off -c max_parallel_workers_per_gather=0")
    if DB_PREPARE_THRESHOLD > 0:
        # Preparing needs parameters bound by the server, not interpolated by psycopg.
        db["OPTIONS"]["server_side_binding"] = True
        db["OPTIONS"]["prepare_threshold"] = DB_PREPARE_THRESHOLD
    if DB_POOL:
        db["CONN_MAX_AGE"] = 0
        db["OPTIONS"]["pool"] = {"min_size": 2, "max_size": DB_POOL_MAX_SIZE, "timeout": 10}
    else:
        db["CONN_MAX_AGE"] = DB_CONN_MAX_AGE
        db["CONN_HEALTH_CHECKS"] = True
        # Django's backend, pinging only connections idle for a while (b2bbank/postgres).
        if db.get("ENGINE") == "django.db.backends.postgresql":
            db["ENGINE"] = "b2bbank.postgres"
    return db


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Brute force (django-axes): 5 failures for one email within 30 minutes lock that
# ACCOUNT for 30 minutes, whether or not it exists and even with the right password
# (a password reset unlocks it at once). The client ADDRESS is never locked: an
# office or a carrier NAT shares one; its sign-in attempts are slowed by the
# per-address `login` throttle instead (authentication.lockout, OWASP authentication
# cheat sheet).
AXES_FAILURE_LIMIT = env.int("B2BBANK_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("B2BBANK_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "authentication.lockout.username_from_credentials"
# axes warns that without "ip_address" an address is not rate limited; here the
# `login` throttle limits it (slowing, not locking, b2bbank.throttling).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "authentication.lockout.lockout_response"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "b2bbank.client_address.client_ip_for_request"

# The reverse proxies whose X-Forwarded-For is believed (addresses or networks,
# e.g. "10.0.0.5,10.1.0.0/16"); none by default. The one source of the client
# address for throttles, lockout and audit (b2bbank/client_address.py).
B2BBANK_TRUSTED_PROXIES: list[str] = env.list("B2BBANK_TRUSTED_PROXIES", default=[])

# Account flows (django-allauth's `account` app behind b2bbank's own pages and
# API; authentication/allauth_adapter.py): email verification, password reset and
# change, email change, their rate limits and reauthentication. Sign-up and
# sign-in stay b2bbank's (roles, profiles, the shared `auth` budget, axes).
ACCOUNT_ADAPTER = "authentication.allauth_adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# Signing in and browsing work before the address is confirmed; submitting an
# application or starting a conversation does not (accounts.permissions).
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
# The same answer for an address with or without an account; the unknown one is
# emailed that it has none (so its owner learns and both paths send one message).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
# One address per account; a change is confirmed at the new address and the old is told.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_MAX_EMAIL_ADDRESSES = 2
ACCOUNT_EMAIL_NOTIFICATIONS = True
# The changing session stays signed in; every other session ends (Django's session
# hash), and accounts.services revokes API tokens and closes sockets.
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Reset links work once (the token hashes the password and last login) and for an hour.
PASSWORD_RESET_TIMEOUT = 3600
# Email verification is needed to submit an application or start a conversation;
# 0 turns that off for demos.
B2BBANK_REQUIRE_VERIFIED_EMAIL = env.bool("B2BBANK_REQUIRE_VERIFIED_EMAIL", default=True)
# The versions of /terms/ and /privacy/ a sign-up accepts (accounts.TermsConsent).
B2BBANK_TERMS_VERSION = "2026-11-29"
B2BBANK_PRIVACY_VERSION = "2026-11-29"
# Where people who are stuck (locked out, lost factor) are told to write.
B2BBANK_SUPPORT_EMAIL = env.str("B2BBANK_SUPPORT_EMAIL", default="support@b2bbank.local")

# Two-factor authentication (django-allauth's mfa): an authenticator app (TOTP),
# passkeys (WebAuthn) and one-time recovery codes. Required for staff and for the
# roles listed (either factor will do); production defaults to bankers.
B2BBANK_2FA_REQUIRED_FOR_STAFF = env.bool("B2BBANK_2FA_REQUIRED_FOR_STAFF", default=True)
B2BBANK_2FA_REQUIRED_ROLES: list[str] = env.list("B2BBANK_2FA_REQUIRED_ROLES", default=["banker"])
MFA_ADAPTER = "authentication.allauth_adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_FORMS = {"add_webauthn": "authentication.mfa_forms.AddPasskeyForm"}
# A passkey alone signs in (it is possession plus the device's PIN or biometrics).
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "b2bbank"
# One 30-second step either side, as django-otp allowed: phones whose clocks drift still work.
MFA_TOTP_TOLERANCE = 1
MFA_RECOVERY_CODES_SHOW_ONCE = True
# Plain http origins are accepted only where a setting says so (development and the
# browser tests at http://localhost); production serves https.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("B2BBANK_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=False)

# Sessions: 30 minutes idle, 12 hours in all (authentication.session_limits).
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "b2bbank.error_views.csrf_failure"

# Content-Security-Policy with per-request nonces (django-csp). Pages load their
# scripts and styles from /static/; the few inline blocks carry the nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGIN_URL = "authentication:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Documents and chat attachments (documents/): private files, never under the
# static root and never served by whitenoise; read only through the
# permission-checked download view. Local files by default; S3-compatible
# storage (django-storages) when a bucket is named. docs/deploy.md.
B2BBANK_DOCUMENT_MAX_BYTES = env.int("B2BBANK_DOCUMENT_MAX_BYTES", default=25 * 1024 * 1024)
B2BBANK_DOCUMENT_ROOT = env.path("B2BBANK_DOCUMENT_ROOT", default=BASE_DIR / ".data" / "documents")
B2BBANK_DOCUMENT_S3_BUCKET = env.str("B2BBANK_DOCUMENT_S3_BUCKET", default="")


def document_storage() -> dict[str, Any]:
    if B2BBANK_DOCUMENT_S3_BUCKET:
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": B2BBANK_DOCUMENT_S3_BUCKET,
                "endpoint_url": env.str("B2BBANK_DOCUMENT_S3_ENDPOINT_URL", default="") or None,
                "region_name": env.str("B2BBANK_DOCUMENT_S3_REGION", default="") or None,
                "location": env.str("B2BBANK_DOCUMENT_S3_PREFIX", default="documents"),
                "default_acl": "private",
                "file_overwrite": False,
                "querystring_auth": True,
            },
        }
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(B2BBANK_DOCUMENT_ROOT),
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }


STORAGES["documents"] = document_storage()
# Every multipart body streams to a temporary file (never held in memory), its
# sha256 computed on the way, and stops at B2BBANK_DOCUMENT_MAX_BYTES.
FILE_UPLOAD_HANDLERS = ["documents.uploads.BoundedUploadHandler"]

# The platform's one currency (DESIGN.md: money is Decimal, one currency).
PLATFORM_CURRENCY = env.str("B2BBANK_CURRENCY", default="USD")

# Loan offers: the platform's bounds on what a banker may offer (loans.services.offers).
B2BBANK_OFFER_MAX_RATE = env.str("B2BBANK_OFFER_MAX_RATE", default="36")  # annual %, inclusive
B2BBANK_OFFER_MAX_FEE_PERCENT = env.str("B2BBANK_OFFER_MAX_FEE_PERCENT", default="5")  # of the amount
B2BBANK_OFFER_MIN_TERM_MONTHS = env.int("B2BBANK_OFFER_MIN_TERM_MONTHS", default=1)
B2BBANK_OFFER_MAX_TERM_MONTHS = env.int("B2BBANK_OFFER_MAX_TERM_MONTHS", default=360)
B2BBANK_OFFER_EXPIRY_DAYS = env.int("B2BBANK_OFFER_EXPIRY_DAYS", default=14)
B2BBANK_OFFER_MAX_EXPIRY_DAYS = env.int("B2BBANK_OFFER_MAX_EXPIRY_DAYS", default=60)
# The platform's review target: a submission should be in review within this many
# business days. The banker's dashboard clock and the review_overdue reminder share it.
B2BBANK_REVIEW_TARGET_BUSINESS_DAYS = env.int("B2BBANK_REVIEW_TARGET_BUSINESS_DAYS", default=2)

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # The pub/sub layer measured ~3x the core layer's throughput (DESIGN.md).
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            # The prefix keeps several deployments on one Redis apart (pub/sub ignores db numbers).
            "CONFIG": {"hosts": [REDIS_URL], "prefix": env.str("B2BBANK_CHANNEL_PREFIX", default="asgi")},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "b2bbank.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # Fail fast: a dead Redis must not hold requests for the default timeouts.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

REST_FRAMEWORK = {
    # Bearer first so an unauthenticated API call answers 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "authentication.bearer.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["b2bbank.json_input.StrictJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "b2bbank.openapi.B2BAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "b2bbank.api_errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "b2bbank.throttling.AnonRateThrottle",
        "b2bbank.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("B2BBANK_THROTTLE_ANON", default="120/min"),
        "user": env.str("B2BBANK_THROTTLE_USER", default="1200/min"),
        "auth": env.str("B2BBANK_THROTTLE_AUTH", default="10/min"),
        # Sign-in attempts per client address (page and token API): slows a guesser
        # without locking out the office behind the address (authentication.lockout).
        "login": env.str("B2BBANK_THROTTLE_LOGIN", default="30/min"),
        # Chat messages per user, REST and websocket (chat/rate_limit.py).
        "chat_send": env.str("B2BBANK_THROTTLE_CHAT_SEND", default="60/min"),
    },
    "COERCE_DECIMAL_TO_STRING": True,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "b2bbank API",
    "DESCRIPTION": "Business owners, bankers, loan applications and chat.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ProductEnum": "accounts.choices.Product",
        "IndustryEnum": "accounts.choices.Industry",
        "AvailabilityEnum": "accounts.choices.Availability",
        "VerificationStatusEnum": "accounts.choices.VerificationStatus",
        "ApplicationStatusEnum": "loans.models.Status",
    },
}

API_TOKEN_TTL_HOURS = env.int("B2BBANK_API_TOKEN_TTL_HOURS", default=12)
# How long a process may answer a bearer token from memory (authentication.token_cache).
# Revocation stays immediate: PostgreSQL notifies every process as a change commits.
# 0 reads every token from the database (e.g. behind a transaction-mode pooler,
# where LISTEN does not work).
B2BBANK_TOKEN_CACHE_SECONDS = env.int("B2BBANK_TOKEN_CACHE_SECONDS", default=60)

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# With DJANGO_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend, one file per message here.
EMAIL_FILE_PATH = env.str("DJANGO_EMAIL_FILE_PATH", default=str(BASE_DIR / ".data" / "mail"))
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
# A hung mail server must not hold a worker (and its heartbeat) forever: the job
# fails after this many seconds and is retried with backoff.
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=20)
# Absolute links in emails (notifications): the public address of the site.
SITE_URL = env.str("B2BBANK_SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="b2bbank <no-reply@b2bbank.local>")

# Background jobs (procrastinate on PostgreSQL; jobs/, docs/deploy.md). A job is
# deferred on Django's connection, so inside the caller's transaction.
# A failed email is retried after 3, 9, 27 ... seconds (base ** attempt), 12 times:
# about three days in all, long enough for a mail server outage.
B2BBANK_JOB_RETRY_BASE_SECONDS = env.int("B2BBANK_JOB_RETRY_BASE_SECONDS", default=3)
B2BBANK_JOB_MAX_RETRIES = env.int("B2BBANK_JOB_MAX_RETRIES", default=12)
# A worker that has not written its heartbeat for this long is presumed dead and
# its running jobs are retried by the `jobs.retry_stalled` periodic task.
B2BBANK_WORKER_HEARTBEAT_SECONDS = env.float("B2BBANK_WORKER_HEARTBEAT_SECONDS", default=10)
B2BBANK_WORKER_STALLED_SECONDS = env.float("B2BBANK_WORKER_STALLED_SECONDS", default=60)
# Cron (5 fields, or 6 with seconds) of the stalled-job sweep.
B2BBANK_STALLED_SWEEP_CRON = env.str("B2BBANK_STALLED_SWEEP_CRON", default="* * * * *")
# /healthz reports the queue as "lagging" past this age of its oldest due job.
B2BBANK_HEALTH_QUEUE_LAG_SECONDS = env.int("B2BBANK_HEALTH_QUEUE_LAG_SECONDS", default=300)
PROCRASTINATE_WORKER_DEFAULTS = {
    "update_heartbeat_interval": B2BBANK_WORKER_HEARTBEAT_SECONDS,
    "stalled_worker_timeout": B2BBANK_WORKER_STALLED_SECONDS,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "b2bbank.request_context.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "daphne": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "procrastinate": {"level": env.str("B2BBANK_JOBS_LOG_LEVEL", default="WARNING")},
    },
}

# Directory search pages are cached this long (directory/search_cache.py; 0 = off).
# Any listing change invalidates them at once; the expiry only bounds a lost
# invalidation (Redis unreachable at that moment).
DIRECTORY_SEARCH_CACHE_SECONDS = env.int("B2BBANK_DIRECTORY_CACHE_SECONDS", default=60)
