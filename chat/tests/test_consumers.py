"""The realtime socket over the full ASGI stack (origin check, session and
ticket auth, routing), with the in-memory channel layer."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import reverse

from b2bbank.asgi import application
from chat import services
from chat.consumers import LOGGED_OUT, MAX_FRAME_BYTES, TOO_BIG
from chat.models import Message

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = (b"origin", b"http://testserver")


def run(scenario: Callable[..., Awaitable[None]], *args: Any) -> None:
    async_to_sync(scenario)(*args)


def session_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


async def socket_for(
    user: Any | None = None,
    *,
    origin: bytes | None = b"http://testserver",
    path: str = "/ws/",
    client: Client | None = None,
) -> WebsocketCommunicator:
    headers = []
    if origin is not None:
        headers.append((b"origin", origin))
    if user is not None or client is not None:
        client = client or await sync_to_async(session_client)(user)
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return WebsocketCommunicator(application, path, headers=headers)


class Sockets:
    """Connect several sockets and always disconnect them."""

    def __init__(self) -> None:
        self.open: list[WebsocketCommunicator] = []

    async def connect(self, communicator: WebsocketCommunicator) -> WebsocketCommunicator:
        connected, _ = await communicator.connect()
        assert connected
        self.open.append(communicator)
        return communicator

    async def close(self) -> None:
        for communicator in self.open:
            await communicator.disconnect()


async def with_sockets(body: Callable[[Sockets], Awaitable[None]]) -> None:
    sockets = Sockets()
    try:
        await body(sockets)
    finally:
        await sockets.close()


@pytest.mark.parametrize("origin", [None, b"http://evil.example"])
def test_socket_refused_when_origin_missing_or_foreign(owner_a: Any, origin: bytes | None) -> None:
    async def scenario() -> None:
        communicator = await socket_for(owner_a, origin=origin)
        connected, _ = await communicator.connect()
        assert not connected
        await communicator.disconnect()

    run(scenario)


def test_socket_refused_when_anonymous() -> None:
    async def scenario() -> None:
        communicator = await socket_for(None)
        connected, code = await communicator.connect()
        assert not connected
        assert code == 4401
        await communicator.disconnect()

    run(scenario)


def test_ticket_opens_one_socket_only(owner_a: Any, conversation: Any) -> None:
    key, _ = services.ticket_issue(user=owner_a)

    async def scenario(sockets: Sockets) -> None:
        first = await sockets.connect(await socket_for(path=f"/ws/?ticket={key}"))
        await database_sync_to_async(services.message_send)(
            sender=owner_a, conversation_id=conversation.pk, body="hi"
        )
        assert (await first.receive_json_from())["type"] == "message.new"
        second = await socket_for(path=f"/ws/?ticket={key}")
        connected, code = await second.connect()
        assert not connected
        assert code == 4401
        await second.disconnect()

    run(with_sockets, scenario)


def test_bad_ticket_is_refused_even_with_a_session(owner_a: Any) -> None:
    async def scenario() -> None:
        communicator = await socket_for(owner_a, path="/ws/?ticket=forged")
        connected, _ = await communicator.connect()
        assert not connected
        await communicator.disconnect()

    run(scenario)


def test_message_send_frame_reaches_both_participants_once(
    owner_a: Any, banker_x: Any, owner_b: Any, conversation: Any
) -> None:
    async def scenario(sockets: Sockets) -> None:
        owner = await sockets.connect(await socket_for(owner_a))
        owner_tab2 = await sockets.connect(await socket_for(owner_a))
        banker = await sockets.connect(await socket_for(banker_x))
        outsider = await sockets.connect(await socket_for(owner_b))
        await owner.send_json_to(
            {"type": "message.send", "conversation": conversation.pk, "body": "Hello", "client_id": "k1"}
        )
        for socket in (owner, owner_tab2, banker):
            frame = await socket.receive_json_from()
            assert frame["type"] == "message.new"
            assert frame["conversation"] == conversation.pk
            assert frame["message"]["body"] == "Hello"
            assert frame["message"]["client_id"] == "k1"
            assert frame["message"]["sender"] == owner_a.pk
            assert await socket.receive_nothing()
        assert await outsider.receive_nothing()

    run(with_sockets, scenario)
    assert Message.objects.get().body == "Hello"


def test_rest_send_is_published_to_sockets_after_commit(
    owner_a: Any, banker_x: Any, conversation: Any
) -> None:
    async def scenario(sockets: Sockets) -> None:
        banker = await sockets.connect(await socket_for(banker_x))
        client = await sync_to_async(session_client)(owner_a)
        url = reverse("api:conversation-messages", kwargs={"conversation_id": conversation.pk})
        response = await sync_to_async(client.post)(
            url, {"body": "Via REST"}, content_type="application/json"
        )
        assert response.status_code == 201, response.content
        frame = await banker.receive_json_from()
        assert frame["message"]["id"] == response.json()["id"]

    run(with_sockets, scenario)


def test_typing_goes_to_the_other_side_only(owner_a: Any, banker_x: Any, conversation: Any) -> None:
    async def scenario(sockets: Sockets) -> None:
        owner = await sockets.connect(await socket_for(owner_a))
        banker = await sockets.connect(await socket_for(banker_x))
        await banker.send_json_to({"type": "typing", "conversation": conversation.pk})
        assert await owner.receive_json_from() == {
            "type": "typing",
            "conversation": conversation.pk,
            "user": banker_x.pk,
        }
        assert await banker.receive_nothing()
        await banker.send_json_to({"type": "typing", "conversation": conversation.pk})
        assert await owner.receive_nothing(), "a second typing frame within half a second is dropped"

    run(with_sockets, scenario)


def test_read_frame_moves_marker_and_tells_both(owner_a: Any, banker_x: Any, conversation: Any) -> None:
    message, _ = services.message_send(
        sender=banker_x, conversation_id=conversation.pk, body="Terms attached"
    )

    async def scenario(sockets: Sockets) -> None:
        owner = await sockets.connect(await socket_for(owner_a))
        banker = await sockets.connect(await socket_for(banker_x))
        await owner.send_json_to({"type": "read", "conversation": conversation.pk, "message": message.pk})
        expected = {
            "type": "read",
            "conversation": conversation.pk,
            "user": owner_a.pk,
            "message": message.pk,
        }
        assert await banker.receive_json_from() == expected
        assert await owner.receive_json_from() == expected

    run(with_sockets, scenario)
    conversation.refresh_from_db()
    assert conversation.owner_last_read == message.pk


@pytest.mark.parametrize(
    ("frame", "code", "field"),
    [
        ("not json", "invalid_json", None),
        ("[1, 2]", "invalid_frame", None),
        ('{"type": "dance"}', "unknown_type", None),
        ('{"type": "message.send", "conversation": 1}', "invalid", "body"),
        ('{"type": "message.send", "conversation": "x", "body": "hi"}', "invalid", "conversation"),
        ('{"type": "message.send", "conversation": 1, "body": "hi", "sender": 2}', "invalid", "sender"),
        ('{"type": "read", "conversation": 1}', "invalid", "message"),
    ],
)
def test_bad_frame_gets_error_and_socket_stays_open(
    owner_a: Any, conversation: Any, frame: str, code: str, field: str | None
) -> None:
    async def scenario(sockets: Sockets) -> None:
        owner = await sockets.connect(await socket_for(owner_a))
        await owner.send_to(text_data=frame)
        error = await owner.receive_json_from()
        assert error["type"] == "error"
        assert error["code"] == code
        if field:
            assert field in error["detail"]
        await owner.send_json_to(
            {"type": "message.send", "conversation": conversation.pk, "body": "still here"}
        )
        assert (await owner.receive_json_from())["type"] == "message.new"

    run(with_sockets, scenario)


def test_frames_for_someone_elses_conversation_are_not_found(
    owner_b: Any, banker_x: Any, conversation: Any
) -> None:
    async def scenario(sockets: Sockets) -> None:
        intruder = await sockets.connect(await socket_for(owner_b))
        banker = await sockets.connect(await socket_for(banker_x))
        for frame in (
            {"type": "message.send", "conversation": conversation.pk, "body": "let me in"},
            {"type": "typing", "conversation": conversation.pk},
        ):
            await intruder.send_json_to(frame)
            error = await intruder.receive_json_from()
            assert (error["type"], error["code"]) == ("error", "not_found")
        assert await banker.receive_nothing()

    run(with_sockets, scenario)
    assert not Message.objects.exists()


def test_oversized_frame_closes_the_socket(owner_a: Any, conversation: Any) -> None:
    async def scenario() -> None:
        owner = await socket_for(owner_a)
        connected, _ = await owner.connect()
        assert connected
        body = "x" * (MAX_FRAME_BYTES + 1)
        await owner.send_to(
            text_data=json.dumps({"type": "message.send", "conversation": conversation.pk, "body": body})
        )
        closed = await owner.receive_output()
        assert closed == {"type": "websocket.close", "code": TOO_BIG}
        await owner.disconnect()

    run(scenario)
    assert not Message.objects.exists()


def test_logout_closes_the_users_sockets(owner_a: Any, banker_x: Any) -> None:
    async def scenario(sockets: Sockets) -> None:
        client = await sync_to_async(session_client)(owner_a)
        owner = await sockets.connect(await socket_for(client=client))
        banker = await sockets.connect(await socket_for(banker_x))
        response = await sync_to_async(client.post)(reverse("authentication:logout"))
        assert response.status_code == 302
        assert await owner.receive_output() == {"type": "websocket.close", "code": LOGGED_OUT}
        assert await banker.receive_nothing()

    run(with_sockets, scenario)


def test_events_from_other_apps_are_forwarded(owner_a: Any) -> None:
    """The loans app publishes application.status the same way; the socket passes it on."""
    from b2bbank.realtime import publish

    event = {"type": "application.status", "application": 7, "status": "approved", "event": {"id": 1}}

    async def scenario(sockets: Sockets) -> None:
        owner = await sockets.connect(await socket_for(owner_a))
        await sync_to_async(publish)([owner_a.pk], event)
        assert await owner.receive_json_from() == event

    run(with_sockets, scenario)


def test_revoking_the_api_token_closes_sockets_opened_with_its_tickets(owner_a: Any) -> None:
    from django.test import RequestFactory

    from accounts.tests.factories import PASSWORD
    from authentication.services import token_create, token_revoke

    _, token = token_create(request=RequestFactory().post("/"), email=owner_a.email, password=PASSWORD)
    key, _ = services.ticket_issue(user=owner_a, token=token)

    async def scenario(sockets: Sockets) -> None:
        api_socket = await sockets.connect(await socket_for(path=f"/ws/?ticket={key}"))
        browser = await sockets.connect(await socket_for(owner_a))
        await database_sync_to_async(token_revoke)(token=token)
        assert await api_socket.receive_output() == {"type": "websocket.close", "code": LOGGED_OUT}
        assert await browser.receive_nothing(), "the browser's session socket stays open"

    run(with_sockets, scenario)


def test_deactivating_a_user_closes_all_their_sockets(owner_a: Any, banker_x: Any, staff: Any) -> None:
    from accounts.services import user_deactivate

    async def scenario(sockets: Sockets) -> None:
        owner = await sockets.connect(await socket_for(owner_a))
        banker = await sockets.connect(await socket_for(banker_x))
        await database_sync_to_async(user_deactivate)(user_id=owner_a.pk, actor=staff)
        assert await owner.receive_output() == {"type": "websocket.close", "code": LOGGED_OUT}
        assert await banker.receive_nothing()

    run(with_sockets, scenario)


def test_ticket_api_ties_the_ticket_to_the_bearer_token(owner_a: Any) -> None:
    from django.test import RequestFactory
    from rest_framework.test import APIClient

    from accounts.tests.factories import PASSWORD
    from authentication.services import token_create

    raw, token = token_create(request=RequestFactory().post("/"), email=owner_a.email, password=PASSWORD)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.post(reverse("api:realtime-ticket"))
    assert response.status_code == 201
    redeemed = services.ticket_redeem(key=response.json()["ticket"])
    assert redeemed is not None
    assert redeemed.token_id == token.pk
