"""Test settings: real PostgreSQL (DATABASE_URL or the embedded one), fast
password hashing, no throttling surprises (throttle tests set their own rates)."""

from .dev import *  # noqa: F403
from .dev import BASE_DIR, DATABASES, REST_FRAMEWORK, STORAGES, env

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", "[::1]"]
# The origins the in-process websocket tests send (their handshakes carry no
# Host header, so the same-origin rule alone would refuse them).
CSRF_TRUSTED_ORIGINS = ["http://testserver", "http://127.0.0.1"]
# Argon2 is deliberately slow; tests create hundreds of users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In memory for the test process; the browser tests' server writes files they read
# (DJANGO_EMAIL_BACKEND / DJANGO_EMAIL_FILE_PATH, as acceptance does).
EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        "anon": "10000/min",
        "user": "10000/min",
        "auth": "10000/min",
        "login": "10000/min",
        "chat_send": "10000/min",
    },
}
# A server process started by the browser and server tests serves the test
# database and keeps its connections as `make run` does (the ASGI pool);
# the test process itself opens and closes them per test, since persistent
# ones only hold locks there.
if env.str("B2BBANK_SERVE_DATABASE", default=""):
    DATABASES["default"]["NAME"] = env.str("B2BBANK_SERVE_DATABASE")
else:
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Two-factor enforcement is off for the suite at large (fixtures sign in with
# force_login); authentication/tests/test_two_factor.py turns it on and checks every path.
B2BBANK_2FA_REQUIRED_FOR_STAFF = False
B2BBANK_2FA_REQUIRED_ROLES = []

# Uploaded files of the suite (and of the browser tests' server) stay out of the
# development store; tests that look at the storage point it at a tmp_path.
STORAGES["documents"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(BASE_DIR / ".data" / "test-documents")},
}
