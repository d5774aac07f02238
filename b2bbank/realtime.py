"""Publishing events to users' websockets.

Every browser tab joins its user's group (`user.<id>`). Services call
`publish_on_commit` inside their transaction so nothing is sent for a write that
rolls back. PostgreSQL is the source of truth: if the channel layer is down the
event is dropped and logged, and clients backfill over REST.
"""

from __future__ import annotations

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
    """Send `event` (a frame with a `type`) to every socket of these users now."""
    layer = get_channel_layer()
    if layer is None:
        return
    for user_id in set(user_ids):
        try:
            async_to_sync(layer.group_send)(user_group(user_id), {"type": "realtime.event", "event": event})
        except Exception:  # the layer is best-effort; the database already has the data
            logger.warning("realtime publish failed for user %s (%s)", user_id, event.get("type"))


def publish_on_commit(user_ids: Iterable[int], event: dict[str, Any]) -> None:
    ids = list(user_ids)
    transaction.on_commit(lambda: publish(ids, event))
