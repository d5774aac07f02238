"""The client's IP address, decided in one place from one setting.

`B2BBANK_TRUSTED_PROXIES` lists the reverse proxies (addresses or networks)
whose `X-Forwarded-For` is believed; it is empty by default, so the address is
the TCP peer's and a client cannot choose its own by sending the header. Behind
trusted proxies the client is the right-most forwarded hop that is not itself
one of them. The throttles, the sign-in lockout and the audit log all read
`client_ip`, so a spoofed header can fool none of them."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(meta: Mapping[str, Any]) -> str:
    """The client's address from a request's META (or an ASGI-built one)."""
    remote = str(meta.get("REMOTE_ADDR") or "")
    networks = _networks(tuple(settings.B2BBANK_TRUSTED_PROXIES))
    if not networks or not _trusted(remote, networks):
        return remote
    hops = [h.strip() for h in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else remote


def client_ip_for_request(request: Any) -> str:
    """django-axes' AXES_CLIENT_IP_CALLABLE."""
    return client_ip(request.META)
