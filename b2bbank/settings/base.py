"""Settings shared by every environment. Values that differ come from the
environment (django-environ); see docs/deploy.md for the full list."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "audit",
    "idempotency",
    "directory",
    "loans",
    "chat",
    "notifications",
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
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.session_limits.SessionLimitsMiddleware",
    "accounts.two_factor_middleware.TwoFactorMiddleware",
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

# Brute force (django-axes): 5 failures for one email, or from one IP address,
# within 30 minutes lock that email (or address) for 30 minutes, whether or not the
# account exists and even with the right password. The API's `auth` throttle
# limits request rates per IP on top.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "b2bbank.client_address.client_ip_for_request"

# The reverse proxies whose X-Forwarded-For is believed (addresses or networks,
# e.g. "10.0.0.5,10.1.0.0/16"); none by default. The one source of the client
# address for throttles, lockout and audit (b2bbank/client_address.py).
B2BBANK_TRUSTED_PROXIES: list[str] = env.list("B2BBANK_TRUSTED_PROXIES", default=[])

# Two-factor authentication (django-otp): TOTP apps plus one-time recovery codes.
# Required for staff and for the roles listed; production defaults to bankers.
B2BBANK_2FA_REQUIRED_FOR_STAFF = env.bool("B2BBANK_2FA_REQUIRED_FOR_STAFF", default=True)
B2BBANK_2FA_REQUIRED_ROLES: list[str] = env.list("B2BBANK_2FA_REQUIRED_ROLES", default=["banker"])
OTP_TOTP_ISSUER = "b2bbank"
OTP_TOTP_THROTTLE_FACTOR = 1

# Sessions: 30 minutes idle, 12 hours in all (accounts.session_limits).
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

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

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The platform's one currency (DESIGN.md: money is Decimal, one currency).
PLATFORM_CURRENCY = env.str("B2BBANK_CURRENCY", default="USD")

# Loan offers: the platform's bounds on what a banker may offer (loans.services.offers).
B2BBANK_OFFER_MAX_RATE = env.str("B2BBANK_OFFER_MAX_RATE", default="36")  # annual %, inclusive
B2BBANK_OFFER_MAX_FEE_PERCENT = env.str("B2BBANK_OFFER_MAX_FEE_PERCENT", default="5")  # of the amount
B2BBANK_OFFER_MIN_TERM_MONTHS = env.int("B2BBANK_OFFER_MIN_TERM_MONTHS", default=1)
B2BBANK_OFFER_MAX_TERM_MONTHS = env.int("B2BBANK_OFFER_MAX_TERM_MONTHS", default=360)
B2BBANK_OFFER_EXPIRY_DAYS = env.int("B2BBANK_OFFER_EXPIRY_DAYS", default=14)
B2BBANK_OFFER_MAX_EXPIRY_DAYS = env.int("B2BBANK_OFFER_MAX_EXPIRY_DAYS", default=60)

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # The pub/sub layer measured ~3x the core layer's throughput (DESIGN.md).
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
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
        "accounts.authentication.BearerTokenAuthentication",
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
# How long a process may answer a bearer token from memory (accounts.token_cache).
# Revocation stays immediate: PostgreSQL notifies every process as a change commits.
# 0 reads every token from the database (e.g. behind a transaction-mode pooler,
# where LISTEN does not work).
B2BBANK_TOKEN_CACHE_SECONDS = env.int("B2BBANK_TOKEN_CACHE_SECONDS", default=60)

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# Absolute links in emails (notifications): the public address of the site.
SITE_URL = env.str("B2BBANK_SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="b2bbank <no-reply@b2bbank.local>")

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
    },
}

# Directory search pages are cached this long (directory/search_cache.py; 0 = off).
# Any listing change invalidates them at once; the expiry only bounds a lost
# invalidation (Redis unreachable at that moment).
DIRECTORY_SEARCH_CACHE_SECONDS = env.int("B2BBANK_DIRECTORY_CACHE_SECONDS", default=60)
