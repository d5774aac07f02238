"""Every frame chat sends matches its schema (chat.events.FRAME_SCHEMAS, gathered
with the other apps' in b2bbank.frames), checked as a socket receives it; and
every frame type chat declares has a scenario here (as Zulip's test_events)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.urls import reverse

from b2bbank import frames
from b2bbank.realtime import REALTIME_EVENT, user_group
from chat import events, services
from chat.tests.test_consumers import Sockets, run, session_client, socket_for, with_sockets
from documents.tests import samples

pytestmark = pytest.mark.django_db(transaction=True)

Scenario = Callable[[Sockets, Any], Awaitable[list[dict[str, Any]]]]


async def message_new(sockets: Sockets, world: Any) -> list[dict[str, Any]]:
    owner = await sockets.connect(await socket_for(world.owner_a))
    banker = await sockets.connect(await socket_for(world.banker_x))
    await owner.send_json_to(
        {"type": "message.send", "conversation": world.conversation.pk, "body": "Hi", "client_id": "k"}
    )
    await owner.send_json_to({"type": "message.send", "conversation": world.conversation.pk, "body": "Again"})
    return [await banker.receive_json_from(), await banker.receive_json_from()]


async def message_new_with_file(sockets: Sockets, world: Any) -> list[dict[str, Any]]:
    banker = await sockets.connect(await socket_for(world.banker_x))
    client = await sync_to_async(session_client)(world.owner_a)
    url = reverse("api:conversation-messages", kwargs={"conversation_id": world.conversation.pk})
    response = await sync_to_async(client.post)(url, {"file": samples.upload(name="plan.pdf")})
    assert response.status_code == 201, response.content
    frame = await banker.receive_json_from()
    assert frame["message"]["attachment"]["name"] == "plan.pdf"
    return [frame]


async def read(sockets: Sockets, world: Any) -> list[dict[str, Any]]:
    message, _ = await sync_to_async(services.message_send)(
        sender=world.banker_x, conversation_id=world.conversation.pk, body="Terms"
    )
    owner = await sockets.connect(await socket_for(world.owner_a))
    await owner.send_json_to({"type": "read", "conversation": world.conversation.pk, "message": message.pk})
    return [await owner.receive_json_from()]


async def typing(sockets: Sockets, world: Any) -> list[dict[str, Any]]:
    owner = await sockets.connect(await socket_for(world.owner_a))
    banker = await sockets.connect(await socket_for(world.banker_x))
    await banker.send_json_to({"type": "typing", "conversation": world.conversation.pk})
    return [await owner.receive_json_from()]


async def conversation_new(sockets: Sockets, world: Any) -> list[dict[str, Any]]:
    banker = await sockets.connect(await socket_for(world.banker_y))
    client = await sync_to_async(session_client)(world.owner_a)
    response = await sync_to_async(client.post)(
        "/api/v1/conversations/", {"banker": world.banker_y.pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return [await banker.receive_json_from()]


async def error(sockets: Sockets, world: Any) -> list[dict[str, Any]]:
    owner = await sockets.connect(await socket_for(world.owner_a))
    got = []
    for frame in (
        "not json",
        '{"no": "type"}',
        '{"type": "nope"}',
        '{"type": "message.send", "conversation": 1}',
        '{"type": "read", "conversation": 999999, "message": 1}',
    ):
        await owner.send_to(text_data=frame)
        got.append(await owner.receive_json_from())
    assert [f["code"] for f in got] == [
        "invalid_json",
        "invalid_frame",
        "unknown_type",
        "invalid",
        "not_found",
    ]
    return got


async def session_closed(sockets: Sockets, world: Any) -> list[dict[str, Any]]:
    """Never reaches a client (the socket closes); checked on the channel layer."""
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(user_group(world.owner_a.pk), channel)
    await sync_to_async(services.sockets_close_for)(user_id=world.owner_a.pk)  # outside a transaction: now
    message = await layer.receive(channel)
    assert message["type"] == REALTIME_EVENT
    return [message["event"]]


SCENARIOS: dict[str, list[Scenario]] = {
    "message.new": [message_new, message_new_with_file],
    "read": [read],
    "typing": [typing],
    "conversation.new": [conversation_new],
    "error": [error],
    "session.closed": [session_closed],
}


def test_every_chat_frame_type_has_a_scenario() -> None:
    assert set(SCENARIOS) == set(events.FRAME_SCHEMAS)


@pytest.fixture
def chat_world(world: Any, owner_a: Any, banker_x: Any, banker_y: Any, tmp_path: Path, settings: Any) -> Any:
    from chat.tests.factories import ConversationFactory

    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    world.conversation = ConversationFactory(owner=owner_a, banker=banker_x)
    return world


@pytest.mark.parametrize(
    "scenario", [s for group in SCENARIOS.values() for s in group], ids=lambda s: s.__name__
)
def test_each_frame_as_received_matches_its_schema(scenario: Scenario, chat_world: Any) -> None:
    received: list[dict[str, Any]] = []

    async def body(sockets: Sockets) -> None:
        received.extend(await scenario(sockets, chat_world))

    run(with_sockets, body)
    assert received
    for frame in received:
        assert frame["type"] in SCENARIOS
        assert scenario in SCENARIOS[frame["type"]], f"{scenario.__name__} sent a {frame['type']} frame"
        frames.check_frame(frame)


def test_a_frame_off_its_schema_is_caught() -> None:
    frame = {"type": "typing", "conversation": 1, "user": 2, "extra": "field"}
    with pytest.raises(jsonschema.ValidationError):
        frames.check_frame(frame)
    with pytest.raises(jsonschema.ValidationError):
        frames.check_frame({"type": "message.new", "conversation": 1, "message": {"id": 1}})


def test_the_registry_holds_every_apps_frames_once() -> None:
    assert {"message.new", "document.new", "application.status"} <= set(frames.FRAME_SCHEMAS)
    with pytest.raises(frames.ImproperlyConfiguredFrames):
        frames._merged({"read": {}}, {"read": {}})


def test_the_envelope_carries_the_frame_and_its_text(owner_a: Any) -> None:
    from b2bbank.realtime import envelope

    frame = events.typing_frame(3, user_id=owner_a.pk)
    message = envelope(frame)
    assert message == {"type": REALTIME_EVENT, "event": frame, "text": async_to_sync(_dumps)(frame)}


async def _dumps(frame: dict[str, Any]) -> str:
    import json

    return json.dumps(frame)
