"""Publishing events to users' websockets.

Every socket joins its user's group (`user.<id>`). Services call
`publish_on_commit` inside their transaction so nothing is sent for a write that
rolls back. PostgreSQL is the source of truth: if the channel layer is down the
event is dropped and logged, and clients backfill over REST.

Public APIs: the channel layer's `group_send`, asyncio's
`call_soon_threadsafe`, asgiref's `async_to_sync`, a context variable for the
hand-off. One exception, kept in its own adapter: on the Redis pub/sub layer a
batch of sends goes out in one pipeline (b2bbank.channels_redis_pipeline;
settings.REALTIME_REDIS_PIPELINE = False turns it off). The frame shapes live
in `b2bbank.frames`; the channel-layer message around a frame is built once,
in `envelope`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Coroutine, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

from b2bbank import channels_redis_pipeline

logger = logging.getLogger(__name__)

# The consumer's handler for this message type is `realtime_event`.
REALTIME_EVENT = "realtime.event"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def envelope(event: dict[str, Any]) -> dict[str, Any]:
    """The channel-layer message that carries one frame to a consumer: `event`
    for the consumer to read, `text` the frame already JSON-encoded, so a frame
    sent to many sockets is encoded once, here."""
    return {"type": REALTIME_EVENT, "event": event, "text": json.dumps(event)}


# Set while a worker thread runs a service for the ASGI server's event loop
# (`loop_handoff`): publishing then hands the sends to that loop and returns.
_server_loop: ContextVar[asyncio.AbstractEventLoop | None] = ContextVar("realtime_server_loop", default=None)


@contextmanager
def loop_handoff(loop: asyncio.AbstractEventLoop) -> Iterator[None]:
    """Inside this block (in a worker thread called from `loop`), publishing
    hands its sends to `loop` with `call_soon_threadsafe` and returns at once:
    the thread is free for the next transaction while Redis answers. The loop
    runs the handed-over sends in order, so events keep their commit order."""
    token = _server_loop.set(loop)
    try:
        yield
    finally:
        _server_loop.reset(token)


def publish(user_ids: Iterable[int], event: dict[str, Any]) -> None:
    """Send `event` (a frame with a `type`) to every socket of these users now."""
    publish_all([(user_ids, event)])


def publish_all(items: Sequence[tuple[Iterable[int], dict[str, Any]]]) -> None:
    """Send each event to every socket of its users. From a worker thread inside
    `loop_handoff` the sends are handed to the server's loop (no waiting);
    elsewhere (WSGI, management commands, tests' sync client) this waits for them."""
    sends = [
        (user_group(user_id), message)
        for user_ids, event in items
        for message in [envelope(event)]
        for user_id in sorted(set(user_ids))
    ]
    publish_to_groups(sends)


def publish_to_groups(sends: list[tuple[str, dict[str, Any]]]) -> None:
    """Send each (group, envelope) pair; best-effort, failures are logged."""
    layer = get_channel_layer()
    if layer is None or not sends:
        return
    loop = _server_loop.get()
    if loop is not None and loop.is_running():
        loop.call_soon_threadsafe(_spawn, _send_and_log(layer, sends))
        return
    try:
        async_to_sync(_send_and_log)(layer, sends)
    except Exception:  # the layer is best-effort; the database already has the data
        _log_failures(sends, [RuntimeError("channel layer unavailable")] * len(sends))


_background: set[asyncio.Task[None]] = set()


def _spawn(coroutine: Coroutine[Any, Any, None]) -> None:
    task = asyncio.ensure_future(coroutine)
    _background.add(task)  # the loop keeps only weak references to tasks
    task.add_done_callback(_background.discard)


async def send_to_groups(layer: Any, sends: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    """`group_send` for every pair at once. The tasks start in list order and
    each queues on the layer's connection (channels_redis: a FIFO lock per
    Redis connection) before it first waits, so frames leave in list order.
    On the Redis pub/sub layer, one pipeline per shard instead (same order)."""
    if getattr(settings, "REALTIME_REDIS_PIPELINE", True) and channels_redis_pipeline.usable(layer):
        results = await channels_redis_pipeline.publish_many(layer, sends)
        if results is not None:
            return results
    return await asyncio.gather(
        *(layer.group_send(group, message) for group, message in sends), return_exceptions=True
    )


async def _send_and_log(layer: Any, sends: list[tuple[str, dict[str, Any]]]) -> None:
    try:
        results = await send_to_groups(layer, sends)
    except Exception as exc:  # the layer is best-effort; the database already has the data
        results = [exc] * len(sends)
    _log_failures(sends, results)


def _log_failures(sends: list[tuple[str, dict[str, Any]]], results: Sequence[Any]) -> None:
    for (group, message), result in zip(sends, results, strict=True):
        if isinstance(result, BaseException):
            logger.warning("realtime publish failed for %s (%s)", group, message["event"].get("type"))


def publish_on_commit(user_ids: Iterable[int], event: dict[str, Any]) -> None:
    ids = list(user_ids)
    transaction.on_commit(lambda: publish(ids, event))


def publish_all_on_commit(items: Sequence[tuple[Iterable[int], dict[str, Any]]]) -> None:
    """publish_all once the transaction commits (nothing if it rolls back)."""
    batch = [(list(user_ids), event) for user_ids, event in items]
    transaction.on_commit(lambda: publish_all(batch))


def publish_to_group_on_commit(group: str, event: dict[str, Any]) -> None:
    """Send `event` to a group that is not a user's (e.g. an API token's
    sockets) once the transaction commits."""
    transaction.on_commit(lambda: publish_to_groups([(group, envelope(event))]))
