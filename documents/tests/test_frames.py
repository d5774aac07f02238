"""Websocket frames of documents: each matches its schema (documents.events.
FRAME_SCHEMAS) and reaches exactly the other party's sockets: the frame matrix
over the six actors, through the real channel layer and the socket route."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from b2bbank.realtime import user_group
from conftest import ACTORS
from documents import services
from documents.events import FRAME_SCHEMAS
from documents.tests import samples
from documents.tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def listen(world: Any) -> dict[str, tuple[Any, str]]:
    layer = get_channel_layer()
    channels = {}
    for actor in ACTORS:
        user = world.users[actor]
        if user is None:
            continue
        channel = async_to_sync(layer.new_channel)()
        async_to_sync(layer.group_add)(user_group(user.pk), channel)
        channels[actor] = (layer, channel)
    return channels


def received(channels: dict[str, tuple[Any, str]]) -> dict[str, list[dict[str, Any]]]:
    async def drain(layer: Any, channel: str) -> list[dict[str, Any]]:
        frames = []
        while layer.channels.get(channel):
            frames.append((await layer.receive(channel))["event"])
        return frames

    return {actor: async_to_sync(drain)(layer, channel) for actor, (layer, channel) in channels.items()}


def upload(world: Any, application: Any) -> None:
    services.document_upload(
        actor=world.owner_a, application_id=application.pk, kind="tax_return", upload=samples.upload()
    )


def review(world: Any, application: Any) -> None:
    document = DocumentFactory(application=application)
    services.document_review(actor=world.banker_x, document_id=document.pk, decision="accept")


def ask(world: Any, application: Any) -> None:
    services.document_request_create(actor=world.banker_x, application_id=application.pk, kind="tax_return")


FRAME_MATRIX = {
    "document.new": (upload, {"banker_x"}),
    "document.reviewed": (review, {"owner_a"}),
    "document_request.new": (ask, {"owner_a"}),
}


@pytest.mark.parametrize("frame_type", sorted(FRAME_MATRIX))
def test_each_frame_reaches_only_the_other_party_and_matches_its_schema(
    frame_type: str, world: Any, application: Any, django_capture_on_commit_callbacks: Any
) -> None:
    step, recipients = FRAME_MATRIX[frame_type]
    channels = listen(world)
    with django_capture_on_commit_callbacks(execute=True):
        step(world, application)
    got = received(channels)
    for actor in channels:
        frames = got[actor]
        if actor in recipients:
            assert [f["type"] for f in frames] == [frame_type], actor
            jsonschema.validate(frames[0], FRAME_SCHEMAS[frame_type])
            assert frames[0]["application"] == application.pk
        else:
            assert frames == [], actor


def test_a_refused_step_sends_no_frame(
    world: Any, application: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks, pytest.raises(Exception):  # noqa: B017
        services.document_upload(
            actor=world.owner_a,
            application_id=application.pk,
            kind="tax_return",
            upload=samples.upload(samples.SVG),
        )
    assert callbacks == []
