"""A websocket ticket dies with the API token or the browser session that
issued it: once either has ended, the ticket opens nothing."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.test import Client
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD
from chat.models import RealtimeTicket
from chat.tests.test_consumers import socket_for

pytestmark = pytest.mark.django_db(transaction=True)


def token_client(user: Any) -> APIClient:
    client = APIClient()
    token = client.post("/api/v1/auth/token/", {"email": user.email, "password": PASSWORD}, format="json")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['token']}")
    return client


def socket_opens(key: str) -> bool:
    async def scenario() -> bool:
        communicator = await socket_for(path=f"/ws/?ticket={key}")
        connected, _ = await communicator.connect()
        await communicator.disconnect()
        return bool(connected)

    return bool(async_to_sync(scenario)())


def test_ticket_of_a_revoked_token_opens_no_socket(owner_a: Any) -> None:
    client = token_client(owner_a)
    ticket = client.post("/api/v1/realtime/ticket/").json()["ticket"]
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401
    assert not socket_opens(ticket)


def test_ticket_of_a_live_token_still_opens_a_socket(owner_a: Any) -> None:
    ticket = token_client(owner_a).post("/api/v1/realtime/ticket/").json()["ticket"]
    assert socket_opens(ticket)


def test_ticket_of_an_ended_session_opens_no_socket(owner_a: Any) -> None:
    browser = Client(enforce_csrf_checks=False)
    browser.force_login(owner_a)
    ticket = browser.post("/api/v1/realtime/ticket/").json()["ticket"]
    assert browser.post("/logout/").status_code == 302
    assert browser.get("/api/v1/me/").status_code == 401  # no session, no token
    assert not socket_opens(ticket)


def test_ticket_of_a_live_session_opens_a_socket(owner_a: Any) -> None:
    browser = Client()
    browser.force_login(owner_a)
    response = browser.post("/api/v1/realtime/ticket/")
    assert response.status_code == 201
    assert RealtimeTicket.objects.get().session_key == browser.session.session_key
    assert socket_opens(response.json()["ticket"])
