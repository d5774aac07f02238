"""Group commit for websocket sends: the hand-off from the event loop to the
database. The messages that arrive while the previous batch is being stored go
to the database together, in one thread hop, one transaction and two
statements (services.messages_send_batch).

One batch at a time per event loop (per server process): a conversation's
messages are then stored in the order their frames arrived, and a batch grows
with the load instead of the load growing the number of transactions.

    consumer.on_message_send ─ MessageSendQueue.send ─▶ _pending
    _drain (a task on the loop) ─ store_batch_in_worker ─▶ messages_send_batch (thread)
    after commit: realtime.publish_all ─ loop_handoff ─▶ group_send (back on the loop)
"""

from __future__ import annotations

import asyncio
import logging

from . import services
from .per_loop import PerLoop
from .services import MessageSendRequest, MessageSendResult
from .workers import in_worker

logger = logging.getLogger(__name__)

MAX_BATCH = 200

# Tests wrap it to watch the batches.
store_batch_in_worker = in_worker(services.messages_send_batch)


class MessageSendQueue:
    """Collects send requests on one event loop and stores them in batches."""

    def __init__(self) -> None:
        self._pending: list[tuple[MessageSendRequest, asyncio.Future[MessageSendResult]]] = []
        self._drainer: asyncio.Task[None] | None = None

    async def send(self, request: MessageSendRequest) -> MessageSendResult:
        """Queue one message and wait for its result (stored, or why not)."""
        future: asyncio.Future[MessageSendResult] = asyncio.get_running_loop().create_future()
        self._pending.append((request, future))
        if self._drainer is None:
            # Starts on the next loop iteration: frames read in this one join the batch.
            self._drainer = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        """Store what is pending, a batch at a time, until nothing is."""
        try:
            while self._pending:
                batch = self._pending[:MAX_BATCH]
                del self._pending[:MAX_BATCH]
                results = await _store([request for request, _ in batch])
                for (_, future), result in zip(batch, results, strict=True):
                    if not future.done():  # the sender's socket may have closed meanwhile
                        future.set_result(result)
        finally:
            self._drainer = None


async def _store(requests: list[MessageSendRequest]) -> list[MessageSendResult]:
    try:
        return await store_batch_in_worker(requests=requests)
    except Exception:  # e.g. no database connection: every sender hears it
        logger.exception("storing a batch of %s messages failed", len(requests))
        failed = MessageSendResult(error=services.SendFailed("The message could not be stored; retry it."))
        return [failed] * len(requests)


# The queue of the running event loop.
queue_for_loop = PerLoop(lambda loop: MessageSendQueue())
