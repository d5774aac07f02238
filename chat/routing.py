"""Websocket routes (the gateway in b2bbank/asgi.py sends /ws/ here), signed in by
the authentication app's middleware with chat's own realtime tickets."""

from typing import Any

from channels.routing import URLRouter
from django.urls import path

from authentication.websocket_auth import WebsocketAuthMiddleware

from .consumers import RealtimeConsumer

websocket_urlpatterns = [path("ws/", RealtimeConsumer.as_asgi(), name="realtime")]


def redeem_ticket(key: str) -> tuple[Any, int | None] | None:
    from .services import ticket_redeem

    ticket = ticket_redeem(key=key)
    return None if ticket is None else (ticket.user, ticket.token_id)


def websocket_application() -> Any:
    return WebsocketAuthMiddleware(URLRouter(websocket_urlpatterns), redeem_ticket=redeem_ticket)
