"""ASGI entry point, the gateway: HTTP goes to Django, websockets at /ws/ go
through an origin check and session/ticket authentication to the chat routes."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b2bbank.settings.dev")
# Under ASGI every sync view and consumer call runs in a thread of a pool, and a
# persistent connection per thread grew to dozens per process under a burst
# (PostgreSQL ran out of connections for everyone). The psycopg pool bounds it;
# DJANGO_DB_POOL=0 still opts out. Read by the settings, so set before setup.
os.environ.setdefault("DJANGO_DB_POOL", "1")
# Django must be set up before anything imports models.
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from b2bbank.request_limits import allow_long_request_lines  # noqa: E402
from b2bbank.websocket_origin import SameOriginValidator  # noqa: E402
from chat.routing import websocket_application  # noqa: E402

allow_long_request_lines()  # an over-long address gets an answer under Daphne too
application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SameOriginValidator(websocket_application()),
    }
)
