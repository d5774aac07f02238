"""What services publish from a worker thread goes back to the server's event
loop without the thread waiting (b2bbank.realtime.loop_handoff, set by
chat.workers.in_worker), in publish order; elsewhere publishing waits."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from b2bbank import realtime
from chat.workers import in_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_hands_its_publishes_to_the_loop_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_waiting(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the worker thread waited for the channel layer")

    def service(*, count: int) -> asyncio.AbstractEventLoop | None:
        monkeypatch.setattr(realtime, "async_to_sync", no_waiting)
        for n in range(count):
            realtime.publish([7], {"type": "typing", "conversation": n + 1, "user": 1})
        return realtime._server_loop.get()

    async def scenario() -> tuple[bool, list[int]]:
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(realtime.user_group(7), channel)
        handed_to = await in_worker(service)(count=20)
        got = [
            (await asyncio.wait_for(layer.receive(channel), 2))["event"]["conversation"] for _ in range(20)
        ]
        return handed_to is asyncio.get_running_loop(), got

    same_loop, got = async_to_sync(scenario)()
    assert same_loop
    assert got == list(range(1, 21))
    assert realtime._server_loop.get() is None, "the hand-off ends with the call"


def test_outside_a_worker_publishing_waits_for_the_send() -> None:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(realtime.user_group(8), channel)
    realtime.publish([8], {"type": "typing", "conversation": 1, "user": 2})
    message = async_to_sync(layer.receive)(channel)
    assert message == realtime.envelope({"type": "typing", "conversation": 1, "user": 2})


def test_a_channel_layer_failure_is_logged_not_raised(monkeypatch: pytest.MonkeyPatch, caplog: Any) -> None:
    layer = get_channel_layer()

    async def broken(group: str, message: dict[str, Any]) -> None:
        raise ConnectionError("redis is down")

    monkeypatch.setattr(layer, "group_send", broken)
    realtime.publish([9], {"type": "typing", "conversation": 1, "user": 2})
    assert "realtime publish failed for user.9 (typing)" in caplog.text
