"""The benchmark server: test settings (the DATABASE_URL database as is), the
project's URLs plus the bare upload view, documents under a throwaway folder."""

from b2bbank.settings.test import *  # noqa: F403
from b2bbank.settings.test import DATABASES, STORAGES, env

ROOT_URLCONF = "bench.documents.urls"
DEBUG = False
STORAGES["documents"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": env.str("BENCH_DOCUMENT_ROOT")},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
# As deployed under gunicorn (docs/deploy.md): persistent connections, not the
# suite's connection per request, which would charge a PostgreSQL fork to
# every upload and nothing to the bare view.
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
