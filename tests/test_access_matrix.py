"""Every route, every actor: the declared outcome or the suite fails.

A URL pattern with no entry in any app's `tests/access.py` fails
`test_every_route_has_a_declared_outcome`, so a new page or endpoint cannot
ship without deciding who may use it.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import ACTORS
from tests.access import ANON_PAGE, Case

LOCAL_APPS = (
    "accounts",
    "authentication",
    "audit",
    "idempotency",
    "notifications",
    "directory",
    "loans",
    "chat",
    "documents",
)
SOURCES = ["tests.platform_access", *(f"{app}.tests.access" for app in LOCAL_APPS)]


def _load_matrix() -> tuple[dict[str, list[Case]], dict[str, Any]]:
    routes: dict[str, list[Case]] = {}
    seeds: dict[str, Any] = {}
    for source in SOURCES:
        try:
            module = importlib.import_module(source)
        except ModuleNotFoundError as exc:
            if exc.name != source:
                raise
            continue
        for name, cases in module.ROUTES.items():
            assert name not in routes, f"{name} is declared twice"
            routes[name] = cases
            seeds[name] = getattr(module, "seed", None)
    return routes, seeds


MATRIX, SEEDS = _load_matrix()


def _route_names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace == "admin":
                names.add("admin:index")  # Django admin has its own permission system
                continue
            names |= _route_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            names.add(f"{namespace}{entry.name}" if entry.name else f"<unnamed {entry.pattern}>")
    return names


def test_every_route_has_a_declared_outcome() -> None:
    declared = set(MATRIX)
    actual = _route_names(get_resolver().url_patterns)
    assert actual - declared == set(), "routes missing from the access matrix"
    assert declared - actual == set(), "matrix entries for routes that no longer exist"


PARAMS = [
    pytest.param(name, index, actor, id=f"{name}[{index}]-{case.method}-{actor}")
    for name, cases in sorted(MATRIX.items())
    for index, case in enumerate(cases)
    for actor in ACTORS
]


@pytest.mark.parametrize(("name", "index", "actor"), PARAMS)
def test_route_access(name: str, index: int, actor: str, world: Any) -> None:
    case = MATRIX[name][index]
    seed = SEEDS.get(name)
    if seed is not None:
        seed(world)
    client = Client()
    user = world.users[actor]
    if user is not None:
        client.force_login(user)
    url = reverse(name, kwargs=case.kwargs(world))
    body = case.data(world) if case.data else None
    send = getattr(client, case.method)
    if case.api and body is not None:
        response = send(url, data=body, content_type="application/json")
    elif body is not None:
        response = send(url, data=body)
    else:
        response = send(url)
    expected = case.expect[actor]
    if expected == ANON_PAGE:
        assert response.status_code == 302, response.content[:300]
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    else:
        assert response.status_code == expected, response.content[:300]


# Websocket routes: every actor with a session either gets a socket or is refused.
WS_MATRIX: dict[str, dict[str, bool]] = {
    "realtime": {
        "anonymous": False,
        "owner_a": True,
        "owner_b": True,
        "banker_x": True,
        "banker_y": True,
        "staff": True,
    },
}


def test_every_websocket_route_has_a_declared_outcome() -> None:
    from chat.routing import websocket_urlpatterns

    names = {pattern.name or f"<unnamed {pattern.pattern}>" for pattern in websocket_urlpatterns}
    assert names == set(WS_MATRIX)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("route", "actor"), [(route, actor) for route in WS_MATRIX for actor in ACTORS])
def test_websocket_route_access(route: str, actor: str, world: Any) -> None:
    from asgiref.sync import async_to_sync
    from channels.testing import WebsocketCommunicator

    from b2bbank.asgi import application
    from chat.routing import websocket_urlpatterns

    path = next(f"/{p.pattern}" for p in websocket_urlpatterns if p.name == route)
    headers = [(b"origin", b"http://127.0.0.1")]
    user = world.users[actor]
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        headers.append((b"cookie", cookie.encode()))

    async def connect() -> bool:
        socket = WebsocketCommunicator(application, path, headers=headers)
        connected, _ = await socket.connect()
        await socket.disconnect()
        return bool(connected)

    assert async_to_sync(connect)() is WS_MATRIX[route][actor]
