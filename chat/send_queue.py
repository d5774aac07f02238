"""Group commit for websocket sends: the messages that arrive while the
previous batch is being stored go to the database together, in one thread hop,
one transaction and three statements (services.messages_send_batch).

One batch at a time per event loop (per server process): a conversation's
messages are then stored in the order their frames arrived, and a batch grows
with the load instead of the load growing the number of transactions.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Sequence

from channels.db import database_sync_to_async
from django.db import connection

from . import services
from .services import MessageSendRequest, MessageSendResult

logger = logging.getLogger(__name__)

MAX_BATCH = 200


def _store(requests: Sequence[MessageSendRequest]) -> list[MessageSendResult]:
    try:
        return services.messages_send_batch(requests=requests)
    finally:
        # Back to the pool: no worker thread keeps a connection between batches.
        connection.close()


_store_in_worker = database_sync_to_async(_store, thread_sensitive=False)


class MessageSendQueue:
    """Collects send requests on one event loop and stores them in batches."""

    def __init__(self) -> None:
        self._pending: list[tuple[MessageSendRequest, asyncio.Future[MessageSendResult]]] = []
        self._drainer: asyncio.Task[None] | None = None

    async def send(self, request: MessageSendRequest) -> MessageSendResult:
        future: asyncio.Future[MessageSendResult] = asyncio.get_running_loop().create_future()
        self._pending.append((request, future))
        if self._drainer is None:
            # Starts on the next loop iteration: frames read in this one join the batch.
            self._drainer = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._pending:
                batch = self._pending[:MAX_BATCH]
                del self._pending[:MAX_BATCH]
                requests = [request for request, _ in batch]
                try:
                    results = await _store_in_worker(requests)
                except Exception:  # e.g. no database connection: every sender hears it
                    logger.exception("storing a batch of %s messages failed", len(batch))
                    failed = MessageSendResult(
                        error=services.SendFailed("The message could not be stored; retry it.")
                    )
                    results = [failed] * len(batch)
                for (_, future), result in zip(batch, results, strict=True):
                    if not future.done():  # the sender's socket may have closed meanwhile
                        future.set_result(result)
        finally:
            self._drainer = None


_queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, MessageSendQueue] = weakref.WeakKeyDictionary()


def queue_for_loop() -> MessageSendQueue:
    """The queue of the running event loop (one per server process; tests run
    several loops one after another)."""
    loop = asyncio.get_running_loop()
    queue = _queues.get(loop)
    if queue is None:
        queue = _queues[loop] = MessageSendQueue()
    return queue
