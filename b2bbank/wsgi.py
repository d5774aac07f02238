"""WSGI entry point: production HTTP runs here under gunicorn (see docs/deploy.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b2bbank.settings.dev")
application = get_wsgi_application()
