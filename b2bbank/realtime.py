"""Publishing events to users' websockets.

Every browser tab joins its user's group (`user.<id>`). Services call
`publish_on_commit` inside their transaction so nothing is sent for a write that
rolls back. PostgreSQL is the source of truth: if the channel layer is down the
event is dropped and logged, and clients backfill over REST.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Coroutine, Iterable, Sequence
from typing import Any

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer
from channels_redis.pubsub import RedisPubSubChannelLayer
from django.db import transaction

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def publish(user_ids: Iterable[int], event: dict[str, Any]) -> None:
    """Send `event` (a frame with a `type`) to every socket of these users now."""
    publish_all([(user_ids, event)])


def publish_all(items: Sequence[tuple[Iterable[int], dict[str, Any]]]) -> None:
    """Send each event to every socket of its users, all in one trip to the
    event loop: from a worker thread each async_to_sync call is a thread hop,
    which the chat benchmark showed to be a real share of a message's cost.
    Each frame is JSON-encoded once here, not once per receiving socket.

    Under the ASGI server (a worker thread of its event loop) the sends are
    handed to the loop and this returns at once: the caller (the chat send
    queue) can start its next transaction while Redis answers. Handing over is
    FIFO, so events keep their commit order. Elsewhere (WSGI, tests' sync
    client) it waits for the sends, as before."""
    layer = get_channel_layer()
    if layer is None:
        return
    sends: list[tuple[int, str, dict[str, Any]]] = []
    for user_ids, event in items:
        message = {"type": "realtime.event", "event": event, "text": json.dumps(event)}
        sends.extend((user_id, str(event.get("type")), message) for user_id in sorted(set(user_ids)))
    loop = _server_loop()
    if loop is not None:
        loop.call_soon_threadsafe(_spawn, _send_and_log(layer, sends))
        return
    try:
        async_to_sync(_send_and_log)(layer, sends)
    except Exception:  # the layer is best-effort; the database already has the data
        _log_failures(sends, [RuntimeError("channel layer unavailable")] * len(sends))


def _server_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop this worker thread was started from by sync_to_async
    (asgiref's own record of it), if it is still running."""
    threadlocal = SyncToAsync.threadlocal
    loop = getattr(threadlocal, "main_event_loop", None)
    if loop is None or getattr(threadlocal, "main_event_loop_pid", None) != os.getpid():
        return None
    return loop if loop.is_running() and not loop.is_closed() else None


_background: set[asyncio.Task[None]] = set()


def _spawn(coroutine: Coroutine[Any, Any, None]) -> None:
    task = asyncio.ensure_future(coroutine)
    _background.add(task)  # the loop keeps only weak references to tasks
    task.add_done_callback(_background.discard)


async def _send_and_log(layer: Any, sends: list[tuple[int, str, dict[str, Any]]]) -> None:
    try:
        if isinstance(layer, RedisPubSubChannelLayer):
            results = await _pubsub_send_many(layer, [(user_group(u), m) for u, _, m in sends])
        else:
            results = await asyncio.gather(
                *(layer.group_send(user_group(user_id), message) for user_id, _, message in sends),
                return_exceptions=True,
            )
    except Exception as exc:  # the layer is best-effort; the database already has the data
        results = [exc] * len(sends)
    _log_failures(sends, results)


def _log_failures(sends: list[tuple[int, str, dict[str, Any]]], results: Sequence[Any]) -> None:
    for (user_id, kind, _), result in zip(sends, results, strict=True):
        if isinstance(result, BaseException):
            logger.warning("realtime publish failed for user %s (%s)", user_id, kind)


async def _pubsub_send_many(
    layer: RedisPubSubChannelLayer, sends: list[tuple[str, dict[str, Any]]]
) -> list[Any]:
    """The pub/sub layer's group_send for many groups in one Redis round trip
    per shard (a pipeline) instead of one locked round trip each, which was the
    largest remaining cost of a chat message on the event loop. Uses the
    layer's shard internals (channels_redis 4.3, pinned): a group goes to the
    same shard and channel name that group_send would use."""
    loop_layer = layer._get_layer()
    by_shard: dict[int, list[tuple[int, str, bytes]]] = {}
    for index, (group, message) in enumerate(sends):
        channel = loop_layer._get_group_channel_name(group)
        shard = loop_layer._get_shard(channel)
        by_shard.setdefault(id(shard), []).append((index, channel, layer.serialize(message)))
    shards = {id(s): s for s in loop_layer._shards}
    results: list[Any] = [None] * len(sends)
    for shard_id, items in by_shard.items():
        shard = shards[shard_id]
        try:
            async with shard._lock:
                shard._ensure_redis()
                pipe = shard._redis.pipeline(transaction=False)
                for _, channel, payload in items:
                    pipe.publish(channel, payload)
                await pipe.execute()
        except Exception as exc:  # best-effort, as group_send: logged by the caller
            for index, _, _ in items:
                results[index] = exc
    return results


def publish_on_commit(user_ids: Iterable[int], event: dict[str, Any]) -> None:
    ids = list(user_ids)
    transaction.on_commit(lambda: publish(ids, event))


def publish_all_on_commit(items: Sequence[tuple[Iterable[int], dict[str, Any]]]) -> None:
    """publish_all once the transaction commits (nothing if it rolls back)."""
    batch = [(list(user_ids), event) for user_ids, event in items]
    transaction.on_commit(lambda: publish_all(batch))
