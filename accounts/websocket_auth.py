"""Websocket authentication: browsers use their session cookie."""

from channels.auth import AuthMiddlewareStack


def WebsocketAuthMiddleware(inner):
    return AuthMiddlewareStack(inner)
