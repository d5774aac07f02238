"""The websocket origin check: a browser may open a socket only from this site.

Channels' AllowedHostsOriginValidator compares the Origin's host name alone
with ALLOWED_HOSTS, so `http://127.0.0.1:1` or `https://127.0.0.1:8000` passed
for a site at `http://127.0.0.1:8000`. Here the whole origin (scheme, host and
port) must match, by the rule Django's CSRF check applies to forms: the
socket's own origin (its scheme and Host header, the host allowed by
ALLOWED_HOSTS), or an origin listed in CSRF_TRUSTED_ORIGINS (the site's
configured origins, e.g. the public https address in front of a proxy)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_origin(value: str) -> str | None:
    """`scheme://host[:port]` lower-cased with the default port dropped, or None
    when the value is not an http(s) origin."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname or parts.path or parts.query:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def _own_origin(scope: dict[str, Any], headers: dict[bytes, bytes]) -> str | None:
    """The origin of the site the socket was opened on, if its Host is allowed."""
    host = headers.get(b"host", b"").decode("latin-1")
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    scheme = "https" if scope.get("scheme") == "wss" else "http"
    return normalize_origin(f"{scheme}://{host}")


def origin_allowed(scope: dict[str, Any]) -> bool:
    headers = dict(scope.get("headers", []))
    raw = headers.get(b"origin")
    if not raw:
        return False  # browsers always send one; a socket without it is not from this site
    origin = normalize_origin(raw.decode("latin-1"))
    if origin is None:
        return False
    trusted = {normalize_origin(o) for o in settings.CSRF_TRUSTED_ORIGINS}
    return origin in trusted or origin == _own_origin(scope, headers)


class SameOriginValidator:
    """ASGI middleware: refuse (HTTP 403 on the handshake) a socket from any other origin."""

    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] == "websocket" and not origin_allowed(scope):
            denier = WebsocketDenier()
            return await denier(scope, receive, send)
        return await self.application(scope, receive, send)
