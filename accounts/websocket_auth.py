"""Websocket authentication: browsers use their session cookie; API clients a
single-use, short-lived `?ticket=` from POST /api/v1/realtime/ticket/."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser


@database_sync_to_async
def _redeem(key: str) -> tuple[Any, int | None]:
    from chat.services import ticket_redeem

    ticket = ticket_redeem(key=key)
    if ticket is None:
        return AnonymousUser(), None
    return ticket.user, ticket.token_id


class TicketAuthMiddleware:
    """When the query string carries a ticket, it alone decides the user (a bad
    ticket is anonymous, even with a session cookie); otherwise the session does."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        tickets = query.get("ticket")
        if tickets:
            user, token_id = await _redeem(tickets[0][:128])
            scope = {**scope, "user": user, "api_token_id": token_id}
        return await self.inner(scope, receive, send)


def WebsocketAuthMiddleware(inner: Any) -> Any:
    # The session stack runs first and sets scope["user"]; a ticket then overrides it.
    return AuthMiddlewareStack(TicketAuthMiddleware(inner))
