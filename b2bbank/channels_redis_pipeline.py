"""The one place b2bbank reaches into a library's internals: channels_redis's
pub/sub layer (pinned in requirements.txt), to publish a batch of group sends
in one Redis pipeline.

Why: `group_send` is one locked Redis round trip per group. A chat message goes
to two groups, and a batch of them to dozens; one `group_send` each cost 0.11
ms of CPU and 0.2 ms of waiting per group against 0.017 ms and 0.035 ms in a
pipeline, and the chat benchmark lost most of its throughput (docs/performance.md,
Chat). Channels has no public batch send.

What it relies on (chat/tests/test_redis_pipeline.py fails loudly when any of
it changes, and names this file): `RedisPubSubChannelLayer._get_layer()`, the
loop layer's `_get_group_channel_name`, `_get_shard`, `_shards`, and a shard's
`_lock`, `_ensure_redis()` and `_redis`. A group goes to the same shard and
Redis channel that `group_send` would use, serialized by the layer's public
`serialize`, under the shard's lock, so it interleaves safely with the
layer's own commands.

If the internals are missing at run time (an upgrade not yet checked), the
error is logged once and b2bbank.realtime falls back to public `group_send`.
"""

from __future__ import annotations

import logging
from typing import Any

from channels_redis.pubsub import RedisPubSubChannelLayer

logger = logging.getLogger(__name__)

CHECKED_VERSION = "4.3.0"
LAYER_INTERNALS = ("_get_layer",)
LOOP_LAYER_INTERNALS = ("_get_group_channel_name", "_get_shard", "_shards")
SHARD_INTERNALS = ("_lock", "_ensure_redis", "_redis")

_broken = False


def missing_internals(loop_layer: Any) -> list[str]:
    """The internals this module uses that `loop_layer` (the layer of the
    running event loop) lacks: empty while channels_redis is as checked."""
    missing = [n for n in LOOP_LAYER_INTERNALS if not hasattr(loop_layer, n)]
    shards = getattr(loop_layer, "_shards", None) or []
    missing += [f"shard.{n}" for n in SHARD_INTERNALS for s in shards[:1] if not hasattr(s, n)]
    return missing


def usable(layer: Any) -> bool:
    return isinstance(layer, RedisPubSubChannelLayer) and not _broken


async def publish_many(
    layer: RedisPubSubChannelLayer, sends: list[tuple[str, dict[str, Any]]]
) -> list[Any] | None:
    """group_send for every (group, message), one pipeline per shard; one
    result per send (None, or the exception that failed it). None if the
    internals are not as checked (the caller then uses group_send)."""
    global _broken
    loop_layer = layer._get_layer()
    missing = missing_internals(loop_layer)
    if missing:
        _broken = True
        logger.error("channels_redis internals changed (%s): publishing with group_send", missing)
        return None
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
