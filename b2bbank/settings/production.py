"""Production: everything from the environment; refuses to start without a
secret key and allowed hosts."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DATABASES, SECRET_KEY, configure_database

DEBUG = False

if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters "
        "in production (python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must list the host names this site answers to in production "
        "(comma-separated, e.g. bank.example.com)."
    )
if "default" not in DATABASES:
    raise ImproperlyConfigured("DATABASE_URL must be set in production.")
configure_database(DATABASES["default"])

from .https import HTTPS_SETTINGS  # noqa: E402

globals().update(HTTPS_SETTINGS)
