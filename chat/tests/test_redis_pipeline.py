"""The canary for b2bbank/channels_redis_pipeline.py, the one module that uses
channels_redis internals: fails loudly when an upgrade changes them, and checks
on the real Redis (6379) that its pipeline reaches exactly the sockets
group_send would reach, in order."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import channels_redis
import pytest
from asgiref.sync import async_to_sync
from channels_redis.pubsub import RedisPubSubChannelLayer

from b2bbank import channels_redis_pipeline, realtime
from tests.servers import listening

UPGRADE = (
    "channels_redis changed: re-check b2bbank/channels_redis_pipeline.py against the new "
    "internals (or drop it and measure make bench-chat with public group_send), then update this test"
)


def redis_layer() -> RedisPubSubChannelLayer:
    if not listening(6379):
        pytest.fail("Redis must run on 127.0.0.1:6379 for this test")
    return RedisPubSubChannelLayer(
        hosts=["redis://127.0.0.1:6379/6"], prefix=f"b2bbank-test-{uuid.uuid4().hex[:8]}"
    )


def test_channels_redis_is_the_version_the_adapter_was_checked_against() -> None:
    assert channels_redis.__version__ == channels_redis_pipeline.CHECKED_VERSION, UPGRADE


def test_the_internals_the_adapter_uses_are_there() -> None:
    layer = redis_layer()

    async def check() -> list[str]:
        missing = channels_redis_pipeline.missing_internals(layer._get_layer())
        await layer.flush()
        return missing

    assert async_to_sync(check)() == [], UPGRADE


def test_the_pipeline_reaches_the_groups_group_send_reaches_in_order() -> None:
    layer = redis_layer()

    async def scenario() -> dict[str, list[Any]]:
        channels = {name: await layer.new_channel() for name in ("a", "b", "c")}
        for name, channel in channels.items():
            await layer.group_add(f"group-{name}", channel)
        sends = [
            (f"group-{name}", realtime.envelope({"type": "typing", "conversation": n, "user": 1}))
            for n in range(5)
            for name in ("a", "b")
        ]
        results = await channels_redis_pipeline.publish_many(layer, sends)
        assert results == [None] * len(sends)
        got = {
            name: [(await layer.receive(channels[name]))["event"]["conversation"] for _ in range(5)]
            for name in ("a", "b")
        }
        try:
            got["c"] = [await asyncio.wait_for(layer.receive(channels["c"]), timeout=0.3)]
        except TimeoutError:
            got["c"] = []
        await layer.flush()
        return got

    assert async_to_sync(scenario)() == {"a": [0, 1, 2, 3, 4], "b": [0, 1, 2, 3, 4], "c": []}


def test_missing_internals_fall_back_to_group_send(monkeypatch: pytest.MonkeyPatch, caplog: Any) -> None:
    layer = redis_layer()
    monkeypatch.setattr(channels_redis_pipeline, "LOOP_LAYER_INTERNALS", ("_renamed_in_a_new_version",))
    monkeypatch.setattr(channels_redis_pipeline, "_broken", False)

    async def scenario() -> list[Any]:
        channel = await layer.new_channel()
        await layer.group_add("group-a", channel)
        results = await realtime.send_to_groups(layer, [("group-a", realtime.envelope({"type": "read"}))])
        got = (await layer.receive(channel))["event"]
        await layer.flush()
        return [results, got]

    results, got = async_to_sync(scenario)()
    assert results == [None]
    assert got == {"type": "read"}
    assert "channels_redis internals changed" in caplog.text
    assert not channels_redis_pipeline.usable(layer), "logged once, then group_send only"
