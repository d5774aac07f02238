"""Local development: DEBUG on, a fixed dev secret, the embedded PostgreSQL
when DATABASE_URL is unset."""

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, configure_database, document_storage, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-secret-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

# The demo logins must work without an authenticator app; turn 2FA on with
# B2BBANK_2FA_REQUIRED_FOR_STAFF=1 B2BBANK_2FA_REQUIRED_ROLES=banker.
B2BBANK_2FA_REQUIRED_FOR_STAFF = env.bool("B2BBANK_2FA_REQUIRED_FOR_STAFF", default=False)
B2BBANK_2FA_REQUIRED_ROLES = env.list("B2BBANK_2FA_REQUIRED_ROLES", default=[])
# Passkeys on http://localhost during development.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("B2BBANK_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=True)

if "default" not in DATABASES:
    from b2bbank.embedded_postgres import embedded_database_settings

    DATABASES["default"] = embedded_database_settings(BASE_DIR)
configure_database(DATABASES["default"])

# Serve static files straight from the source folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": document_storage(),
}
