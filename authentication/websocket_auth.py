"""Websocket authentication: browsers use their session cookie; API clients a
single-use, short-lived `?ticket=`. Who issues tickets is not this app's concern:
the app that owns them (chat, chat/routing.py) builds its socket stack here and
hands in the function that redeems one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser

# A ticket key -> (its user, the API token it was issued under or None), or None
# when the key is unknown, used or expired. Called in a database thread.
TicketRedeemer = Callable[[str], "tuple[Any, int | None] | None"]


class TicketAuthMiddleware:
    """When the query string carries a ticket, it alone decides the user (a bad
    ticket is anonymous, even with a session cookie); otherwise the session does."""

    def __init__(self, inner: Any, *, redeem_ticket: TicketRedeemer) -> None:
        self.inner = inner
        self.redeem = database_sync_to_async(redeem_ticket)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        tickets = query.get("ticket")
        if tickets:
            redeemed = await self.redeem(tickets[0][:128])
            user, token_id = redeemed if redeemed is not None else (AnonymousUser(), None)
            scope = {**scope, "user": user, "api_token_id": token_id}
        return await self.inner(scope, receive, send)


def WebsocketAuthMiddleware(inner: Any, *, redeem_ticket: TicketRedeemer) -> Any:
    # The session stack runs first and sets scope["user"]; a ticket then overrides it.
    return AuthMiddlewareStack(TicketAuthMiddleware(inner, redeem_ticket=redeem_ticket))
