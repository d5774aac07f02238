"""Publishing events to users' websockets.

Every browser tab joins its user's group (`user.<id>`). Services call
`publish_on_commit` inside their transaction so nothing is sent for a write that
rolls back. PostgreSQL is the source of truth: if the channel layer is down the
event is dropped and logged, and clients backfill over REST.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def publish(user_ids: Iterable[int], event: dict[str, Any]) -> None:
    """Send `event` (a frame with a `type`) to every socket of these users now.

    All recipients go out in one trip to the event loop: from a worker thread
    each async_to_sync call is a thread hop, which the chat benchmark showed to
    be a real share of a message's cost."""
    layer = get_channel_layer()
    if layer is None:
        return
    recipients = sorted(set(user_ids))
    message = {"type": "realtime.event", "event": event}

    async def send_all() -> list[Any]:
        return await asyncio.gather(
            *(layer.group_send(user_group(user_id), message) for user_id in recipients),
            return_exceptions=True,
        )

    try:
        results = async_to_sync(send_all)()
    except Exception:  # the layer is best-effort; the database already has the data
        results = [RuntimeError("channel layer unavailable")] * len(recipients)
    for user_id, result in zip(recipients, results, strict=True):
        if isinstance(result, BaseException):
            logger.warning("realtime publish failed for user %s (%s)", user_id, event.get("type"))


def publish_on_commit(user_ids: Iterable[int], event: dict[str, Any]) -> None:
    ids = list(user_ids)
    transaction.on_commit(lambda: publish(ids, event))
