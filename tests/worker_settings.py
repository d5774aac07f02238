"""Test settings for a job worker process started by a test: the test database
(B2BBANK_SERVE_DATABASE) and a real SMTP server on B2BBANK_TEST_SMTP_PORT."""

from b2bbank.settings.test import *  # noqa: F403
from b2bbank.settings.test import env

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = env.int("B2BBANK_TEST_SMTP_PORT")
EMAIL_TIMEOUT = 5
# The benchmark keeps connections as production does (bench/jobs_bench.py); tests open per job.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)  # noqa: F405
