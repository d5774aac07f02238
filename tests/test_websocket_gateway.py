"""The gateway's websocket side: origin check, session auth, the user's group."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from b2bbank.asgi import application
from b2bbank.realtime import publish

pytestmark = pytest.mark.django_db(transaction=True)


def session_cookie_for(user: Any) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def communicator(cookie: str | None = None, origin: str | None = "http://127.0.0.1") -> WebsocketCommunicator:
    headers = []
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, "/ws/", headers=headers)


def test_signed_in_user_connects_and_receives_own_events(owner_a: Any, owner_b: Any) -> None:
    cookie = session_cookie_for(owner_a)

    async def scenario() -> None:
        ws = communicator(cookie)
        connected, _ = await ws.connect()
        assert connected
        await sync_to_async(publish)([owner_b.pk], {"type": "ping", "for": "b"})
        await sync_to_async(publish)([owner_a.pk], {"type": "ping", "for": "a"})
        assert await ws.receive_json_from(timeout=2) == {"type": "ping", "for": "a"}
        assert await ws.receive_nothing(timeout=0.2)
        await ws.disconnect()

    async_to_sync(scenario)()


def test_anonymous_socket_is_closed_with_4401() -> None:
    async def scenario() -> None:
        ws = communicator()
        connected, code = await ws.connect()
        assert not connected
        assert code == 4401
        await ws.disconnect()

    async_to_sync(scenario)()


@pytest.mark.parametrize("origin", ["https://evil.example", None])
def test_foreign_or_missing_origin_is_refused(owner_a: Any, origin: str | None) -> None:
    cookie = session_cookie_for(owner_a)

    async def scenario() -> None:
        ws = communicator(cookie, origin=origin)
        connected, _ = await ws.connect()
        assert not connected
        await ws.disconnect()

    async_to_sync(scenario)()


def test_deactivated_user_cannot_connect(owner_a: Any) -> None:
    cookie = session_cookie_for(owner_a)
    owner_a.is_active = False
    owner_a.save()

    async def scenario() -> None:
        ws = communicator(cookie)
        connected, _ = await ws.connect()
        assert not connected
        await ws.disconnect()

    async_to_sync(scenario)()
